using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Grains.Customers;

/// <summary>An alert raised by an evaluation: a risk flag newly held (or met again), or a downgrade from a top tier.</summary>
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
