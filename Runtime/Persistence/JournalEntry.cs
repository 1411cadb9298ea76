namespace CustomerActors.Runtime.Persistence;

/// <summary>
/// An append-only record kept with a grain's state (for a customer: an accepted event). <see cref="EntryId"/>
/// is unique per grain, which makes appends idempotent; <see cref="Seq"/> orders the grain's entries.
/// </summary>
public sealed record JournalEntry(long Seq, string EntryId, DateTimeOffset RecordedAt, ReadOnlyMemory<byte> Payload);
