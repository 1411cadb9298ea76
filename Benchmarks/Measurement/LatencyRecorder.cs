using HdrHistogram;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>Latencies in microseconds in an HDR histogram (3 significant digits: percentiles exact to 0.1%), thread-safe.</summary>
public sealed class LatencyRecorder
{
    private readonly LongConcurrentHistogram _histogram = new(1, TimeSpan.FromMinutes(5).Ticks / 10, 3);

    public long Count => _histogram.TotalCount;

    public void Record(TimeSpan latency) => _histogram.RecordValue(Math.Max(1, latency.Ticks / 10));

    public Percentiles Percentiles() => Count == 0
        ? new Percentiles(0, 0, 0, 0, 0, 0, 0)
        : new Percentiles(
            Count,
            Ms(_histogram.GetValueAtPercentile(50)),
            Ms(_histogram.GetValueAtPercentile(90)),
            Ms(_histogram.GetValueAtPercentile(99)),
            Ms(_histogram.GetValueAtPercentile(99.9)),
            Ms(_histogram.GetMaxValue()),
            Math.Round(_histogram.GetMean() / 1000, 3));

    private static double Ms(long microseconds) => Math.Round(microseconds / 1000.0, 3);
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record Percentiles(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs);
