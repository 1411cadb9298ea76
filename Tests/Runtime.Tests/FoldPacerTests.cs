using CustomerActors.Runtime.Storage.Sql.CommitLog;

namespace CustomerActors.Runtime.Tests;

public sealed class FoldPacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public void With_the_writer_idle_a_slice_folds_as_many_grains_as_the_slice_time_allows()
    {
        var pacer = Pacer(maxSlice: 2000);

        Assert.Equal(100, pacer.NextSlice(TimeSpan.Zero, pending: 20_000)); // 5 ms at 50 us a grain
    }

    [Fact]
    public void The_cost_of_a_grain_is_learned_from_the_slices_folded()
    {
        var pacer = Pacer(maxSlice: 2000);

        pacer.SliceTook(100, TimeSpan.FromMilliseconds(15)); // 150 us a grain: the estimate moves half way, to 100 us

        Assert.Equal(100, pacer.CostPerGrain.TotalMicroseconds, tolerance: 0.5);
        Assert.Equal(50, pacer.NextSlice(TimeSpan.Zero, pending: 1000));
    }

    [Fact]
    public void One_slow_slice_moves_the_cost_a_bounded_step_and_a_lasting_slowdown_is_learned_within_a_few_slices()
    {
        var pacer = Pacer(maxSlice: 100_000);

        pacer.SliceTook(20, TimeSpan.FromMilliseconds(100)); // 5 ms a grain: a first slice that paid for the JIT
        Assert.Equal(125, pacer.CostPerGrain.TotalMicroseconds, tolerance: 0.5); // (50 + 4 * 50) / 2, not (50 + 5,000) / 2
        Assert.InRange(pacer.NextSlice(TimeSpan.Zero, pending: 2000), 1, 100); // still small slices, not the whole cycle

        for (var i = 0; i < 5; i++)
        {
            pacer.SliceTook(100, TimeSpan.FromMilliseconds(500)); // a lasting 5 ms a grain
        }

        Assert.InRange(pacer.CostPerGrain.TotalMicroseconds, 4_000, 5_000);
    }

    [Fact]
    public void With_long_commits_a_slice_folds_what_the_cycle_needs_to_finish_within_the_interval()
    {
        var pacer = Pacer(maxSlice: 2000);
        pacer.CommitTook(TimeSpan.FromMilliseconds(40));

        // 20,000 grains in 5 s: 4,000 a second, a fifth of the writer at 50 us each; with 40 ms commits between slices,
        // 4,000 * 0.04 / (1 - 0.2) = 200 grains a slice.
        Assert.Equal(200, pacer.NextSlice(TimeSpan.Zero, pending: 20_000));
        // Few grains left: the slice time is the floor.
        Assert.Equal(100, pacer.NextSlice(TimeSpan.FromSeconds(1), pending: 1000));
    }

    [Fact]
    public void A_cycle_past_its_interval_asks_for_what_is_left_within_a_tenth_of_it()
    {
        var pacer = Pacer(maxSlice: 2000);
        pacer.CommitTook(TimeSpan.FromMilliseconds(40));

        // 1,000 grains in 0.5 s: 2,000 a second, a tenth of the writer: 2,000 * 0.04 / 0.9 = 89 grains, under the floor.
        Assert.Equal(100, pacer.NextSlice(TimeSpan.FromSeconds(6), pending: 1000));
        // 20,000 grains in 0.5 s cannot be done between commits: the largest slice.
        Assert.Equal(2000, pacer.NextSlice(TimeSpan.FromSeconds(6), pending: 20_000));
    }

    [Fact]
    public void A_slice_folds_at_least_one_grain()
    {
        var slow = Pacer(maxSlice: 300);
        for (var i = 0; i < 20; i++)
        {
            slow.SliceTook(1, TimeSpan.FromSeconds(1)); // a lasting second a grain, learned step by step
        }

        Assert.Equal(1, slow.NextSlice(TimeSpan.Zero, pending: 1));
    }

    [Fact]
    public void A_slice_without_grains_teaches_nothing()
    {
        var pacer = Pacer(maxSlice: 2000);

        pacer.SliceTook(0, TimeSpan.FromMilliseconds(3));

        Assert.Equal(FoldPacer.InitialCostPerGrain, pacer.CostPerGrain);
    }

    [Fact]
    public void A_cycle_ahead_of_an_even_pace_over_most_of_the_interval_pauses_until_it_is_on_time()
    {
        var pacer = Pacer(maxSlice: 2000);

        // Half folded after 1 s: an even pace over 4 s (0.8 of 5 s) reaches half at 2 s.
        Assert.Equal(TimeSpan.FromSeconds(1), pacer.PauseBeforeNextSlice(TimeSpan.FromSeconds(1), folded: 500, pending: 500));
        Assert.Equal(TimeSpan.Zero, pacer.PauseBeforeNextSlice(TimeSpan.FromSeconds(3), folded: 500, pending: 500));
        Assert.Equal(TimeSpan.Zero, pacer.PauseBeforeNextSlice(TimeSpan.Zero, folded: 500, pending: 0));
    }

    private static FoldPacer Pacer(int maxSlice) => new(TimeSpan.FromMilliseconds(5), maxSlice, Interval);
}
