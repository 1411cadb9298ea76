using System.Diagnostics;
using System.Threading.Channels;
using CustomerActors.Runtime.Diagnostics;
using CustomerActors.Runtime.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Storage;

/// <summary>
/// Group commit: state writes from many grains are queued and committed together in one transaction,
/// so throughput does not depend on one commit per event. While a commit is in flight the next batch
/// gathers (and, where the store takes several commits at once, goes to it). Each caller's task completes
/// only when its write is durable (or fails).
/// </summary>
public sealed partial class GroupCommitWriter : IAsyncDisposable
{
    private readonly IGrainStorage _storage;
    private readonly CommitSignal? _committed;
    private readonly PlatformMetrics? _metrics;
    private readonly ILogger<GroupCommitWriter> _logger;
    private readonly int _maxBatchSize;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public GroupCommitWriter(IGrainStorage storage, IOptions<StorageOptions> options, ILogger<GroupCommitWriter> logger, CommitSignal? committed = null, PlatformMetrics? metrics = null)
    {
        _storage = storage;
        _committed = committed;
        _metrics = metrics;
        _logger = logger;
        _maxBatchSize = options.Value.MaxBatchSize;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Completes when the write is committed; throws <see cref="InconsistentStateException"/> on a version conflict and
    /// <see cref="DuplicateEntriesException"/> when an idempotent entry was journaled before.
    /// </summary>
    public Task WriteAsync(StateWrite write)
    {
        var pending = new PendingWrite(write);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StorageUnavailableException("The storage writer has stopped.");
        }

        return pending.Completion.Task;
    }

    /// <summary>
    /// Gathers what is queued into a batch and commits it; with a store that takes several commits at once
    /// (<see cref="IGrainStorage.CommitsInFlight"/>) the next batch is gathered and handed over while earlier ones are
    /// under way, up to that many. The store keeps them in order.
    /// </summary>
    private async Task RunAsync()
    {
        var inFlight = new Queue<Task>();
        var depth = Math.Max(1, _storage.CommitsInFlight);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var batch = new List<PendingWrite>();
            while (batch.Count < _maxBatchSize && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            inFlight.Enqueue(CommitAsync(batch));
            if (inFlight.Count == depth)
            {
                await inFlight.Dequeue().ConfigureAwait(false);
            }
        }

        while (inFlight.TryDequeue(out var commit))
        {
            await commit.ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var results = await _storage.WriteBatchAsync([.. batch.Select(p => p.Write)], CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                Complete(batch[i], results[i]);
            }

            if (batch.Exists(p => p.Write.Outbox is { Count: > 0 }))
            {
                _committed?.Pulse();
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            _metrics?.Committed(batch.Count, elapsed);
            LogCommitted(batch.Count, elapsed.TotalMilliseconds);
        }
        catch (StorageUnavailableException ex)
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
#pragma warning disable CA1031 // Not swallowed: the batch is retried write by write so one bad write cannot fail the others.
        catch (Exception ex) when (batch.Count > 1)
#pragma warning restore CA1031
        {
            LogBatchFailed(batch.Count, ex);
            foreach (var pending in batch)
            {
                await CommitAsync([pending]).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Not swallowed: the failure is the caller's result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            batch[0].Completion.TrySetException(ex);
        }
    }

    private static void Complete(PendingWrite pending, WriteOutcome outcome)
    {
        if (outcome.IsCommitted)
        {
            pending.Completion.TrySetResult();
        }
        else if (outcome.DuplicateEntries.Count > 0)
        {
            pending.Completion.TrySetException(new DuplicateEntriesException(outcome.DuplicateEntries));
        }
        else
        {
            pending.Completion.TrySetException(new InconsistentStateException(
                $"State of {pending.Write.GrainId} is no longer at version {pending.Write.ExpectedVersion}; nothing was written."));
        }
    }

    /// <summary>Stops taking writes and waits for the queued ones to commit.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class PendingWrite(StateWrite write)
    {
        public StateWrite Write { get; } = write;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "Committed {Count} state writes in {Milliseconds:F2} ms")]
    private partial void LogCommitted(int count, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A group commit of {Count} writes failed; retrying each write on its own")]
    private partial void LogBatchFailed(int count, Exception exception);
}
