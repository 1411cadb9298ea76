using System.Globalization;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>Reads the platform's own figures from its Prometheus text at <c>/metrics</c>.</summary>
internal static class MetricsEndpoint
{
    /// <summary>The sum of every series of <paramref name="metric"/> (0 while it has none).</summary>
    public static async Task<long> ReadSumAsync(HttpClient client, string metric)
    {
        ArgumentNullException.ThrowIfNull(client);
        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)).ConfigureAwait(false);
        long sum = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            // "name{labels} value" or "name value"; comment lines start with '#'.
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || line[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            var value = line[(line.LastIndexOf(' ') + 1)..];
            sum += (long)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
