using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;

namespace CustomerActors.Runtime.Storage;

/// <summary>A stored state row.</summary>
public sealed record StoredState(long Version, byte[] Payload, DateTimeOffset? DueAt = null);

/// <summary>
/// One grain's write in a group commit: the new state if the stored version still equals
/// <see cref="ExpectedVersion"/> (0: no row yet); journal entries and outbox messages are written only if that
/// check passes, in the same transaction.
/// </summary>
public sealed record StateWrite(
    GrainId GrainId,
    int Partition,
    long ExpectedVersion,
    ReadOnlyMemory<byte> Payload,
    DateTimeOffset WrittenAt,
    IReadOnlyList<JournalEntry> Journal,
    DateTimeOffset? DueAt = null,
    IReadOnlyList<OutboxMessage>? Outbox = null)
{
    public long NewVersion => ExpectedVersion + 1;

    /// <summary>
    /// True when <see cref="DueAt"/> is the due moment the stored row at <see cref="ExpectedVersion"/> holds: the
    /// update then leaves the row's due moment, and so the due-time index, alone (an index entry rewritten to the
    /// same value still costs SQLite a page).
    /// </summary>
    public bool KeepsDueAt { get; init; }
}

/// <summary>A journal entry as stored.</summary>
public sealed record StoredJournalEntry(long Seq, string EntryId, DateTimeOffset RecordedAt, byte[] Payload);

/// <summary>Entry ids to look for in one grain's journal stream.</summary>
internal sealed record JournalLookup(GrainId GrainId, string Stream, IReadOnlyCollection<string> EntryIds);

/// <summary>A grain whose due moment has come.</summary>
public sealed record DueGrain(GrainId GrainId, DateTimeOffset DueAt);

/// <summary>An outbox message as stored, with its position and workflow status (null status: open).</summary>
public sealed record StoredMessage(
    long Seq,
    string MessageId,
    string Topic,
    string Label,
    GrainId GrainId,
    DateTimeOffset CreatedAt,
    byte[] Payload,
    string? Status,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? ResolvedBy,
    DateTimeOffset? ResolvedAt,
    string? Note);

/// <summary>Which outbox messages to read: after a position, optionally filtered. Null filters match anything.</summary>
public sealed record OutboxQuery(
    long AfterSeq,
    int Limit,
    string? Topic = null,
    string? Label = null,
    string? GrainKey = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Status = null);

/// <summary>A workflow step on a message: acknowledged or resolved, by whom, when, with an optional note.</summary>
public sealed record MessageStatusChange(string MessageId, string Status, string Actor, DateTimeOffset At, string? Note);

/// <summary>
/// Durable grain state, journals, due times and the outbox. Implementations translate provider errors that
/// mean "cannot reach the store" into <see cref="StorageUnavailableException"/>.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Creates or upgrades the schema (idempotent; safe when several processes start at once).</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<StoredState?> ReadStateAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Commits the writes together. Per write: committed, or refused whole because its version check failed or its
    /// stream already held one of its idempotent entries; a refused write stores nothing and fails no other.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// How many <see cref="WriteBatchAsync"/> calls the store takes at once (at least 1). Batches under way together still
    /// commit in the order the calls were made, and their outbox messages take positions in that order.
    /// </summary>
    int CommitsInFlight { get; }

    /// <summary>Which of <paramref name="entryIds"/> the grain's journal stream already holds.</summary>
    Task<IReadOnlySet<string>> FindJournalEntriesAsync(GrainId grainId, string stream, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken);

    /// <summary>Journal entries of a stream, newest first, with a sequence number below <paramref name="beforeSeq"/>.</summary>
    Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainId grainId, string stream, long beforeSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Stored states of one grain type in key order, after <paramref name="afterKey"/> (empty: from the start).</summary>
    Task<IReadOnlyList<StoredStateRow>> ReadStatesAsync(string grainType, string afterKey, int limit, CancellationToken cancellationToken);

    /// <summary>Grains due at or before <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<DueGrain>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest due moment of any grain, or null.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredMessage>> ReadOutboxAsync(OutboxQuery query, CancellationToken cancellationToken);

    /// <summary>The position of the latest outbox message (0 when there is none).</summary>
    Task<long> LastOutboxSeqAsync(CancellationToken cancellationToken);

    Task<StoredMessage?> ReadOutboxMessageAsync(string messageId, CancellationToken cancellationToken);

    Task SetMessageStatusAsync(MessageStatusChange change, CancellationToken cancellationToken);

    /// <summary>The store answers and its schema is at the version this build expects.</summary>
    Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken);
}

public sealed record StorageHealth(bool IsHealthy, string Description);
