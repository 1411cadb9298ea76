using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Traffic;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record IngestSettings(Uri Url, int Customers, int Events, int BatchSize, int Concurrency, int Seed, bool SeedEveryCustomer = false);

public sealed record IngestFigures(
    string Target, int Events, int BatchSize, int Concurrency, double Seconds, double EventsPerSecond,
    long Accepted, long Duplicates, long Rejected, int FailedRequests, StorageFigures? Storage = null);

/// <summary>
/// Maximum durable ingest over HTTP: the event stream is generated up front (so generation is not measured),
/// then <c>concurrency</c> clients post batches as fast as the platform acknowledges them. Every
/// acknowledged event is durable (the platform answers after the commit), so events/s is durable events/s.
/// </summary>
public static class IngestScenario
{
    public static IReadOnlyList<byte[]> Generate(IngestSettings settings, string runId)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var traffic = new TrafficModel(settings.Customers, settings.Seed, runId, seeding: settings.SeedEveryCustomer);
        var batches = new List<byte[]>();
        for (var remaining = settings.Events; remaining > 0; remaining -= settings.BatchSize)
        {
            batches.Add(traffic.NextBatch(Math.Min(settings.BatchSize, remaining)));
        }

        return batches;
    }

    public static async Task<IngestFigures> RunAsync(IngestSettings settings, IReadOnlyList<byte[]> batches)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(batches);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency })
        {
            BaseAddress = settings.Url,
            Timeout = TimeSpan.FromMinutes(5),
        };
        long accepted = 0, duplicates = 0, rejected = 0;
        var failed = 0;
        var next = -1;
        var storageBefore = await ReadStorageAsync(client).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                using var content = new ByteArrayContent(batches[index]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.PostAsync(new Uri("/v1/events", UriKind.Relative), content).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                    continue;
                }

                using var result = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false)).ConfigureAwait(false);
                Interlocked.Add(ref accepted, result.RootElement.GetProperty("accepted").GetInt32());
                Interlocked.Add(ref duplicates, result.RootElement.GetProperty("duplicates").GetInt32());
                Interlocked.Add(ref rejected, result.RootElement.GetProperty("rejected").GetArrayLength());
            }
        }))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var storage = StorageFigures.Between(storageBefore, await ReadStorageAsync(client).ConfigureAwait(false), accepted + duplicates, seconds);
        return new IngestFigures(settings.Url.ToString(), settings.Events, settings.BatchSize, settings.Concurrency, Math.Round(seconds, 3),
            Math.Round((accepted + duplicates) / seconds), accepted, duplicates, rejected, failed, storage);
    }

    /// <summary>The platform's storage counters, or null when it exports none (no <c>/metrics</c>).</summary>
    private static async Task<StorageSnapshot?> ReadStorageAsync(HttpClient client)
    {
        try
        {
            return StorageSnapshot.Parse(await MetricsEndpoint.ReadAsync(client).ConfigureAwait(false));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
