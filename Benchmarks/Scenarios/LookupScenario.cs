using System.Diagnostics;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Traffic;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record LookupSettings(Uri Url, int Customers, int Rate, TimeSpan Duration, int Concurrency, int Seed);

public sealed record LookupFigures(string Mode, int TargetRate, double Seconds, long Requests, double RequestsPerSecond, long NotFound, long Failed, Percentiles Latency);

/// <summary>
/// <c>GET /v1/customers/{id}</c> for customers picked with the traffic model's skew. At a fixed rate the
/// requests are scheduled open-loop and latency counts from the moment a request was due (so a slow answer
/// cannot hide the requests queued behind it); at rate 0, <c>concurrency</c> clients ask as fast as answered.
/// </summary>
public static class LookupScenario
{
    public static async Task<LookupFigures> RunAsync(LookupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(settings.Concurrency, 64) })
        {
            BaseAddress = settings.Url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var traffic = new TrafficModel(settings.Customers, settings.Seed, "lookup");
        var ids = Enumerable.Range(0, 1 << 16).Select(_ => traffic.NextCustomer()).ToArray();
        var recorder = new LatencyRecorder();
        long notFound = 0, failed = 0, requests = 0;

        async Task AskAsync(string id, long dueTimestamp)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"/v1/customers/{id}", UriKind.Relative), HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                recorder.Record(Stopwatch.GetElapsedTime(dueTimestamp));
                Interlocked.Increment(ref requests);
                if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    Interlocked.Increment(ref notFound);
                }
                else if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
        }

        var clock = Stopwatch.StartNew();
        if (settings.Rate <= 0)
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(worker => Task.Run(async () =>
            {
                for (var i = worker; clock.Elapsed < settings.Duration; i += settings.Concurrency)
                {
                    await AskAsync(ids[i & (ids.Length - 1)], Stopwatch.GetTimestamp()).ConfigureAwait(false);
                }
            }))).ConfigureAwait(false);
        }
        else
        {
            var inFlight = new List<Task>();
            var start = Stopwatch.GetTimestamp();
            var interval = Stopwatch.Frequency / (double)settings.Rate;
            for (long i = 0; ; i++)
            {
                var due = start + (long)(i * interval);
                if (Stopwatch.GetElapsedTime(start) >= settings.Duration)
                {
                    break;
                }

                while (Stopwatch.GetTimestamp() < due)
                {
                    if (due - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 1000)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                    else
                    {
                        Thread.SpinWait(20);
                    }
                }

                inFlight.Add(AskAsync(ids[i & (ids.Length - 1)], due));
                if (inFlight.Count > 4096)
                {
                    inFlight.RemoveAll(t => t.IsCompleted);
                }
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new LookupFigures(settings.Rate <= 0 ? "max" : "fixed-rate", settings.Rate, Math.Round(seconds, 3), requests,
            Math.Round(requests / seconds), notFound, failed, recorder.Percentiles());
    }
}
