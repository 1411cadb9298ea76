using CustomerActors.Runtime.Storage.Sql.CommitLog;

namespace CustomerActors.Runtime.Tests;

public sealed class FoldPacerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_slice_folds_as_many_grains_as_the_slice_time_allows_at_the_initial_cost()
    {
        var pacer = Pacer(maxSlice: 2000);

        Assert.Equal(100, pacer.NextSlice(OnTime)); // 5 ms at 50 us a grain
    }

    [Fact]
    public void The_cost_of_a_grain_is_learned_from_the_slices_folded()
    {
        var pacer = Pacer(maxSlice: 2000);

        pacer.SliceTook(100, TimeSpan.FromMilliseconds(15)); // 150 us a grain: the estimate moves half way, to 100 us

        Assert.Equal(100, pacer.CostPerGrain.TotalMicroseconds, tolerance: 0.5);
        Assert.Equal(50, pacer.NextSlice(OnTime));
    }

    [Fact]
    public void A_slice_takes_as_long_as_the_last_group_commit_when_commits_are_long()
    {
        var pacer = Pacer(maxSlice: 2000);

        pacer.CommitTook(TimeSpan.FromMilliseconds(40));
        Assert.Equal(800, pacer.NextSlice(OnTime));

        pacer.CommitTook(TimeSpan.FromMilliseconds(1)); // short again: back to the slice time
        Assert.Equal(100, pacer.NextSlice(OnTime));
    }

    [Fact]
    public void A_cycle_that_runs_past_the_fold_interval_takes_longer_slices_in_proportion()
    {
        var pacer = Pacer(maxSlice: 2000);
        pacer.CommitTook(TimeSpan.FromMilliseconds(40));

        Assert.Equal(800, pacer.NextSlice(TimeSpan.FromSeconds(4.9)));
        Assert.Equal(1200, pacer.NextSlice(TimeSpan.FromSeconds(7.5)));
        Assert.Equal(1600, pacer.NextSlice(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_slice_folds_at_least_one_grain_and_at_most_the_configured_most()
    {
        var pacer = Pacer(maxSlice: 300);
        pacer.CommitTook(TimeSpan.FromSeconds(2));
        Assert.Equal(300, pacer.NextSlice(OnTime));

        var slow = new FoldPacer(TimeSpan.FromMilliseconds(1), maxSlice: 300, Interval);
        slow.SliceTook(1, TimeSpan.FromSeconds(1));
        Assert.Equal(1, slow.NextSlice(OnTime));
    }

    [Fact]
    public void A_slice_without_grains_teaches_nothing()
    {
        var pacer = Pacer(maxSlice: 2000);

        pacer.SliceTook(0, TimeSpan.FromMilliseconds(3));

        Assert.Equal(FoldPacer.InitialCostPerGrain, pacer.CostPerGrain);
    }

    private static FoldPacer Pacer(int maxSlice) => new(TimeSpan.FromMilliseconds(5), maxSlice, Interval);
}
