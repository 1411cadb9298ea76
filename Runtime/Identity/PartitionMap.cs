using System.Text;

namespace CustomerActors.Runtime.Identity;

/// <summary>
/// The one place that maps a key to its partition: a stable hash (FNV-1a over the key's UTF-8 bytes,
/// identical in every process and on every platform) modulo a fixed partition count. Cluster mode
/// assigns partitions to silos; storage keeps the partition with each state row.
/// </summary>
public sealed class PartitionMap
{
    public const int DefaultPartitionCount = 64;

    public PartitionMap(int partitionCount = DefaultPartitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        PartitionCount = partitionCount;
    }

    public int PartitionCount { get; }

    public int PartitionOf(string key) => (int)(StableHash(key) % (uint)PartitionCount);

    /// <summary>32-bit FNV-1a of the UTF-8 encoding. Never change: stored partitions depend on it.</summary>
    public static uint StableHash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        const uint OffsetBasis = 2166136261;
        const uint Prime = 16777619;

        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(key.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(key, buffer)]
            : Encoding.UTF8.GetBytes(key);

        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
