using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Grains.Tests;

/// <summary>A customer fed events at <see cref="Now"/>, then looked at, possibly later.</summary>
internal sealed class Scenario(CustomerPolicy? policy = null)
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public CustomerPolicy Policy { get; } = policy ?? PolicyDocument.Default.Policy;

    public CustomerState State { get; } = new();

    public List<EvaluationResult> Results { get; } = [];

    public Scenario Event(TransactionType type, DateTimeOffset at, decimal? amount = null, int? score = null, DateTimeOffset? processedAt = null, Func<TransactionEvent, TransactionEvent>? with = null)
    {
        var e = Events.Of(type, at, amount, score);
        Results.Add(CustomerEvaluator.Apply(State, with is null ? e : with(e), Policy, processedAt ?? Now));
        return this;
    }

    public Scenario Times(int count, TransactionType type, Func<int, DateTimeOffset> at, decimal? amount = null)
    {
        for (var i = 0; i < count; i++)
        {
            Event(type, at(i), amount);
        }

        return this;
    }

    /// <summary>Re-evaluates at a later time, as the scheduler would.</summary>
    public EvaluationResult At(DateTimeOffset when)
    {
        var result = CustomerEvaluator.Evaluate(State, Policy, when, CustomerEvaluator.TimeReason);
        Results.Add(result);
        return result;
    }

    public string? Tier(string name) => State.Tiers.GetValueOrDefault(name)?.Value;

    public string? Tag(string name) => State.Tags.GetValueOrDefault(name)?.Value;

    public bool Flagged(string name) => State.RiskFlags.ContainsKey(name);

    public IEnumerable<RaisedAlert> Alerts => Results.SelectMany(r => r.Alerts);
}
