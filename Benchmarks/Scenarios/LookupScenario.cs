using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Traffic;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record LookupSettings(Uri Url, int Customers, int Rate, TimeSpan Duration, int Concurrency, int Seed, TimeSpan Warmup);

public sealed record LookupFigures(string Mode, int TargetRate, double Seconds, long Requests, double RequestsPerSecond, long NotFound, long Failed, Percentiles Latency);

/// <summary>
/// <c>GET /v1/customers/{id}</c> for customers picked with the traffic model's skew. At a fixed rate the
/// requests are scheduled open-loop and latency counts from the moment a request was due (so a slow answer
/// cannot hide the requests queued behind it); at rate 0, <c>concurrency</c> clients ask as fast as answered.
/// A warm-up of the same traffic comes first and is not recorded. Requests go over <c>concurrency</c> keep-alive
/// connections of a lean HTTP/1.1 client (<see cref="GetConnection"/>), so the generator takes little of the CPU it shares.
/// </summary>
public static class LookupScenario
{
    public static async Task<LookupFigures> RunAsync(LookupSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var traffic = new TrafficModel(settings.Customers, settings.Seed, "lookup");
        var paths = Enumerable.Range(0, 1 << 16).Select(_ => $"/v1/customers/{traffic.NextCustomer()}").ToArray();
        var connections = await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => GetConnection.OpenAsync(settings.Url))).ConfigureAwait(false);
        var recorder = new LatencyRecorder();
        long notFound = 0, failed = 0, requests = 0;
        var measuring = false;

        async Task<GetConnection> AskAsync(GetConnection connection, long index, long dueTimestamp)
        {
            int status;
            try
            {
                status = await connection.GetAsync(paths[index & (paths.Length - 1)]).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                Interlocked.Increment(ref failed);
                connection.Dispose();
                return await GetConnection.OpenAsync(settings.Url).ConfigureAwait(false);
            }

            if (Volatile.Read(ref measuring))
            {
                recorder.Record(Stopwatch.GetElapsedTime(dueTimestamp));
                Interlocked.Increment(ref requests);
                if (status == 404)
                {
                    Interlocked.Increment(ref notFound);
                }
                else if (status is < 200 or >= 300)
                {
                    Interlocked.Increment(ref failed);
                }
            }

            return connection;
        }

        async Task RunPhaseAsync(TimeSpan duration)
        {
            if (settings.Rate <= 0)
            {
                // Closed loop: each connection asks again as soon as it is answered.
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, connections.Length).Select(worker => Task.Run(async () =>
                {
                    for (long i = worker; clock.Elapsed < duration; i += connections.Length)
                    {
                        connections[worker] = await AskAsync(connections[worker], i, Stopwatch.GetTimestamp()).ConfigureAwait(false);
                    }
                }))).ConfigureAwait(false);
                return;
            }

            // Open loop: the pacer queues each request at its due moment; a free connection takes it. Requests waiting
            // for a connection count that wait in their latency.
            var due = Channel.CreateUnbounded<(long Index, long Due)>(new UnboundedChannelOptions { SingleWriter = true });
            var workers = Enumerable.Range(0, connections.Length).Select(worker => Task.Run(async () =>
            {
                await foreach (var (index, dueAt) in due.Reader.ReadAllAsync().ConfigureAwait(false))
                {
                    connections[worker] = await AskAsync(connections[worker], index, dueAt).ConfigureAwait(false);
                }
            })).ToArray();
            await Pacer.RunAsync(settings.Rate, duration, (i, dueAt) => due.Writer.TryWrite((i, dueAt))).ConfigureAwait(false);
            due.Writer.Complete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        // Warm-up: the same traffic, not recorded (connections opened, code compiled, thread pools grown, on both sides).
        if (settings.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync(settings.Warmup).ConfigureAwait(false);
        }

        Volatile.Write(ref measuring, true);
        var measured = Stopwatch.StartNew();
        await RunPhaseAsync(settings.Duration).ConfigureAwait(false);

        var seconds = measured.Elapsed.TotalSeconds;
        foreach (var connection in connections)
        {
            connection.Dispose();
        }

        return new LookupFigures(settings.Rate <= 0 ? "max" : "fixed-rate", settings.Rate, Math.Round(seconds, 3), requests,
            Math.Round(requests / seconds), notFound, failed, recorder.Percentiles());
    }
}
