using CustomerActors.Benchmarks.Measurement;

namespace CustomerActors.Benchmarks.Tests;

public class GcPausesTests
{
    private static readonly GcPause[] Collections =
    [
        new(100, 0, "NonConcurrentGC", 20, 8),
        new(700, 0, "NonConcurrentGC", 30, 9),
        new(1300, 1, "NonConcurrentGC", 60, 28),
        new(1900, 0, "NonConcurrentGC", 10, 7),
        new(1900, 2, "BackgroundGC", 5, 120),
    ];

    [Fact]
    public void The_pauses_add_up_to_a_share_of_the_traced_time()
    {
        var summary = GcPauses.Summarize(Collections, seconds: 2.5);

        Assert.Equal(5, summary.Collections);
        Assert.Equal(125, summary.PausedMs);
        Assert.Equal(5, summary.PausedPercent);
        Assert.Equal(60, summary.MaxPauseMs);
    }

    [Fact]
    public void Each_generation_gets_its_count_median_and_longest_pause_and_median_promotion()
    {
        var generations = GcPauses.Summarize(Collections, seconds: 2.5).Generations;

        Assert.Equal(
            [new GenerationPauses(0, 3, 20, 30, 8), new GenerationPauses(1, 1, 60, 60, 28), new GenerationPauses(2, 1, 5, 5, 120)],
            generations);
    }

    [Fact]
    public void An_even_count_takes_the_mean_of_the_middle_two_as_its_median()
    {
        var generation = Assert.Single(GcPauses.Summarize([new(0, 0, "NonConcurrentGC", 10, 4), new(1, 0, "NonConcurrentGC", 15, 6)], 1).Generations);

        Assert.Equal(12.5, generation.MedianPauseMs);
        Assert.Equal(5, generation.MedianPromotedMb);
    }

    [Fact]
    public void A_trace_without_collections_sums_to_nothing()
    {
        var summary = GcPauses.Summarize([], seconds: 3);

        Assert.Equal((0, 0.0, 0.0, 0.0), (summary.Collections, summary.PausedMs, summary.PausedPercent, summary.MaxPauseMs));
        Assert.Empty(summary.Generations);
    }
}
