namespace CustomerActors.Runtime.Persistence;

/// <summary>
/// An append-only record kept with a grain's state, in a named stream (for a customer: its accepted events,
/// its decision changes). <see cref="EntryId"/> is unique per grain and stream; <see cref="Seq"/> orders the stream.
/// </summary>
/// <param name="Idempotent">
/// The entry id is an idempotency key (an event id): if the stream already holds it, the whole write is refused and
/// reported with <see cref="DuplicateEntriesException"/>, so the grain can apply the rest without it. Otherwise a
/// repeated id is a defect and fails the write.
/// </param>
public sealed record JournalEntry(string Stream, long Seq, string EntryId, DateTimeOffset RecordedAt, ReadOnlyMemory<byte> Payload, bool Idempotent = false);
