using System.Globalization;
using System.Text.RegularExpressions;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Traffic;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record MemorySettings(Uri Url, int Pid, int Customers, int Concurrency);

public sealed record MemoryFigures(
    long ActivationsBefore, long ActivationsAfter, long ResidentBytesBefore, long ResidentBytesAfter, long Found, long NotFound,
    double BytesPerActivation, long AnonymousBytesBefore, long AnonymousBytesAfter, double AnonymousBytesPerActivation);

/// <summary>
/// Resident bytes per active customer: reads the gateway's resident set (<c>/proc/&lt;pid&gt;/status</c>, VmRSS)
/// and its <c>customeractors_activations</c> gauge, activates <c>customers</c> customers by looking each up
/// once, waits for the process to settle, and reads both again. The difference includes whatever garbage the
/// collector has not returned yet, so it is an upper bound. The resident set also counts pages of the store's file
/// mapped by SQLite (memory-mapped reads); the anonymous part (<c>RssAnon</c>: heaps, SQLite's page cache) leaves them out.
/// </summary>
public static partial class MemoryScenario
{
    public static async Task<MemoryFigures> RunAsync(MemorySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = settings.Concurrency }) { BaseAddress = settings.Url };
        var activationsBefore = await MetricsEndpoint.ReadSumAsync(client, "customeractors_activations").ConfigureAwait(false);
        var residentBefore = ResidentBytes(settings.Pid);
        var anonymousBefore = ResidentBytes(settings.Pid, "RssAnon:");
        long found = 0, notFound = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < settings.Customers)
            {
                using var response = await client.GetAsync(new Uri($"/v1/customers/{TrafficModel.CustomerId(index)}", UriKind.Relative)).ConfigureAwait(false);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref found : ref notFound);
            }
        }))).ConfigureAwait(false);

        await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var activationsAfter = await MetricsEndpoint.ReadSumAsync(client, "customeractors_activations").ConfigureAwait(false);
        var residentAfter = ResidentBytes(settings.Pid);
        var anonymousAfter = ResidentBytes(settings.Pid, "RssAnon:");
        var activated = Math.Max(1, activationsAfter - activationsBefore);
        return new MemoryFigures(activationsBefore, activationsAfter, residentBefore, residentAfter, found, notFound,
            Math.Round((residentAfter - residentBefore) / (double)activated),
            anonymousBefore, anonymousAfter, Math.Round((anonymousAfter - anonymousBefore) / (double)activated));
    }

    private static long ResidentBytes(int pid, string field = "VmRSS:")
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(Digits().Match(line).Value, CultureInfo.InvariantCulture) * 1024;
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
