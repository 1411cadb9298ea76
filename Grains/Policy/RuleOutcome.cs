namespace CustomerActors.Grains.Policy;

/// <summary>
/// What a rule decided: the value, which rule, the inputs it decided on, and the first moment at which the
/// passing of time alone could change it (null when only a new event can). A value, like its inputs: an evaluation makes
/// one per rule, and most are compared with the customer's decision and dropped.
/// </summary>
public readonly record struct RuleOutcome(string Value, string Rule, RuleInputs Inputs, DateTimeOffset? ChangesAt = null);
