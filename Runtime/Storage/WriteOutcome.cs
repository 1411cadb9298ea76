namespace CustomerActors.Runtime.Storage;

/// <summary>What became of one write of a group commit: committed, or refused whole (nothing of it stored) and why.</summary>
public sealed record WriteOutcome
{
    private WriteOutcome(bool isCommitted, IReadOnlyCollection<string> duplicateEntries)
    {
        IsCommitted = isCommitted;
        DuplicateEntries = duplicateEntries;
    }

    public static WriteOutcome Committed { get; } = new(true, []);

    /// <summary>The stored version was not the expected one.</summary>
    public static WriteOutcome VersionConflict { get; } = new(false, []);

    public bool IsCommitted { get; }

    /// <summary>Idempotent journal entries the stream already held; not empty when that is why the write was refused.</summary>
    public IReadOnlyCollection<string> DuplicateEntries { get; }

    public static WriteOutcome Duplicates(IReadOnlyCollection<string> entryIds) => new(false, entryIds);
}
