namespace CustomerActors.Runtime.Persistence;

/// <summary>
/// An append-only record kept with a grain's state, in a named stream (for a customer: its accepted events,
/// its decision changes). <see cref="EntryId"/> is unique per grain and stream, which makes appends
/// idempotent; <see cref="Seq"/> orders the stream.
/// </summary>
public sealed record JournalEntry(string Stream, long Seq, string EntryId, DateTimeOffset RecordedAt, ReadOnlyMemory<byte> Payload);
