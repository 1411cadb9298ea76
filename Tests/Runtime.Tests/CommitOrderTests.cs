using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;

namespace CustomerActors.Runtime.Tests;

public sealed class CommitOrderTests
{
    private static StateWrite[] Writes(params string[] keys) =>
        [.. keys.Select(k => new StateWrite(new GrainId("test", k), 0, 0, ReadOnlyMemory<byte>.Empty, DateTimeOffset.UnixEpoch, []))];

    [Fact]
    public async Task A_place_comes_after_every_earlier_one_even_when_the_one_just_before_it_leaves_first()
    {
        var order = new CommitOrder();
        var first = order.Enter(Writes("a"));
        var second = order.Enter(Writes("b"));
        var third = order.Enter(Writes("c"));
        Assert.True(first.Before.IsCompleted);

        // The second batch failed early and leaves while the first is still under way: the third must still wait.
        var secondLeft = second.LeaveAsync();
        Assert.False(third.Before.IsCompleted);
        Assert.False(secondLeft.IsCompleted);

        await first.LeaveAsync();
        await secondLeft.WaitAsync(TimeSpan.FromSeconds(10));
        await third.Before.WaitAsync(TimeSpan.FromSeconds(10));
        await third.LeaveAsync();
    }

    [Fact]
    public async Task A_batch_shares_grains_only_with_batches_still_under_way_and_not_with_itself()
    {
        var order = new CommitOrder();
        var first = order.Enter(Writes("a", "b"));
        var again = order.Enter(Writes("b", "c"));
        var other = order.Enter(Writes("d", "d"));
        Assert.False(first.SharesGrains);
        Assert.True(again.SharesGrains);
        Assert.False(other.SharesGrains);   // the same grain twice in one batch is that batch's own affair

        await first.LeaveAsync();
        await again.LeaveAsync();
        var later = order.Enter(Writes("a", "b", "c"));
        Assert.False(later.SharesGrains);
        Assert.True(order.Enter(Writes("d")).SharesGrains);
        await other.LeaveAsync();
        await later.LeaveAsync();
    }
}
