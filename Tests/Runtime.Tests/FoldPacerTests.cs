using CustomerActors.Runtime.Storage.Sql.CommitLog;

namespace CustomerActors.Runtime.Tests;

public sealed class FoldPacerTests
{
    [Fact]
    public void A_slice_folds_as_many_grains_as_the_slice_time_allows_at_the_initial_cost()
    {
        var pacer = new FoldPacer(TimeSpan.FromMilliseconds(5), maxSlice: 2000);

        Assert.Equal(100, pacer.NextSlice()); // 5 ms at 50 us a grain
    }

    [Fact]
    public void The_cost_of_a_grain_is_learned_from_the_slices_folded()
    {
        var pacer = new FoldPacer(TimeSpan.FromMilliseconds(5), maxSlice: 2000);

        pacer.SliceTook(100, TimeSpan.FromMilliseconds(15)); // 150 us a grain: the estimate moves half way, to 100 us

        Assert.Equal(100, pacer.CostPerGrain.TotalMicroseconds, tolerance: 0.5);
        Assert.Equal(50, pacer.NextSlice());
    }

    [Fact]
    public void A_slice_takes_as_long_as_the_last_group_commit_when_commits_are_long()
    {
        var pacer = new FoldPacer(TimeSpan.FromMilliseconds(5), maxSlice: 2000);

        pacer.CommitTook(TimeSpan.FromMilliseconds(40));
        Assert.Equal(800, pacer.NextSlice());

        pacer.CommitTook(TimeSpan.FromMilliseconds(1)); // short again: back to the slice time
        Assert.Equal(100, pacer.NextSlice());
    }

    [Fact]
    public void A_slice_folds_at_least_one_grain_and_at_most_the_configured_most()
    {
        var pacer = new FoldPacer(TimeSpan.FromMilliseconds(5), maxSlice: 300);
        pacer.CommitTook(TimeSpan.FromSeconds(2));
        Assert.Equal(300, pacer.NextSlice());

        var slow = new FoldPacer(TimeSpan.FromMilliseconds(1), maxSlice: 300);
        slow.SliceTook(1, TimeSpan.FromSeconds(1));
        Assert.Equal(1, slow.NextSlice());
    }

    [Fact]
    public void A_slice_without_grains_teaches_nothing()
    {
        var pacer = new FoldPacer(TimeSpan.FromMilliseconds(5), maxSlice: 2000);

        pacer.SliceTook(0, TimeSpan.FromMilliseconds(3));

        Assert.Equal(FoldPacer.InitialCostPerGrain, pacer.CostPerGrain);
    }
}
