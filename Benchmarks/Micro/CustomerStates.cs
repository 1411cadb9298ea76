using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>Customer states as the traffic model leaves them: a customer with <c>events</c> events over the past year.</summary>
internal static class CustomerStates
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static CustomerState WithHistory(int events, CustomerPolicy policy, int seed = 1)
    {
        var random = new Random(seed);
        var state = new CustomerState();
        for (var i = 0; i < events; i++)
        {
            CustomerEvaluator.Apply(state, Event($"h{i}", random), policy, Now);
        }

        return state;
    }

    public static TransactionEvent Event(string id, Random random) => new()
    {
        EventId = id,
        CustomerId = "C00000001",
        Type = random.Next(3) switch { 0 => TransactionType.Login, 1 => TransactionType.Deposit, _ => TransactionType.Purchase },
        Amount = random.Next(1, 400_000) / 100m,
        OccurredAt = Now.AddMinutes(-random.Next(1, 525_000)),
    };
}
