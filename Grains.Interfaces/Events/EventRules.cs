namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>Limits applied when an event is read, whichever way it arrives (HTTP or broker).</summary>
public sealed record EventRules
{
    /// <summary>The currency of all amounts (ISO 4217). Events naming another currency are rejected: amounts are summed.</summary>
    public string Currency { get; init; } = "CNY";

    /// <summary>How far in the future <c>occurredAt</c> may lie (clock skew between systems).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest absolute amount accepted; keeps sums far from decimal overflow.</summary>
    public decimal MaxAmount { get; init; } = 1_000_000_000_000m;

    public const int MaxEventIdLength = 128;
    public const int MaxCustomerIdLength = 64;
    public const int MaxChannelLength = 64;
    public const int MaxLabelLength = 128;
    public const int MinScore = 0;
    public const int MaxScore = 1000;
}
