namespace CustomerActors.Grains.Policy;

/// <summary>
/// What a rule decided: the value, which rule, the inputs it decided on, and the first moment at which the
/// passing of time alone could change it (null when only a new event can).
/// </summary>
public sealed record RuleOutcome(string Value, string Rule, IReadOnlyDictionary<string, decimal> Inputs, DateTimeOffset? ChangesAt = null);
