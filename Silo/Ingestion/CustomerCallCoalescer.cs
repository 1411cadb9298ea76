using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Silo.Ingestion;

/// <summary>
/// At most one <see cref="ICustomerGrain.ApplyAsync"/> call in flight per customer from this silo. Events for a
/// customer whose call is still in flight wait, and all that arrived meanwhile go together in its next call.
/// </summary>
/// <remarks>
/// A customer's grain takes one call at a time, and a call ends only once its write is durable: one group commit per
/// call. Without this, a busy customer named in many concurrent small batches (or broker messages) gets one call per
/// batch, each waiting for the commit after the one before, and every batch naming it waits for all of them. Coalesced,
/// such a customer needs one commit per round of arrivals. Each caller still completes only when its own events are
/// durable, in arrival order; an event id sent twice in one round is applied once (the grain reports the later one as
/// a duplicate); a failed call fails every caller in it, which then retries as it would have.
/// </remarks>
public sealed class CustomerCallCoalescer(IGrainFactory grains)
{
    /// <summary>Events in one coalesced call at most: the rounds of a very busy customer are cut into calls of about this size.</summary>
    public const int MaxEventsPerCall = 1000;

    /// <summary>Customers with a call in flight, and the parts waiting for their next call (null: none yet).</summary>
    private readonly Dictionary<string, Queue<Part>?> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Applies <paramref name="events"/> (all of one customer) and returns which of them were duplicates.</summary>
    public Task<ApplyResult> ApplyAsync(string customerId, IReadOnlyList<TransactionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(events);
        lock (_lock)
        {
            if (_inFlight.TryGetValue(customerId, out var waiting))
            {
                // A call is in flight: these events go in the next one.
                var part = new Part(events);
                (waiting ??= _inFlight[customerId] = new Queue<Part>()).Enqueue(part);
                return part.Done.Task;
            }

            _inFlight.Add(customerId, null);
        }

        return CallFirstAsync(customerId, events);
    }

    /// <summary>The call of a customer with none in flight; then the calls for whatever arrived meanwhile, until nothing waits.</summary>
    private async Task<ApplyResult> CallFirstAsync(string customerId, IReadOnlyList<TransactionEvent> events)
    {
        var grain = grains.GetGrain<ICustomerGrain>(customerId);
        try
        {
            return await grain.ApplyAsync(events).ConfigureAwait(false);
        }
        finally
        {
            if (Next(customerId) is { } next)
            {
                _ = RunAsync(grain, customerId, next);
            }
        }
    }

    private async Task RunAsync(ICustomerGrain grain, string customerId, List<Part> parts)
    {
        for (var round = parts; round is not null; round = Next(customerId))
        {
            await CallAsync(grain, round).ConfigureAwait(false);
        }
    }

    private static async Task CallAsync(ICustomerGrain grain, List<Part> parts)
    {
        try
        {
            if (parts.Count == 1)
            {
                parts[0].Done.TrySetResult(await grain.ApplyAsync(parts[0].Events).ConfigureAwait(false));
                return;
            }

            var result = await grain.ApplyAsync([.. parts.SelectMany(p => p.Events)]).ConfigureAwait(false);
            var offset = 0;
            foreach (var part in parts)
            {
                var duplicates = result.Duplicates.Skip(offset).Take(part.Events.Count).ToArray();
                offset += part.Events.Count;
                part.Done.TrySetResult(new ApplyResult(duplicates.Count(d => !d), duplicates));
            }
        }
#pragma warning disable CA1031 // Not swallowed: every caller in the call gets the exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var part in parts)
            {
                part.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>The parts that arrived while the call was in flight, up to <see cref="MaxEventsPerCall"/> events (at least one part); none: the customer is let go.</summary>
    private List<Part>? Next(string customerId)
    {
        lock (_lock)
        {
            if (_inFlight[customerId] is not { Count: > 0 } queue)
            {
                _inFlight.Remove(customerId);
                return null;
            }

            var next = new List<Part> { queue.Dequeue() };
            var events = next[0].Events.Count;
            while (queue.TryPeek(out var part) && events + part.Events.Count <= MaxEventsPerCall)
            {
                next.Add(queue.Dequeue());
                events += part.Events.Count;
            }

            return next;
        }
    }

    private sealed class Part(IReadOnlyList<TransactionEvent> events)
    {
        public IReadOnlyList<TransactionEvent> Events { get; } = events;

        public TaskCompletionSource<ApplyResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
