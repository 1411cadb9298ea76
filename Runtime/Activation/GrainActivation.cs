using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>
/// One live activation of a grain: its mailbox and its instance. Messages run one turn at a time in
/// arrival order; a turn lasts until the grain method's task completes (no interleaving). The mailbox is
/// drained by a work item on the thread pool only while it has messages, so an idle activation holds no
/// thread and no pending continuation.
/// </summary>
/// <remarks>
/// The mailbox is one slot, with a queue made only when a second message waits: most activations see one call at a
/// time, and every resident customer would otherwise keep an empty queue and its array (96 bytes of the 1.5 KB a
/// resident customer may cost). It is guarded by a lock on the activation itself, which is internal and locked by
/// nothing else.
/// </remarks>
internal sealed class GrainActivation(GrainId grainId, int partition, ActivationCatalog catalog, long createdAt) : IGrainContext
{
    /// <summary>The message to run next; <see cref="_more"/> holds those behind it.</summary>
    private WorkItem? _next;
    private Queue<WorkItem>? _more;
    private Grain? _grain;
    private bool _running;
    private bool _stateInvalidated;
    private bool _deactivationQueued;
    private volatile bool _invalid;
    private long _lastCallAt = createdAt;
    private int _evictionPending;

    public GrainId GrainId { get; } = grainId;

    public int Partition { get; } = partition;

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the latest call's arrival.</summary>
    public long LastCallAt => Volatile.Read(ref _lastCallAt);

    /// <summary>False once deactivated; messages that still reach it are forwarded to a fresh activation.</summary>
    public bool IsValid => !_invalid;

    /// <summary>Marks this activation as chosen for eviction; false if it already was.</summary>
    public bool TryMarkForEviction() => Interlocked.Exchange(ref _evictionPending, 1) == 0;

    public bool IsMarkedForEviction => Volatile.Read(ref _evictionPending) == 1;

    public void Enqueue(WorkItem item, long timestamp)
    {
        if (item is not DeactivationRequest)
        {
            Volatile.Write(ref _lastCallAt, timestamp);
        }

        lock (this)
        {
            if (_next is null)
            {
                _next = item;
            }
            else
            {
                (_more ??= new Queue<WorkItem>()).Enqueue(item);
            }

            if (_running)
            {
                return;
            }

            _running = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static activation => _ = activation.RunAsync(), this, preferLocal: false);
    }

    public void DeactivateOnIdle()
    {
        if (!_deactivationQueued)
        {
            _deactivationQueued = true;
            Enqueue(new DeactivationRequest(DeactivationReason.Requested, onlyIfIdleSince: null), 0);
        }
    }

    public void InvalidateState() => _stateInvalidated = true;

    private async Task RunAsync()
    {
        while (true)
        {
            WorkItem? item;
            lock (this)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                item = _next;
                _next = _more is { Count: > 0 } more ? more.Dequeue() : null;
            }

            await ProcessAsync(item).ConfigureAwait(false);

            // Still this activation's turn (_running is set): a call arriving meanwhile waits in the mailbox.
            bool idle;
            lock (this)
            {
                idle = _next is null;
            }

            if (idle && !_invalid && !_stateInvalidated)
            {
                _grain?.OnIdle();
            }
        }
    }

    private async Task ProcessAsync(WorkItem item)
    {
        if (item is DeactivationRequest request)
        {
            await DeactivateAsync(request).ConfigureAwait(false);
            return;
        }

        if (_invalid)
        {
            catalog.Forward(GrainId, item);
            return;
        }

        if (_grain is null || _stateInvalidated)
        {
            _grain = await catalog.TryActivateAsync(this, item).ConfigureAwait(false);
            _stateInvalidated = false;
            if (_grain is null)
            {
                return;
            }
        }

        await item.ExecuteAsync(_grain).ConfigureAwait(false);
    }

    private async Task DeactivateAsync(DeactivationRequest request)
    {
        if (_invalid || (request.OnlyIfIdleSince is { } since && LastCallAt != since))
        {
            // Already gone, or a call arrived after the collector chose this activation: keep it.
            Volatile.Write(ref _evictionPending, 0);
            request.Complete();
            return;
        }

        var grain = _stateInvalidated ? null : _grain;
        _grain = null;
        _invalid = true;
        if (grain is not null)
        {
            await catalog.RunDeactivationAsync(grain, request.Reason).ConfigureAwait(false);
        }

        catalog.Remove(this);
        request.Complete();
    }
}
