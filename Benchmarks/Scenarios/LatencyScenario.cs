using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Traffic;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record LatencySettings(Uri Url, int Customers, int Rate, int ProbesPerSecond, TimeSpan Duration, int Seed, TimeSpan Warmup = default);

public sealed record LatencyFigures(int TargetRate, double AchievedRate, long BackgroundEvents, long ProbesSent, long ProbesReceived, long FailedRequests, Percentiles EventToAlert);

/// <summary>
/// Event to alert: while background traffic flows at a fixed rate (events/s, in batches every 10 ms), probe
/// events that must raise an alert (a purchase of 60,000 by a new customer) are sent on their own; the time
/// from sending a probe to receiving its alert on <c>GET /v1/alerts/stream</c> (matched by the alert's
/// <c>reason</c>, the probe's event id) is recorded in an HDR histogram. A warm-up phase of the same traffic
/// comes first and is not recorded (a fresh process compiles its hot paths during the first seconds).
/// </summary>
public static class LatencyScenario
{
    public static async Task<LatencyFigures> RunAsync(LatencySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var runId = "lat" + DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = settings.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var streamClient = new HttpClient { BaseAddress = settings.Url, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource();
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var recorder = new LatencyRecorder();

        using var stream = await streamClient.GetAsync(new Uri("/v1/alerts/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        stream.EnsureSuccessStatusCode();
        var reader = Task.Run(() => ReadAlertsAsync(stream, sent, recorder, stop.Token));

        var traffic = new TrafficModel(settings.Customers, settings.Seed, runId);
        var probes = new TrafficModel(1, settings.Seed, runId);
        var perTick = Math.Max(1, settings.Rate / 100);
        var probeEvery = Math.Max(1, 100 / Math.Max(1, settings.ProbesPerSecond));
        long background = 0, probesSent = 0, failed = 0;
        var inFlight = new List<Task>();

        if (settings.Warmup > TimeSpan.Zero)
        {
            await RunTicksAsync("warmup", settings.Warmup, measure: false).ConfigureAwait(false);
            await Task.WhenAll(inFlight).ConfigureAwait(false);
            inFlight.Clear();
            (background, probesSent, failed) = (0, 0, 0);
        }

        var start = Stopwatch.GetTimestamp();
        await RunTicksAsync("probe", settings.Duration, measure: true).ConfigureAwait(false);

        async Task RunTicksAsync(string phase, TimeSpan duration, bool measure)
        {
            var ticks = (int)(duration.TotalSeconds * 100);
            var batches = Enumerable.Range(0, ticks).Select(_ => traffic.NextBatch(perTick)).ToArray();
            var phaseStart = Stopwatch.GetTimestamp();
            for (var tick = 0; tick < ticks; tick++)
            {
                var due = phaseStart + (tick * Stopwatch.Frequency / 100);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }

                var batch = batches[tick];
                inFlight.Add(Task.Run(async () =>
                {
                    if (await TryPostAsync(client, batch).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref background, perTick);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }));
                if (tick % probeEvery == 0)
                {
                    var id = $"{runId}-{phase}-{tick}";
                    var body = probes.Single($"PROBE-{runId}-{phase}-{tick}", "purchase", 60_000m, id);
                    probesSent++;
                    inFlight.Add(Task.Run(async () =>
                    {
                        if (measure)
                        {
                            sent[id] = Stopwatch.GetTimestamp();
                        }

                        if (!await TryPostAsync(client, body).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref failed);
                        }
                    }));
                }

                if (inFlight.Count > 1024)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (recorder.Count < probesSent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        stream.Dispose();
        await Task.WhenAny(reader, Task.Delay(1000)).ConfigureAwait(false);
        return new LatencyFigures(settings.Rate, Math.Round(background / elapsed), background, probesSent, recorder.Count, failed, recorder.Percentiles());
    }

    /// <summary>Posts a body; false when the platform did not acknowledge it (an error status, or no answer within the timeout).</summary>
    private static async Task<bool> TryPostAsync(HttpClient client, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await client.PostAsync(new Uri("/v1/events", UriKind.Relative), content).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task ReadAlertsAsync(HttpResponseMessage stream, ConcurrentDictionary<string, long> sent, LatencyRecorder recorder, CancellationToken stop)
    {
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(stop).ConfigureAwait(false));
        try
        {
            while (await reader.ReadLineAsync(stop).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    continue;
                }

                var received = Stopwatch.GetTimestamp();
                using var alert = JsonDocument.Parse(line.AsMemory(6));
                if (alert.RootElement.TryGetProperty("reason", out var reason) && reason.GetString() is { } id && sent.TryRemove(id, out var at))
                {
                    recorder.Record(Stopwatch.GetElapsedTime(at, received));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Done measuring.
        }
        catch (IOException) when (stop.IsCancellationRequested)
        {
            // The stream was closed at the end of the run.
        }
    }
}
