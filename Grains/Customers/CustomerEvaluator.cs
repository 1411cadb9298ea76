using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// Applies an event to a customer's state and re-evaluates its tiers, tags and flags. Pure: the same state,
/// event, policy and time always give the same result; no runtime needed to test it.
/// </summary>
public static class CustomerEvaluator
{
    public const string MembershipTier = "membership";

    public static void Apply(CustomerState state, TransactionEvent transactionEvent, CustomerPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(transactionEvent);
        ArgumentNullException.ThrowIfNull(policy);

        state.Facts.Apply(transactionEvent, policy.LowBalanceThreshold, now);
        state.EventCount++;
        if (state.LastEventAt is null || transactionEvent.OccurredAt > state.LastEventAt)
        {
            state.LastEventAt = transactionEvent.OccurredAt;
        }

        Evaluate(state, policy, now, transactionEvent);
    }

    /// <summary>Re-computes aggregates and every decision as of <paramref name="now"/>.</summary>
    public static void Evaluate(CustomerState state, CustomerPolicy policy, DateTimeOffset now, TransactionEvent? trigger = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);

        var aggregates = state.Facts.Aggregate(now);
        state.Aggregates = aggregates;

        Decide(state.Tiers, MembershipTier, MembershipTierRule.Evaluate(aggregates.SpendLast12Months, policy.Membership), policy, now, trigger);

        if (trigger is not null && LargeTransactionRule.Evaluate(trigger, policy.LargeTransaction) is { } large)
        {
            // A raised flag keeps the evidence of the event that raised it first.
            if (!state.RiskFlags.ContainsKey(LargeTransactionRule.Flag))
            {
                state.RiskFlags[LargeTransactionRule.Flag] = ToDecision(large, policy, now, trigger);
            }
        }
    }

    /// <summary>Records a rule's outcome: a changed value starts a new "since"; an unchanged one keeps it, with fresh inputs.</summary>
    private static void Decide(Dictionary<string, Decision> decisions, string name, RuleOutcome outcome, CustomerPolicy policy, DateTimeOffset now, TransactionEvent? trigger)
    {
        decisions[name] = decisions.TryGetValue(name, out var current) && current.Value == outcome.Value
            ? current with { Inputs = outcome.Inputs, PolicyVersion = policy.Version }
            : ToDecision(outcome, policy, now, trigger);
    }

    private static Decision ToDecision(RuleOutcome outcome, CustomerPolicy policy, DateTimeOffset now, TransactionEvent? trigger) =>
        new(outcome.Value, outcome.Rule, outcome.Inputs, now, policy.Version, trigger?.EventId);
}
