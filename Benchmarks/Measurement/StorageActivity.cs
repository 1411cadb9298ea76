namespace CustomerActors.Benchmarks.Measurement;

/// <summary>The platform's storage counters at one moment, from its <c>/metrics</c>.</summary>
public sealed record StorageSnapshot(double CommitMilliseconds, long Commits, long Writes, long? DiskBytesWritten)
{
    /// <summary>Reads the counters from Prometheus text; the disk bytes are null where the platform does not export them.</summary>
    public static StorageSnapshot Parse(string metrics) => new(
        MetricsEndpoint.Sum(metrics, "customeractors_storage_commit_duration_milliseconds_sum"),
        (long)MetricsEndpoint.Sum(metrics, "customeractors_storage_commit_duration_milliseconds_count"),
        (long)MetricsEndpoint.Sum(metrics, "customeractors_storage_commit_writes_sum"),
        MetricsEndpoint.Find(metrics, "process_disk_io_bytes_total", "disk_io_direction=\"write\"") is { } written ? (long)written : null);
}

/// <summary>
/// What the platform's one group-commit writer did during a run: the share of the run's wall time it spent committing
/// (commits under way at once each count, so with PostgreSQL's <c>Storage:CommitsInFlight</c> of 2 it can reach 200%),
/// grain state writes per commit and per event, and the bytes the platform's process wrote to storage devices per event
/// (the embedded store's write-ahead log and checkpoints; with PostgreSQL its server writes, not the platform).
/// </summary>
public sealed record StorageFigures(double WriterBusyPercent, double CommitsPerSecond, double WritesPerCommit, double WritesPerEvent, long? DiskBytesWrittenPerEvent)
{
    public static StorageFigures? Between(StorageSnapshot? before, StorageSnapshot? after, long events, double seconds)
    {
        if (before is null || after is null || events <= 0 || seconds <= 0)
        {
            return null;
        }

        var commits = after.Commits - before.Commits;
        var writes = after.Writes - before.Writes;
        return new StorageFigures(
            Math.Round(100 * (after.CommitMilliseconds - before.CommitMilliseconds) / (seconds * 1000), 1),
            Math.Round(commits / seconds, 1),
            commits > 0 ? Math.Round((double)writes / commits, 1) : 0,
            Math.Round((double)writes / events, 2),
            after.DiskBytesWritten - before.DiskBytesWritten is { } written ? written / events : null);
    }
}
