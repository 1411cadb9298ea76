namespace CustomerActors.Grains.Customers;

/// <summary>
/// One change of a tier, tag or flag: what it was and became (null: absent), the rule, why (an event id,
/// <c>time</c> or <c>policy</c>), the policy version and when.
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

/// <summary>An alert raised by an evaluation: a risk flag newly held, or a downgrade from a top tier.</summary>
public sealed record RaisedAlert(
    string Severity,
    string Rule,
    string Subject,
    string Reason,
    int PolicyVersion,
    DateTimeOffset At,
    IReadOnlyDictionary<string, decimal> Evidence);

/// <summary>What one evaluation changed and raised.</summary>
public sealed record EvaluationResult(IReadOnlyList<DecisionChange> Changes, IReadOnlyList<RaisedAlert> Alerts)
{
    public static EvaluationResult None { get; } = new([], []);
}
