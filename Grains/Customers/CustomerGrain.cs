using System.Text.Json;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// One customer's live state. Applies each event once (by event id, however old the redelivery), keeps the
/// accepted events and every decision change as append-only journals, re-evaluates tiers, tags and flags at
/// once, and wakes by itself when time alone could change them. An event's effects (state, journals, alerts
/// and tier changes out, next due time) commit in one transaction before it is acknowledged.
/// </summary>
public sealed class CustomerGrain : Grain, ICustomerGrain, IRemindable
{
    public const string TypeName = "customer";
    public const string EventsStream = "events";
    public const string ChangesStream = "changes";
    public const string AlertTopic = "alert";
    public const string TierTopic = "tier";

    private readonly IPersistentState<CustomerState> _state;
    private readonly IGrainStorage _storage;
    private readonly CustomerPolicyProvider _policy;
    private readonly TimeProvider _time;

    public CustomerGrain(
        IGrainContext context, PersistentStateFactory states, IGrainStorage storage, CustomerPolicyProvider policy, TimeProvider time)
        : base(context)
    {
        ArgumentNullException.ThrowIfNull(states);
        _state = states.Create(context, CustomerStateCodec.Instance, static () => new CustomerState());
        _storage = storage;
        _policy = policy;
        _time = time;
    }

    private string CustomerId => GrainId.Key;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.ReadStateAsync(cancellationToken);

    /// <summary>Between calls only the stored form stays resident (a few hundred bytes), not the state's object graph.</summary>
    public override void OnIdle() => _state.Release();

    public async Task<ApplyResult> ApplyAsync(IReadOnlyList<TransactionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.FirstOrDefault(e => e.CustomerId != CustomerId) is { } stray)
        {
            throw new ArgumentException($"Event {stray.EventId} belongs to customer {stray.CustomerId}, not {CustomerId}.", nameof(events));
        }

        // Each event id once per call; whether one was applied before, the commit tells: the events' journal entries
        // are idempotent, so a write holding an id already journaled is refused whole and names the ids. Then the
        // state is read again and the rest applied without them. No lookup before the common case, a new event.
        var duplicates = RepeatsWithin(events);
        while (Evaluate(events, duplicates) is { } pending)
        {
            try
            {
                await pending.CommitAsync().ConfigureAwait(false);
                break;
            }
            catch (DuplicateEntriesException refused)
            {
                for (var i = 0; i < events.Count; i++)
                {
                    duplicates[i] |= refused.EntryIds.Contains(events[i].EventId);
                }

                await _state.ReadStateAsync().ConfigureAwait(false);
            }
        }

        return new ApplyResult(events.Count - duplicates.Count(d => d), duplicates);
    }

    /// <summary>Marks each event whose id an earlier event of the call has.</summary>
    private static bool[] RepeatsWithin(IReadOnlyList<TransactionEvent> events)
    {
        var repeats = new bool[events.Count];
        if (events.Count <= SmallCall)
        {
            // Most calls carry one to a few events: comparing each with those before it needs no set.
            for (var i = 1; i < events.Count; i++)
            {
                for (var j = 0; j < i && !repeats[i]; j++)
                {
                    repeats[i] = string.Equals(events[i].EventId, events[j].EventId, StringComparison.Ordinal);
                }
            }

            return repeats;
        }

        var seen = new HashSet<string>(events.Count, StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            repeats[i] = !seen.Add(events[i].EventId);
        }

        return repeats;
    }

    /// <summary>Calls of at most this many events look for repeated ids pairwise.</summary>
    private const int SmallCall = 8;

    /// <summary>
    /// Applies the events not marked duplicate to the state, and gathers what they write; null when there are none. Not
    /// part of <see cref="ApplyAsync"/>'s body: a local holding the decoded state there would live in its state machine
    /// while the commit is awaited, and keep alive what <see cref="IPersistentState{TState}.WriteStateAndReleaseAsync"/>
    /// lets go of.
    /// </summary>
    private PendingWrite? Evaluate(IReadOnlyList<TransactionEvent> events, bool[] duplicates)
    {
        var now = _time.GetUtcNow();
        var policy = _policy.Current;
        var state = _state.State;
        var pending = new PendingWrite(this, now);
        for (var i = 0; i < events.Count; i++)
        {
            if (duplicates[i])
            {
                continue;
            }

            var result = CustomerEvaluator.Apply(state, events[i], policy, now);
            pending.Journal.Add(new JournalEntry(EventsStream, state.EventCount, events[i].EventId, now, TransactionEventCodec.Serialize(events[i]), Idempotent: true));
            pending.Add(result);
        }

        return pending.Journal.Count > 0 ? pending : null;
    }

    /// <summary>Time has come: re-evaluate as of now and record what time alone changed.</summary>
    public async Task ReceiveReminderAsync(DateTimeOffset dueAt)
    {
        if (!_state.RecordExists)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var pending = new PendingWrite(this, now);
        pending.Add(CustomerEvaluator.Evaluate(_state.State, _policy.Current, now, CustomerEvaluator.TimeReason));
        await pending.CommitAsync().ConfigureAwait(false);
    }

    public async Task<int> ReevaluateAsync()
    {
        var policy = _policy.Current;
        if (!_state.RecordExists || _state.State.PolicyVersion == policy.Version)
        {
            return 0;
        }

        var pending = new PendingWrite(this, _time.GetUtcNow());
        var result = CustomerEvaluator.Evaluate(_state.State, policy, _time.GetUtcNow(), CustomerEvaluator.PolicyReason);
        pending.Add(result);
        await pending.CommitAsync().ConfigureAwait(false);
        return result.Changes.Count;
    }

    public Task<CustomerView?> GetViewAsync()
    {
        if (!_state.RecordExists)
        {
            // Nothing stored: do not keep an empty activation resident for a lookup of an unknown id.
            DeactivateOnIdle();
            return Task.FromResult<CustomerView?>(null);
        }

        var summary = CustomerStateCodec.ReadSummary(LookupPart().Span)
            ?? throw new InvalidOperationException("The lookup part has no summary.");
        return Task.FromResult<CustomerView?>(summary.ToView(CustomerId, Context.Partition, _state.Version));
    }

    public Task<StoredCustomerView?> GetStoredViewAsync()
    {
        if (!_state.RecordExists)
        {
            DeactivateOnIdle();
            return Task.FromResult<StoredCustomerView?>(null);
        }

        return Task.FromResult<StoredCustomerView?>(new StoredCustomerView(CustomerId, Context.Partition, _state.Version, LookupPart()));
    }

    /// <summary>
    /// What a lookup shows, in the stored format: the stored bytes themselves when they can answer (between calls only
    /// they are resident, so nothing is decoded), else the live state's lookup part encoded afresh (a state kept decoded,
    /// or stored by an earlier version, or without aggregates).
    /// </summary>
    private ReadOnlyMemory<byte> LookupPart()
    {
        if (_state.TryGetStored(out var stored) && CustomerViewJson.CanWrite(stored.Span))
        {
            return stored;
        }

        var state = _state.State;
        return CustomerStateCodec.SerializeLookupPart(state, state.Aggregates ?? state.Facts.Aggregate(_time.GetUtcNow()));
    }

    public async Task<EventPage?> GetEventsAsync(int limit, long? before)
    {
        var entries = await ReadJournalAsync(EventsStream, limit, before).ConfigureAwait(false);
        return entries is null ? null : new EventPage(
            [.. entries.Select(e => new StoredEvent(e.Seq, e.RecordedAt, TransactionEventCodec.Deserialize(e.Payload, e.EntryId, CustomerId)))],
            NextBefore(entries, limit));
    }

    public async Task<ChangePage?> GetChangesAsync(int limit, long? before)
    {
        // A row holds the changes of one turn, the first with the row's seq (rows written before turns were grouped
        // hold one change). Every row read has at least one change below 'before'.
        var entries = await ReadJournalAsync(ChangesStream, limit, before).ConfigureAwait(false);
        if (entries is null)
        {
            return null;
        }

        var below = before ?? long.MaxValue;
        var changes = new List<RecordedChange>(limit);
        foreach (var entry in entries)
        {
            var recorded = DecisionChangesCodec.Deserialize(entry.Payload);
            for (var i = recorded.Length - 1; i >= 0 && changes.Count < limit; i--)
            {
                if (entry.Seq + i < below)
                {
                    changes.Add(new RecordedChange(entry.Seq + i, recorded[i]));
                }
            }
        }

        return new ChangePage(changes, changes.Count == limit && changes[^1].Seq > 1 ? changes[^1].Seq : null);
    }

    private async Task<IReadOnlyList<StoredJournalEntry>?> ReadJournalAsync(string stream, int limit, long? before)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (!_state.RecordExists)
        {
            DeactivateOnIdle();
            return null;
        }

        return await _storage.ReadJournalAsync(GrainId, stream, before ?? long.MaxValue, limit, CancellationToken.None).ConfigureAwait(false);
    }

    private static long? NextBefore(IReadOnlyList<StoredJournalEntry> page, int limit) =>
        page.Count == limit && page[^1].Seq > 1 ? page[^1].Seq : null;

    /// <summary>Everything one turn writes, gathered while evaluating and committed together.</summary>
    private sealed class PendingWrite(CustomerGrain grain, DateTimeOffset now)
    {
        public List<JournalEntry> Journal { get; } = [];

        private List<OutboxMessage> Outbox { get; } = [];

        /// <summary>The turn's decision changes: journaled as one row, numbered from <see cref="CustomerState.ChangeCount"/> before the turn.</summary>
        private readonly List<DecisionChange> _changes = [];

        public void Add(EvaluationResult result)
        {
            var state = grain._state.State;
            foreach (var change in result.Changes)
            {
                state.ChangeCount++;
                _changes.Add(change);
                if (change.Kind == CustomerEvaluator.Tier)
                {
                    var id = NewId();
                    var message = new TierChanged(id, grain.CustomerId, change.Name, change.Before, change.After, change.Rule, change.Reason, change.Inputs, now, change.PolicyVersion);
                    Outbox.Add(new OutboxMessage(id, TierTopic, change.Name, now, JsonSerializer.SerializeToUtf8Bytes(message, GrainsJsonContext.Default.TierChanged)));
                }
            }

            foreach (var alert in result.Alerts)
            {
                var id = NewId();
                var message = new AlertRaised(id, grain.CustomerId, alert.Severity, alert.Rule, alert.Subject, alert.Reason, alert.Evidence, now, alert.PolicyVersion);
                Outbox.Add(new OutboxMessage(id, AlertTopic, alert.Severity, now, JsonSerializer.SerializeToUtf8Bytes(message, GrainsJsonContext.Default.AlertRaised)));
            }
        }

        public Task CommitAsync()
        {
            if (_changes.Count > 0)
            {
                var first = grain._state.State.ChangeCount - _changes.Count + 1;
                Journal.Add(new JournalEntry(ChangesStream, first, first.ToString(System.Globalization.CultureInfo.InvariantCulture), now,
                    DecisionChangesCodec.Serialize(_changes)));
                _changes.Clear();   // encoded: nothing of them need wait for the commit
            }

            grain._state.DueAt = grain._state.State.NextDueAt;
            return grain._state.WriteStateAndReleaseAsync(Journal, Outbox);
        }

        private static string NewId() => Guid.CreateVersion7().ToString("N");
    }
}
