namespace CustomerActors.Grains.Policy;

/// <summary>What a rule decided, which rule it was, and the inputs it decided on.</summary>
public sealed record RuleOutcome(string Value, string Rule, IReadOnlyDictionary<string, decimal> Inputs);
