using System.Globalization;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>Reads the platform's own figures from its Prometheus text at <c>/metrics</c>.</summary>
internal static class MetricsEndpoint
{
    /// <summary>The sum of every series of <paramref name="metric"/> (0 while it has none).</summary>
    public static async Task<long> ReadSumAsync(HttpClient client, string metric) =>
        (long)Sum(await ReadAsync(client).ConfigureAwait(false), metric);

    /// <summary>The whole Prometheus text, to take several figures from one moment.</summary>
    public static Task<string> ReadAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>
    /// The sum of the series of <paramref name="metric"/> in <paramref name="text"/> whose labels include
    /// <paramref name="label"/> (for example <c>disk_io_direction="write"</c>; null: every series), or null when no
    /// such series is there.
    /// </summary>
    public static double? Find(string text, string metric, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(metric);
        double? sum = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            // "name{labels} value" or "name value"; comment lines start with '#'.
            if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length == metric.Length || line[metric.Length] is not ('{' or ' '))
            {
                continue;
            }

            var separator = line.LastIndexOf(' ');
            if (label is not null && line[..separator].IndexOf(label, StringComparison.Ordinal) < 0)
            {
                continue;
            }

            sum = (sum ?? 0) + double.Parse(line[(separator + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    /// <summary>As <see cref="Find"/>, 0 when the metric has no series yet.</summary>
    public static double Sum(string text, string metric, string? label = null) => Find(text, metric, label) ?? 0;
}
