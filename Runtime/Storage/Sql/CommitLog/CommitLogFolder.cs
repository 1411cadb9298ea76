using System.Data.Common;
using System.Diagnostics;
using CustomerActors.Runtime.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// Every <see cref="StorageOptions.FoldInterval"/>, folds the embedded store's commit log into its tables: everything
/// committed up to that moment, in slices sized by <see cref="FoldPacer"/> (about <see cref="StorageOptions.FoldSliceTime"/>
/// each, at most <see cref="StorageOptions.FoldSlice"/> grains), each slice one transaction between two group commits,
/// so that writes wait for one slice at most. At a graceful stop it folds what is left.
/// Does nothing for a store without a commit log.
/// </summary>
public sealed partial class CommitLogFolder(SqlGrainStorage storage, IOptions<StorageOptions> options, ILogger<CommitLogFolder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.HasCommitLog)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.FoldInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!storage.IsMigrated || storage.UnfoldedGrains == 0)
            {
                continue;
            }

            try
            {
                await FoldAsync(paced: true, stoppingToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException ex)
            {
                LogFoldFailed(ex.Message);
            }
            catch (Exception ex) when (ex is InconsistentStateException or DbException)
            {
                // Not transient, and nothing is lost by it (the log and the unfolded writes in memory keep everything,
                // and reads see it), but the log cannot shrink: loud, while the platform goes on serving.
                LogFoldBroken(ex);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (storage.HasCommitLog && storage.IsMigrated)
        {
            try
            {
                await FoldAsync(paced: false, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException ex)
            {
                LogFoldFailed(ex.Message);
            }
        }
    }

    /// <param name="paced">Slices paced over the interval (<see cref="FoldPacer"/>); otherwise <see cref="StorageOptions.FoldSlice"/> grains at a time, back to back (at a stop: no commits are left to make way for).</param>
    private async Task FoldAsync(bool paced, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await storage.FoldAllAsync(paced ? null : options.Value.FoldSlice, cancellationToken).ConfigureAwait(false);
        LogFolded(result.Grains, result.Slices, result.UpToSeq, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Folded {Grains} grains in {Slices} slices, the commit log up to row {Seq}, in {Milliseconds:F1} ms")]
    private partial void LogFolded(int grains, int slices, long seq, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding the commit log failed; the log and memory keep the unfolded writes, and the next fold tries again")]
    private partial void LogFoldBroken(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding the commit log failed, the store is unavailable: {Reason}; the log keeps the writes and the next fold retries")]
    private partial void LogFoldFailed(string reason);
}
