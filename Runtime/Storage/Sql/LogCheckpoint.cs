namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>How <see cref="SqlGrainStorage.CheckpointAsync"/> copies the write-ahead log back into the store.</summary>
public enum LogCheckpoint
{
    /// <summary>Copies what it can while commits go on; blocks no one.</summary>
    Passive,

    /// <summary>
    /// Copies the rest between two group commits (the next waits for it: a few frames when a passive pass just ran;
    /// on Linux the file system is flushed first, outside the turn, so the copy has only its own frames to flush).
    /// With the log fully copied, the next commit starts writing it again from its beginning, unless a reader still
    /// reads from it; nothing waits for readers.
    /// </summary>
    BetweenCommits,

    /// <summary>Copies everything and waits until no reader uses the log, then starts it again; writers wait throughout.</summary>
    Restart,
}
