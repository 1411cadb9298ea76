using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>One customer's live derived state. Keyed by customer id.</summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies events of this customer in the given order, each at most once (by event id). Completes only
    /// after the events and their effects are durable.
    /// </summary>
    Task<ApplyResult> ApplyAsync(IReadOnlyList<TransactionEvent> events);

    /// <summary>
    /// Re-evaluates with the active policy (after a policy change), recording what changed with reason
    /// <c>policy</c>. Returns how many decisions changed; a customer already evaluated by that version is left as is.
    /// </summary>
    Task<int> ReevaluateAsync();

    /// <summary>The live state, or null when the customer has no events.</summary>
    Task<CustomerView?> GetViewAsync();

    /// <summary>
    /// The same live state as <see cref="GetViewAsync"/>, in its stored form (a lookup's fast path: nothing is decoded
    /// in the grain's turn); null when the customer has no events.
    /// </summary>
    Task<StoredCustomerView?> GetStoredViewAsync();

    /// <summary>
    /// Accepted events, newest first: at most <paramref name="limit"/> with a sequence number below
    /// <paramref name="before"/>; null when the customer has no events.
    /// </summary>
    Task<EventPage?> GetEventsAsync(int limit, long? before);

    /// <summary>Tier, tag and flag changes, newest first, paged like events; null when the customer has no events.</summary>
    Task<ChangePage?> GetChangesAsync(int limit, long? before);
}
