using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// The part of a customer's state a lookup shows: counts, decisions and the aggregates of the last evaluation, not the
/// facts behind them. Read from the stored form (<see cref="CustomerStateCodec.ReadSummary"/>) or taken from a live state.
/// </summary>
public sealed record CustomerSummary(
    long EventCount,
    DateTimeOffset? LastEventAt,
    int PolicyVersion,
    DateTimeOffset? NextDueAt,
    IReadOnlyDictionary<string, Decision> Tiers,
    IReadOnlyDictionary<string, Decision> Tags,
    IReadOnlyDictionary<string, Decision> RiskFlags,
    CustomerAggregates Aggregates)
{
    /// <summary>The view a lookup shows: this summary with the customer's identity and state version.</summary>
    public CustomerView ToView(string customerId, int partition, long version) => new()
    {
        CustomerId = customerId,
        Partition = partition,
        Version = version,
        EventCount = EventCount,
        LastEventAt = LastEventAt,
        PolicyVersion = PolicyVersion,
        NextDueAt = NextDueAt,
        Tiers = Tiers,
        Tags = Tags,
        RiskFlags = [.. RiskFlags.Select(f => new RiskFlag(f.Key, f.Value))],
        Aggregates = Aggregates,
    };
}
