using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Storage.Sql.CommitLog;
using CustomerActors.TestSupport;

namespace CustomerActors.Runtime.Tests;

public sealed class RecentWritesTests
{
    private static readonly TimeSpan Generation = TimeSpan.FromSeconds(5);
    private static readonly GrainId A = new("test", "a");

    [Fact]
    public void A_grain_written_is_recent_for_one_to_two_generations()
    {
        var time = new ManualTimeProvider();
        var recent = new RecentWrites(Generation, time);
        recent.Add(A);

        time.Advance(TimeSpan.FromSeconds(6));
        recent.Advance();
        Assert.True(recent.Contains(A));

        time.Advance(TimeSpan.FromSeconds(5));
        recent.Advance();
        Assert.False(recent.Contains(A));
    }

    [Fact]
    public void Nothing_is_forgotten_within_a_generation()
    {
        var time = new ManualTimeProvider();
        var recent = new RecentWrites(Generation, time);
        recent.Add(A);

        time.Advance(TimeSpan.FromSeconds(4.9));
        recent.Advance();

        Assert.True(recent.Contains(A));
        Assert.False(recent.Contains(new GrainId("test", "b")));
    }

    [Fact]
    public void After_two_generations_without_a_write_everything_is_forgotten_at_once()
    {
        var time = new ManualTimeProvider();
        var recent = new RecentWrites(Generation, time);
        recent.Add(A);

        time.Advance(TimeSpan.FromSeconds(10));
        recent.Advance();

        Assert.False(recent.Contains(A));
        Assert.Equal(0, recent.Count);
    }
}
