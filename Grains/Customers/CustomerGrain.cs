using System.Text.Json;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// One customer's live state. Applies each event once (by event id, however old the redelivery), keeps the
/// accepted events as an append-only journal, and re-evaluates tiers and flags at once. A batch is
/// acknowledged only after its events and the new state are committed together.
/// </summary>
public sealed class CustomerGrain : Grain, ICustomerGrain
{
    public const string TypeName = "customer";

    private readonly IPersistentState<CustomerState> _state;
    private readonly IGrainStorage _storage;
    private readonly CustomerPolicyProvider _policy;
    private readonly TimeProvider _time;

    public CustomerGrain(IGrainContext context, PersistentStateFactory states, IGrainStorage storage, CustomerPolicyProvider policy, TimeProvider time)
        : base(context)
    {
        ArgumentNullException.ThrowIfNull(states);
        _state = states.Create(context, GrainsJsonContext.Default.CustomerState, static () => new CustomerState());
        _storage = storage;
        _policy = policy;
        _time = time;
    }

    private string CustomerId => GrainId.Key;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.ReadStateAsync(cancellationToken);

    public async Task<ApplyResult> ApplyAsync(IReadOnlyList<TransactionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.FirstOrDefault(e => e.CustomerId != CustomerId) is { } stray)
        {
            throw new ArgumentException($"Event {stray.EventId} belongs to customer {stray.CustomerId}, not {CustomerId}.", nameof(events));
        }

        var duplicates = await FindDuplicatesAsync(events).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var policy = _policy.Current;
        var state = _state.State;
        var journal = new List<JournalEntry>();
        for (var i = 0; i < events.Count; i++)
        {
            if (duplicates[i])
            {
                continue;
            }

            CustomerEvaluator.Apply(state, events[i], policy, now);
            journal.Add(new JournalEntry(state.EventCount, events[i].EventId, now,
                JsonSerializer.SerializeToUtf8Bytes(events[i], GrainsJsonContext.Default.TransactionEvent)));
        }

        if (journal.Count > 0)
        {
            await _state.WriteStateAsync(journal).ConfigureAwait(false);
        }

        return new ApplyResult(journal.Count, duplicates);
    }

    public Task<CustomerView?> GetViewAsync()
    {
        if (!_state.RecordExists)
        {
            // Nothing stored: do not keep an empty activation resident for a lookup of an unknown id.
            DeactivateOnIdle();
            return Task.FromResult<CustomerView?>(null);
        }

        var state = _state.State;
        return Task.FromResult<CustomerView?>(new CustomerView
        {
            CustomerId = CustomerId,
            Partition = Context.Partition,
            Version = _state.Version,
            EventCount = state.EventCount,
            LastEventAt = state.LastEventAt,
            Tiers = state.Tiers,
            Tags = state.Tags,
            RiskFlags = [.. state.RiskFlags.Select(f => new RiskFlag(f.Key, f.Value))],
            Aggregates = state.Aggregates ?? state.Facts.Aggregate(_time.GetUtcNow()),
        });
    }

    public async Task<EventPage?> GetEventsAsync(int limit, long? before)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!_state.RecordExists)
        {
            DeactivateOnIdle();
            return null;
        }

        var entries = await _storage.ReadJournalAsync(GrainId, before ?? long.MaxValue, limit, CancellationToken.None).ConfigureAwait(false);
        var items = entries
            .Select(e => new StoredEvent(e.Seq, e.RecordedAt, JsonSerializer.Deserialize(e.Payload, GrainsJsonContext.Default.TransactionEvent)!))
            .ToArray();
        var nextBefore = items.Length == limit && items[^1].Seq > 1 ? items[^1].Seq : (long?)null;
        return new EventPage(items, nextBefore);
    }

    /// <summary>For each event, whether its id was applied before or appears earlier in the same batch.</summary>
    private async Task<bool[]> FindDuplicatesAsync(IReadOnlyList<TransactionEvent> events)
    {
        var duplicates = new bool[events.Count];
        var seen = new HashSet<string>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            duplicates[i] = !seen.Add(events[i].EventId);
        }

        // A customer with nothing stored has no journal to look in.
        if (_state.RecordExists)
        {
            var stored = await _storage.FindJournalEntriesAsync(GrainId, seen, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < events.Count; i++)
            {
                duplicates[i] |= stored.Contains(events[i].EventId);
            }
        }

        return duplicates;
    }
}
