using System.Collections.Concurrent;
using CustomerActors.Runtime.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Activation;

/// <summary>
/// The activation table: at most one activation per grain id in this silo. Calls are routed to the
/// activation (created on first use), idle activations are collected, and the least recently used are
/// evicted beyond the configured cap.
/// </summary>
public sealed partial class ActivationCatalog(
    GrainTypeRegistry registry,
    IServiceProvider services,
    PartitionMap partitions,
    TimeProvider time,
    IOptions<GrainRuntimeOptions> options,
    ILogger<ActivationCatalog> logger)
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();

    /// <summary>
    /// The activations' count, kept beside the table: its own Count takes every one of its locks, and was asked on each
    /// new activation (CheckCapacity), where thousands of activations a second waited on one another for it.
    /// </summary>
    private int _count;
    private readonly GrainRuntimeOptions _options = options.Value;
    private volatile bool _stopping;
    private int _evictionRunning;
    private int _evictionsInFlight;

    /// <summary>Resident activations.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The resident activations, enumerated without a lock: the table's Values would take every one of its locks and copy
    /// it whole (a million activations) while new activations wait.
    /// </summary>
    private IEnumerable<GrainActivation> Resident => _activations.Select(static entry => entry.Value);

    public bool IsActive(GrainId grainId) => _activations.ContainsKey(grainId);

    /// <summary>Queues a call for the grain's activation and returns the call's result.</summary>
    public Task<TResult> InvokeAsync<TResult>(GrainId grainId, Func<Grain, Task<TResult>> call) =>
        Invoke(grainId, new DelegateCall<TResult>(call));

    /// <summary>Queues <paramref name="call"/> for the grain's activation and returns the caller's task.</summary>
    internal Task<TResult> Invoke<TResult>(GrainId grainId, GrainCall<TResult> call)
    {
        Enqueue(grainId, call);
        return call.Task;
    }

    internal void Forward(GrainId grainId, IWorkItem item) => Enqueue(grainId, item);

    private void Enqueue(GrainId grainId, IWorkItem item)
    {
        if (_stopping)
        {
            item.Fail(new SiloUnavailableException());
            return;
        }

        var now = time.GetTimestamp();
        if (!_activations.TryGetValue(grainId, out var activation))
        {
            var created = new GrainActivation(grainId, partitions.PartitionOf(grainId.Key), this, now);
            activation = _activations.GetOrAdd(grainId, created);
            if (ReferenceEquals(activation, created))
            {
                Interlocked.Increment(ref _count);
                CheckCapacity();
            }
        }

        activation.Enqueue(item, now);
    }

    internal async Task<Grain?> TryActivateAsync(GrainActivation activation, IWorkItem firstCall)
    {
        try
        {
            var grain = registry.CreateInstance(services, activation.GrainId.Type, activation);
            await grain.OnActivateAsync(CancellationToken.None).ConfigureAwait(false);
            return grain;
        }
#pragma warning disable CA1031 // Activation failure is the call's result; the next call retries activation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogActivationFailed(activation.GrainId, ex);
            firstCall.Fail(ex);
            return null;
        }
    }

    internal async Task RunDeactivationAsync(Grain grain, DeactivationReason reason)
    {
        try
        {
            await grain.OnDeactivateAsync(reason, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // State is written on every change; a failing hook must not keep the activation alive.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogDeactivationFailed(grain.GrainId, ex);
        }
    }

    internal void Remove(GrainActivation activation)
    {
        if (_activations.TryRemove(KeyValuePair.Create(activation.GrainId, activation)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Deactivates every activation unused for longer than the idle timeout. Returns how many were asked to go.</summary>
    public int CollectIdle()
    {
        var cutoff = time.GetTimestamp() - (long)(_options.IdleTimeout.TotalSeconds * time.TimestampFrequency);
        var collected = 0;
        foreach (var activation in Resident)
        {
            var lastCall = activation.LastCallAt;
            if (lastCall < cutoff)
            {
                activation.Enqueue(new DeactivationRequest(DeactivationReason.Idle, lastCall), lastCall);
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Graceful stop: refuses new activations, lets queued calls finish, deactivates everything.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        var requests = new List<Task>(Count);
        foreach (var activation in _activations.Values)
        {
            var request = new DeactivationRequest(DeactivationReason.Shutdown, onlyIfIdleSince: null);
            activation.Enqueue(request, 0);
            requests.Add(request.Task);
        }

        await Task.WhenAll(requests).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void CheckCapacity()
    {
        if (Count - Volatile.Read(ref _evictionsInFlight) > _options.MaxActivations
            && Interlocked.CompareExchange(ref _evictionRunning, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static catalog => catalog.EvictLeastRecentlyUsed(), this, preferLocal: false);
        }
    }

    /// <summary>Asks the least recently used activations (not already leaving) to deactivate, down to the cap.</summary>
    private void EvictLeastRecentlyUsed()
    {
        try
        {
            var excess = Count - _options.MaxActivations - Volatile.Read(ref _evictionsInFlight);
            if (excess <= 0)
            {
                return;
            }

            var candidates = Resident
                .Where(a => !a.IsMarkedForEviction)
                .Select(a => (Activation: a, LastCall: a.LastCallAt))
                .ToArray();
            Array.Sort(candidates, static (x, y) => x.LastCall.CompareTo(y.LastCall));
            foreach (var (activation, lastCall) in candidates.Take(excess))
            {
                if (!activation.TryMarkForEviction())
                {
                    continue;
                }

                var request = new DeactivationRequest(DeactivationReason.CapacityExceeded, lastCall);
                Interlocked.Increment(ref _evictionsInFlight);
                _ = request.Task.ContinueWith(
                    static (_, state) =>
                    {
                        var catalog = (ActivationCatalog)state!;
                        Interlocked.Decrement(ref catalog._evictionsInFlight);
                        catalog.CheckCapacity(); // a skipped eviction (the grain was used meanwhile) is made up for
                    },
                    this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                activation.Enqueue(request, lastCall);
            }
        }
        finally
        {
            Volatile.Write(ref _evictionRunning, 0);
        }

        CheckCapacity();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activation of {GrainId} failed")]
    private partial void LogActivationFailed(GrainId grainId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deactivation hook of {GrainId} failed; the activation is removed anyway")]
    private partial void LogDeactivationFailed(GrainId grainId, Exception exception);
}
