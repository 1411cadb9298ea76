using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Reminders;

/// <summary>
/// Wakes grains whose durable due time has come (our counterpart of Orleans reminders). Due times are stored
/// with the state, so a grain that is idle, evicted or on a silo that restarted is still woken exactly when
/// it should be: the scheduler reads due grains from storage, calls
/// <see cref="IRemindable.ReceiveReminderAsync"/>, and sleeps until the next due time (at most the poll
/// interval, so due times written meanwhile are seen).
/// </summary>
public sealed partial class ReminderScheduler(
    IGrainStorage storage,
    ActivationCatalog catalog,
    TimeProvider time,
    IOptions<GrainRuntimeOptions> options,
    ILogger<ReminderScheduler> logger) : BackgroundService
{
    /// <summary>Grains read per query; a pass reads at most <see cref="MaxBatchesPerPass"/> of them.</summary>
    public const int BatchSize = 1000;
    public const int MaxBatchesPerPass = 20;

    /// <summary>Wakes every grain due by now. Returns how many were woken; a grain that fails is retried next pass.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var woken = 0;
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var due = await storage.ReadDueAsync(time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
            var results = await Task.WhenAll(due.Select(WakeAsync)).ConfigureAwait(false);
            woken += results.Count(ok => ok);
            if (due.Count < BatchSize || results.All(ok => !ok))
            {
                break;
            }
        }

        return woken;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.ReminderPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = poll;
            try
            {
                await RunDueAsync(stoppingToken).ConfigureAwait(false);
                if (await storage.NextDueAsync(stoppingToken).ConfigureAwait(false) is { } next)
                {
                    var untilNext = next - time.GetUtcNow();
                    delay = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext < poll ? untilNext : poll;
                }
            }
            catch (StorageUnavailableException ex)
            {
                LogStorageUnavailable(ex.Message);
            }
            catch (SiloUnavailableException)
            {
                return;
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> WakeAsync(DueGrain due)
    {
        try
        {
            await catalog.InvokeAsync(due.GrainId, async grain =>
            {
                if (grain is not IRemindable remindable)
                {
                    throw new InvalidOperationException($"{due.GrainId} has a due time but does not implement IRemindable.");
                }

                await remindable.ReceiveReminderAsync(due.DueAt).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not SiloUnavailableException and not OperationCanceledException)
        {
            LogWakeFailed(due.GrainId.ToString(), ex);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking {GrainId} at its due time failed; it is retried on the next pass")]
    private partial void LogWakeFailed(string grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reminder pass skipped, storage unavailable: {Reason}")]
    private partial void LogStorageUnavailable(string reason);
}
