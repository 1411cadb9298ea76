using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Policy.Rules.Risk;

namespace CustomerActors.Grains.Customers;

/// <summary>A customer grain's persisted state.</summary>
#pragma warning disable CA2227 // Serialized state: settable collections keep (de)serialization cheap.
public sealed record CustomerState
{
    /// <summary>Distinct events applied; also the sequence number of the latest event in the journal.</summary>
    public long EventCount { get; set; }

    /// <summary>Decision changes recorded; also the sequence number of the latest change in the journal.</summary>
    public long ChangeCount { get; set; }

    public DateTimeOffset? LastEventAt { get; set; }

    public CustomerFacts Facts { get; set; } = new();

    /// <summary>Aggregates as of the last evaluation.</summary>
    public CustomerAggregates? Aggregates { get; set; }

    public Dictionary<string, Decision> Tiers { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, Decision> Tags { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, Decision> RiskFlags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Evidence of event-driven risk rules (large transaction, velocity), by flag.</summary>
    public Dictionary<string, RiskEvidence> RiskEvidence { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The earliest moment at which time alone could change a decision; the scheduler wakes the customer then.</summary>
    public DateTimeOffset? NextDueAt { get; set; }

    /// <summary>The policy version of the last evaluation.</summary>
    public int PolicyVersion { get; set; }
}
#pragma warning restore CA2227
