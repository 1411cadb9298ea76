namespace CustomerActors.Runtime.Storage;

/// <summary>A stored version of a document.</summary>
public sealed record StoredDocument(int Version, string Body, DateTimeOffset CreatedAt);

/// <summary>A version of a document, without its body.</summary>
public sealed record DocumentVersion(int Version, DateTimeOffset CreatedAt);

/// <summary>Versioned documents (the customer policy): every version kept; a version is written once.</summary>
public interface IDocumentStore
{
    /// <summary>Stores a new version; false when that version exists already (someone else saved it first).</summary>
    Task<bool> TryAddAsync(string kind, StoredDocument document, CancellationToken cancellationToken);

    Task<StoredDocument?> ReadAsync(string kind, int version, CancellationToken cancellationToken);

    Task<StoredDocument?> ReadLatestAsync(string kind, CancellationToken cancellationToken);

    /// <summary>Versions newest first.</summary>
    Task<IReadOnlyList<DocumentVersion>> ListAsync(string kind, int limit, CancellationToken cancellationToken);
}

/// <summary>A stored state row with its key, for scans over all grains of a type.</summary>
public sealed record StoredStateRow(string Key, long Version, byte[] Payload);
