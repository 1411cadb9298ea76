using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Policy.Rules.Risk;

/// <summary>At least <c>transactions</c> money movements within <c>withinMinutes</c> (event time). Holds for holdDays.</summary>
public static class VelocityRule
{
    public const string Flag = "velocity";
    public const string Id = "risk.velocity.movementsInWindow";

    public static RiskEvidence? Remember(RuleContext context, RiskEvidence? previous)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Trigger is not { } e || !e.Type.IsMoneyMovement())
        {
            return previous;
        }

        var policy = context.Policy.Risk.Velocity;
        var window = TimeSpan.FromMinutes(policy.WithinMinutes);
        var times = context.Facts.RecentMovements;
        var busiest = 0;
        // The busiest window that contains this movement: windows starting from (t - window) to t.
        for (int start = 0, end = 0; start < times.Count; start++)
        {
            if (times[start] > e.OccurredAt || times[start] < e.OccurredAt - window)
            {
                continue;
            }

            end = Math.Max(end, start);
            while (end + 1 < times.Count && times[end + 1] <= times[start] + window)
            {
                end++;
            }

            busiest = Math.Max(busiest, end - start + 1);
        }

        return busiest >= policy.Transactions
            ? new RiskEvidence(e.OccurredAt, e.EventId, RuleContext.KeptInputs(
                ("movements", busiest), ("transactions", policy.Transactions), ("withinMinutes", policy.WithinMinutes)))
            : previous;
    }

    public static RuleOutcome? Evaluate(RuleContext context, RiskEvidence? evidence)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Risk.Velocity;
        return evidence is null || context.Now >= evidence.At.AddDays(policy.HoldDays)
            ? null
            : new RuleOutcome(policy.Severity, Id, new RuleInputs(evidence.Inputs), evidence.At.AddDays(policy.HoldDays));
    }
}
