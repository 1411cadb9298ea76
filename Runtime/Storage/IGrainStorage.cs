using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;

namespace CustomerActors.Runtime.Storage;

/// <summary>A stored state row.</summary>
public sealed record StoredState(long Version, byte[] Payload);

/// <summary>
/// One grain's write in a group commit: the new state if the stored version still equals
/// <see cref="ExpectedVersion"/> (0: no row yet), and journal entries appended only if that check passes.
/// </summary>
public sealed record StateWrite(
    GrainId GrainId,
    int Partition,
    long ExpectedVersion,
    ReadOnlyMemory<byte> Payload,
    DateTimeOffset WrittenAt,
    IReadOnlyList<JournalEntry> Journal)
{
    public long NewVersion => ExpectedVersion + 1;
}

/// <summary>A journal entry as stored.</summary>
public sealed record StoredJournalEntry(long Seq, string EntryId, DateTimeOffset RecordedAt, byte[] Payload);

/// <summary>
/// Durable grain state and journals. Implementations translate provider errors that mean "cannot reach the
/// store" into <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Creates or upgrades the schema (idempotent; safe when several processes start at once).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<StoredState?> ReadStateAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Commits all writes in one transaction. Returns, per write, whether its version check passed.</summary>
    Task<IReadOnlyList<bool>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="entryIds"/> the grain's journal already holds.</summary>
    Task<IReadOnlySet<string>> FindJournalEntriesAsync(GrainId grainId, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken);

    /// <summary>Journal entries newest first, with a sequence number below <paramref name="beforeSeq"/>.</summary>
    Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainId grainId, long beforeSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The store answers and its schema is at the version this build expects.</summary>
    Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken);
}

public sealed record StorageHealth(bool IsHealthy, string Description);
