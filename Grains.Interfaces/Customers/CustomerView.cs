namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>A customer's live state as shown to clients.</summary>
public sealed record CustomerView
{
    public required string CustomerId { get; init; }
    public required int Partition { get; init; }
    /// <summary>State version; increases by one with every committed change.</summary>
    public required long Version { get; init; }
    /// <summary>Distinct events applied.</summary>
    public required long EventCount { get; init; }
    /// <summary>The latest <c>occurredAt</c> among applied events.</summary>
    public DateTimeOffset? LastEventAt { get; init; }
    /// <summary>The policy version of the latest evaluation.</summary>
    public int PolicyVersion { get; init; }
    /// <summary>When time alone could next change a decision; the customer is re-evaluated then, even if idle.</summary>
    public DateTimeOffset? NextDueAt { get; init; }
    public required IReadOnlyDictionary<string, Decision> Tiers { get; init; }
    public required IReadOnlyDictionary<string, Decision> Tags { get; init; }
    public required IReadOnlyList<RiskFlag> RiskFlags { get; init; }
    public required CustomerAggregates Aggregates { get; init; }
}

/// <summary>A raised risk flag: its name and the decision that raised it.</summary>
public sealed record RiskFlag(string Name, Decision Decision);
