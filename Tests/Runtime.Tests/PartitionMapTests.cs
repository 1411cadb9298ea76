using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Tests;

public class PartitionMapTests
{
    [Theory]
    [InlineData("C001", 41)]
    [InlineData("ED2024001", 19)]
    [InlineData("客户-C001", 6)]
    [InlineData("", 5)]
    public void The_partition_of_a_key_never_changes(string key, int partition)
    {
        // Stored rows carry these numbers: a change to the hash would strand data in the wrong partition.
        Assert.Equal(partition, new PartitionMap(64).PartitionOf(key));
    }

    [Fact]
    public void Keys_spread_over_all_partitions()
    {
        var map = new PartitionMap(64);
        var counts = Enumerable.Range(0, 64_000).GroupBy(i => map.PartitionOf($"C{i:D6}")).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(64, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 700, 1300));
    }

    [Fact]
    public void Keys_longer_than_the_stack_buffer_hash_the_same_way()
    {
        // FNV-1a of 300 'x' bytes, computed independently.
        Assert.Equal(53, new PartitionMap(64).PartitionOf(new string('x', 300)));
    }
}
