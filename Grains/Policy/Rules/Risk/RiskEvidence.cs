namespace CustomerActors.Grains.Policy.Rules.Risk;

/// <summary>The event that last met an event-driven risk rule: when it happened, which it was, and the values.</summary>
public sealed record RiskEvidence(DateTimeOffset At, string EventId, IReadOnlyDictionary<string, decimal> Inputs);
