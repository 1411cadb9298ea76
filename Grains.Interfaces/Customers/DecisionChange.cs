namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>
/// One change of a tier, tag or risk flag: what it was and became (null: absent), the rule, why (an event id,
/// <c>time</c> or <c>policy</c>), the policy version, when, and the inputs that decided it.
/// </summary>
public sealed record DecisionChange(
    string Kind,
    string Name,
    string? Before,
    string? After,
    string Rule,
    string Reason,
    int PolicyVersion,
    DateTimeOffset At,
    IReadOnlyDictionary<string, decimal> Inputs);

/// <summary>A recorded change with its position in the customer's change history.</summary>
public sealed record RecordedChange(long Seq, DecisionChange Change);

/// <summary>A page of change history, newest first; <see cref="NextBefore"/> fetches the next page.</summary>
public sealed record ChangePage(IReadOnlyList<RecordedChange> Items, long? NextBefore);
