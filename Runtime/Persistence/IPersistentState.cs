namespace CustomerActors.Runtime.Persistence;

/// <summary>
/// A grain's durable state with its version. Every write is checked against the version read: a write
/// that would overwrite someone else's change fails with <see cref="InconsistentStateException"/>. After any
/// failed write the activation is discarded before its next turn, so it never serves state that differs
/// from storage.
/// </summary>
public interface IPersistentState<TState>
    where TState : class
{
    TState State { get; set; }

    /// <summary>Version of the stored record; 0 when nothing is stored yet.</summary>
    long Version { get; }

    bool RecordExists { get; }

    /// <summary>
    /// When time alone could next change this grain; written with the state. The silo's scheduler calls
    /// <see cref="Grains.Interfaces.Abstractions.IRemindable.ReceiveReminderAsync"/> then, across restarts.
    /// </summary>
    DateTimeOffset? DueAt { get; set; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Lets go of the <see cref="State"/> object and keeps only its stored form (a few hundred bytes) resident; the
    /// next access decodes it again. Changes not yet written are dropped with it: the state is again what storage holds.
    /// </summary>
    void Release();

    /// <summary>
    /// True, with the stored form, when the state is not decoded at the moment (released, or never accessed since it
    /// was read) and a record exists: a reader that needs only part of it can read that form instead of decoding, and
    /// so holding, the whole <see cref="State"/>. False while <see cref="State"/> is decoded: it may hold changes not
    /// written yet, and is what the grain sees.
    /// </summary>
    bool TryGetStored(out ReadOnlyMemory<byte> stored);

    /// <summary>
    /// Writes <see cref="State"/> and <see cref="DueAt"/>, appends <paramref name="journal"/> entries and
    /// <paramref name="outbox"/> messages, all in one transaction, batched
    /// with other grains' writes (group commit). Completes when durable.
    /// </summary>
    Task WriteStateAsync(IReadOnlyList<JournalEntry>? journal = null, CancellationToken cancellationToken = default, IReadOnlyList<OutboxMessage>? outbox = null);

    /// <summary>
    /// As <see cref="WriteStateAsync"/>, and lets go of the <see cref="State"/> object as soon as it is encoded
    /// (<see cref="Release"/>), not only after the write: a write waits for its group commit, and thousands of grains
    /// waiting at once each kept a decoded state the collector had to copy (docs/performance.md). For a grain that keeps
    /// only the stored form between turns anyway; the next access decodes what was written.
    /// </summary>
    Task WriteStateAndReleaseAsync(IReadOnlyList<JournalEntry>? journal = null, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken cancellationToken = default);
}
