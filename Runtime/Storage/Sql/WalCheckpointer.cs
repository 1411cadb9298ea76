using System.Diagnostics;
using CustomerActors.Runtime.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// Checkpoints the embedded store's write-ahead log in the background, every <see cref="StorageOptions.CheckpointInterval"/>,
/// instead of inside whichever commit crosses the log's size limit (that commit, and every write queued behind it,
/// would wait while megabytes are copied). Passive: never blocks readers or the writer. Under steady writes a passive
/// checkpoint never finds the log fully copied at the moment the writer starts, so the log would only grow: past
/// <see cref="RestartFrames"/> the frames the passive pass left are copied between two group commits, and the next
/// commit then writes the log again from its beginning. Only if readers kept it from doing so until the log reached
/// <see cref="ForcedRestartFrames"/> is the log restarted by force, which blocks writers until those readers finish.
/// Does nothing for providers without a log to checkpoint.
/// </summary>
public sealed partial class WalCheckpointer(SqlGrainStorage storage, IOptions<StorageOptions> options, ILogger<WalCheckpointer> logger) : BackgroundService
{
    /// <summary>Log frames (of 4 KB) past which the log is copied to its end between two commits, to start it again: 64 MB.</summary>
    public const long RestartFrames = 16_384;

    /// <summary>Log frames past which the log is restarted by force: 256 MB.</summary>
    public const long ForcedRestartFrames = 4 * RestartFrames;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.HasCheckpoint)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.CheckpointInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!storage.IsMigrated)
            {
                continue;
            }

            try
            {
                var (log, checkpointed) = await storage.CheckpointAsync(LogCheckpoint.Passive, stoppingToken).ConfigureAwait(false);
                LogCheckpointed(checkpointed, log);
                if (log >= RestartFrames)
                {
                    var started = Stopwatch.GetTimestamp();
                    var mode = log >= ForcedRestartFrames ? LogCheckpoint.Restart : LogCheckpoint.BetweenCommits;
                    (log, checkpointed) = await storage.CheckpointAsync(mode, stoppingToken).ConfigureAwait(false);
                    LogCopiedToEnd(mode, checkpointed, log, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogCheckpointFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Checkpointed {Checkpointed} of {Log} WAL frames")]
    private partial void LogCheckpointed(long checkpointed, long log);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WAL checkpoint {Mode}: {Checkpointed} of {Log} frames copied in {Milliseconds:F1} ms (the file-system flush and the wait for the commit in flight included)")]
    private partial void LogCopiedToEnd(LogCheckpoint mode, long checkpointed, long log, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint skipped, the store is unavailable: {Reason}; retried at the next interval")]
    private partial void LogCheckpointFailed(string reason);
}
