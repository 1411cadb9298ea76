using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Hosting;

/// <summary>
/// Starts and stops the silo in order. Start: migrate the schema (retrying in the background while the
/// store is unreachable, so the process comes up and reports not-ready), then collect idle activations
/// periodically. Stop: refuse new calls, let queued calls finish, deactivate every activation, drain the
/// group-commit queue.
/// </summary>
public sealed partial class SiloLifecycle(
    IGrainStorage storage,
    ActivationCatalog catalog,
    GroupCommitWriter writer,
    TimeProvider time,
    IOptions<GrainRuntimeOptions> options,
    ILogger<SiloLifecycle> logger) : IHostedService, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task _background = Task.CompletedTask;
    private Task? _stop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var migrated = await TryMigrateAsync(cancellationToken).ConfigureAwait(false);
        _background = Task.WhenAll(
            migrated ? Task.CompletedTask : RetryMigrationAsync(_stopping.Token),
            CollectIdleActivationsAsync(_stopping.Token));
    }

    /// <summary>Runs the stop once; hosts may stop, dispose, or dispose and then stop, in any order.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _stop ??= StopOnceAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task StopOnceAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _background.ConfigureAwait(false);
        _stopping.Dispose();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ShutdownTimeout);
        try
        {
            await catalog.DeactivateAllAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogShutdownTimedOut(catalog.Count);
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        LogStopped();
    }

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.MigrateAsync(cancellationToken).ConfigureAwait(false);
            LogStorageReady();
            return true;
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(ex.Message);
            return false;
        }
    }

    private async Task RetryMigrationAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        try
        {
            do
            {
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(15).Ticks));
            }
            while (!await TryMigrateAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping before the store came up.
        }
    }

    private async Task CollectIdleActivationsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.CollectionInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var collected = catalog.CollectIdle();
                if (collected > 0)
                {
                    LogCollected(collected);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready")]
    private partial void LogStorageReady();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unavailable, retrying in the background: {Reason}")]
    private partial void LogStorageUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Collecting {Count} idle activations")]
    private partial void LogCollected(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timed out with {Count} activations still resident")]
    private partial void LogShutdownTimedOut(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopped: activations deactivated, writes drained")]
    private partial void LogStopped();
}
