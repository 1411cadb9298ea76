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
/// <see cref="RestartFrames"/> it is also restarted, which blocks the writer only for the frames the passive pass left.
/// Does nothing for providers without a log to checkpoint.
/// </summary>
public sealed partial class WalCheckpointer(SqlGrainStorage storage, IOptions<StorageOptions> options, ILogger<WalCheckpointer> logger) : BackgroundService
{
    /// <summary>Log frames (of 4 KB) past which the log is restarted: 64 MB.</summary>
    public const long RestartFrames = 16_384;

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
                var (log, checkpointed) = await storage.CheckpointAsync(restart: false, stoppingToken).ConfigureAwait(false);
                LogCheckpointed(checkpointed, log);
                if (log >= RestartFrames)
                {
                    await storage.CheckpointAsync(restart: true, stoppingToken).ConfigureAwait(false);
                    LogRestarted(log);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "WAL of {Log} frames restarted")]
    private partial void LogRestarted(long log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL checkpoint skipped, the store is unavailable: {Reason}; retried at the next interval")]
    private partial void LogCheckpointFailed(string reason);
}
