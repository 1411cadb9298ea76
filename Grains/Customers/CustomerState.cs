using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Grains.Customers;

/// <summary>A customer grain's persisted state.</summary>
#pragma warning disable CA2227 // Serialized state: settable collections keep (de)serialization cheap.
public sealed record CustomerState
{
    /// <summary>Distinct events applied; also the sequence number of the latest journal entry.</summary>
    public long EventCount { get; set; }

    public DateTimeOffset? LastEventAt { get; set; }

    public CustomerFacts Facts { get; set; } = new();

    /// <summary>Aggregates as of the last evaluation.</summary>
    public CustomerAggregates? Aggregates { get; set; }

    public Dictionary<string, Decision> Tiers { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, Decision> Tags { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, Decision> RiskFlags { get; set; } = new(StringComparer.Ordinal);
}
#pragma warning restore CA2227
