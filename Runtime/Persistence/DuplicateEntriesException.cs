namespace CustomerActors.Runtime.Persistence;

/// <summary>
/// A write was refused, and nothing of it stored, because its stream already held some of its idempotent journal
/// entries (events applied before). The state is not what storage holds any more: read it again, then apply the
/// write without those entries.
/// </summary>
public sealed class DuplicateEntriesException : Exception
{
    public DuplicateEntriesException() : this([])
    {
    }

    public DuplicateEntriesException(string message) : base(message) => EntryIds = [];

    public DuplicateEntriesException(string message, Exception innerException) : base(message, innerException) => EntryIds = [];

    public DuplicateEntriesException(IReadOnlyCollection<string> entryIds)
        : base($"Already journaled: {string.Join(", ", entryIds.Take(10))}{(entryIds.Count > 10 ? ", ..." : "")}; nothing was written.") =>
        EntryIds = entryIds;

    public IReadOnlyCollection<string> EntryIds { get; }
}
