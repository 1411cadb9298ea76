using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Silo.Ingestion;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Ingestion;

/// <summary>
/// The coalescer's ordering and bookkeeping, against customers whose calls complete when the test says (the real
/// grains, their durability and their duplicate detection are tested through the gateway).
/// </summary>
public sealed class CustomerCallCoalescerTests
{
    private readonly HeldCustomers _customers = new();
    private readonly CustomerCallCoalescer _coalescer;

    public CustomerCallCoalescerTests() => _coalescer = new CustomerCallCoalescer(_customers);

    [Fact]
    public async Task Events_arriving_while_a_customers_call_is_in_flight_go_together_in_its_next_call_in_arrival_order()
    {
        var first = _coalescer.ApplyAsync("C1", Events("C1", "e1"));
        var second = _coalescer.ApplyAsync("C1", Events("C1", "e2", "e3"));
        var third = _coalescer.ApplyAsync("C1", Events("C1", "e4"));
        Assert.Equal(["e1"], Ids(Assert.Single(Calls("C1"))));

        Calls("C1")[0].Answer();
        await first;
        await Eventually.TrueAsync(() => Calls("C1").Count == 2, "the waiting events are sent in one call");
        Assert.Equal(["e2", "e3", "e4"], Ids(Calls("C1")[1]));
        Assert.False(second.IsCompleted);

        Calls("C1")[1].Answer();
        Assert.Equal(2, (await second).Accepted);
        Assert.Equal(1, (await third).Accepted);
        Assert.Equal(2, Calls("C1").Count);
    }

    [Fact]
    public async Task Each_caller_is_answered_with_the_duplicates_among_its_own_events()
    {
        var first = _coalescer.ApplyAsync("C1", Events("C1", "e1"));
        var second = _coalescer.ApplyAsync("C1", Events("C1", "e2", "e1"));
        var third = _coalescer.ApplyAsync("C1", Events("C1", "e3", "e2"));
        Calls("C1")[0].Answer();
        await first;
        await Eventually.TrueAsync(() => Calls("C1").Count == 2, "the waiting events are sent in one call");

        Calls("C1")[1].Answer(duplicates: [false, true, false, true]);

        var two = await second;
        var three = await third;
        Assert.Equal(1, two.Accepted);
        Assert.Equal([false, true], two.Duplicates);
        Assert.Equal(1, three.Accepted);
        Assert.Equal([false, true], three.Duplicates);
    }

    [Fact]
    public async Task A_failed_call_fails_every_caller_in_it_and_the_next_events_get_a_call_of_their_own()
    {
        var first = _coalescer.ApplyAsync("C1", Events("C1", "e1"));
        var second = _coalescer.ApplyAsync("C1", Events("C1", "e2"));
        var third = _coalescer.ApplyAsync("C1", Events("C1", "e3"));
        Calls("C1")[0].Answer();
        await first;
        await Eventually.TrueAsync(() => Calls("C1").Count == 2, "the waiting events are sent in one call");

        Calls("C1")[1].Fail(new StorageDownException());
        await Assert.ThrowsAsync<StorageDownException>(() => second);
        await Assert.ThrowsAsync<StorageDownException>(() => third);

        var retry = _coalescer.ApplyAsync("C1", Events("C1", "e2"));
        Assert.Equal(3, Calls("C1").Count);
        Calls("C1")[2].Answer();
        Assert.Equal(1, (await retry).Accepted);
    }

    [Fact]
    public async Task A_customers_call_in_flight_does_not_hold_another_customer()
    {
        var held = _coalescer.ApplyAsync("C1", Events("C1", "e1"));
        var other = _coalescer.ApplyAsync("C2", Events("C2", "f1"));

        Calls("C2")[0].Answer();
        Assert.Equal(1, (await other).Accepted);
        Assert.False(held.IsCompleted);
        Calls("C1")[0].Answer();
        await held;
    }

    [Fact]
    public async Task The_events_waiting_for_a_very_busy_customer_are_sent_in_calls_of_at_most_the_limit()
    {
        var first = _coalescer.ApplyAsync("C1", Events("C1", "e0"));
        var size = CustomerCallCoalescer.MaxEventsPerCall / 2;
        var waiting = Enumerable.Range(1, 3)
            .Select(b => _coalescer.ApplyAsync("C1", Events("C1", [.. Enumerable.Range(0, size).Select(i => $"b{b}-{i}")])))
            .ToArray();

        Calls("C1")[0].Answer();
        await first;
        await Eventually.TrueAsync(() => Calls("C1").Count == 2, "the first two waiting batches are sent together");
        Assert.Equal(CustomerCallCoalescer.MaxEventsPerCall, Calls("C1")[1].Events.Count);
        Calls("C1")[1].Answer();
        await Eventually.TrueAsync(() => Calls("C1").Count == 3, "the third is sent next");
        Assert.Equal(size, Calls("C1")[2].Events.Count);
        Calls("C1")[2].Answer();
        Assert.All(await Task.WhenAll(waiting), result => Assert.Equal(size, result.Accepted));
    }

    private List<HeldCall> Calls(string customerId) => _customers[customerId].Calls;

    private static TransactionEvent[] Events(string customerId, params string[] ids) =>
        [.. ids.Select(id => new TransactionEvent { EventId = id, CustomerId = customerId, Type = TransactionType.Login, OccurredAt = DateTimeOffset.UnixEpoch })];

    private static string[] Ids(HeldCall call) => [.. call.Events.Select(e => e.EventId)];

    private sealed class StorageDownException : Exception;

    /// <summary>One call to a customer, answered when the test says.</summary>
    private sealed class HeldCall(IReadOnlyList<TransactionEvent> events)
    {
        private readonly TaskCompletionSource<ApplyResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<TransactionEvent> Events { get; } = events;

        public Task<ApplyResult> Result => _result.Task;

        public void Answer(bool[]? duplicates = null)
        {
            duplicates ??= new bool[Events.Count];
            _result.SetResult(new ApplyResult(duplicates.Count(d => !d), duplicates));
        }

        public void Fail(Exception exception) => _result.SetException(exception);
    }

    private sealed class HeldCustomer : ICustomerGrain
    {
        private readonly List<HeldCall> _calls = [];

        public List<HeldCall> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public Task<ApplyResult> ApplyAsync(IReadOnlyList<TransactionEvent> events)
        {
            var call = new HeldCall(events);
            lock (_calls)
            {
                _calls.Add(call);
            }

            return call.Result;
        }

        public Task<int> ReevaluateAsync() => throw new NotSupportedException();

        public Task<CustomerView?> GetViewAsync() => throw new NotSupportedException();

        public Task<StoredCustomerView?> GetStoredViewAsync() => throw new NotSupportedException();

        public Task<EventPage?> GetEventsAsync(int limit, long? before) => throw new NotSupportedException();

        public Task<ChangePage?> GetChangesAsync(int limit, long? before) => throw new NotSupportedException();
    }

    private sealed class HeldCustomers : IGrainFactory
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, HeldCustomer> _customers = new();

        public HeldCustomer this[string key] => _customers.GetOrAdd(key, _ => new HeldCustomer());

        public TGrainInterface GetGrain<TGrainInterface>(string key)
            where TGrainInterface : IGrainWithStringKey => (TGrainInterface)(object)this[key];
    }
}
