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
internal sealed class GrainActivation(GrainId grainId, int partition, ActivationCatalog catalog, long createdAt) : IGrainContext, IThreadPoolWorkItem
{
    /// <summary>The message to run next; <see cref="_more"/> holds those behind it.</summary>
    private IWorkItem? _next;
    private Queue<IWorkItem>? _more;
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

    public void Enqueue(IWorkItem item, long timestamp)
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
                (_more ??= new Queue<IWorkItem>()).Enqueue(item);
            }

            if (_running)
            {
                return;
            }

            _running = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
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

    /// <summary>Drains the mailbox; queued on the thread pool by <see cref="Enqueue"/> (the activation is its own work item).</summary>
    void IThreadPoolWorkItem.Execute() => _ = RunAsync();

    private async Task RunAsync()
    {
        while (true)
        {
            IWorkItem? item;
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

            // The common case, a call to a live instance, is awaited here and not in a method of its own: each async
            // method in the chain is one more object per call in flight.
            var grain = item is DeactivationRequest || _invalid || _grain is null || _stateInvalidated
                ? await PrepareAsync(item).ConfigureAwait(false)
                : _grain;
            if (grain is not null && StartTurn(grain, item) is { } turn)
            {
                // The grain method's exception is the caller's, handed over by Complete.
                await turn.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                item.Complete(turn);
            }

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

    /// <summary>Starts the turn of <paramref name="item"/> on <paramref name="grain"/>; null when it failed to start.</summary>
    private static Task? StartTurn(Grain grain, IWorkItem item)
    {
        try
        {
            return item.Start(grain) ?? throw new InvalidOperationException($"A method of {grain.GetType().Name} returned no task.");
        }
#pragma warning disable CA1031 // The exception is the call's result: it is handed to the caller, not swallowed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            item.Fail(ex);
            return null;
        }
    }

    /// <summary>
    /// What a message needs before its turn: a deactivation is carried out, a message to a deactivated activation is
    /// forwarded, and an instance is activated (its state read) if there is none. The instance to run the turn on, or
    /// null when there is no turn to run.
    /// </summary>
    private async Task<Grain?> PrepareAsync(IWorkItem item)
    {
        if (item is DeactivationRequest request)
        {
            await DeactivateAsync(request).ConfigureAwait(false);
            return null;
        }

        if (_invalid)
        {
            catalog.Forward(GrainId, item);
            return null;
        }

        if (_grain is null || _stateInvalidated)
        {
            _grain = await catalog.TryActivateAsync(this, item).ConfigureAwait(false);
            _stateInvalidated = false;
        }

        return _grain;
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
