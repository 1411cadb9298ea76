using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Policy.Rules.Risk;

/// <summary>
/// One money movement of at least absoluteFrom, or at least multipleOfAverage times the customer's average
/// movement over 12 months (once it has minTransactions of them). Holds for holdDays after that movement.
/// </summary>
public static class LargeTransactionRule
{
    public const string Flag = "largeTransaction";
    public const string AbsoluteId = "risk.largeTransaction.absolute";
    public const string RelativeId = "risk.largeTransaction.multipleOfAverage";

    /// <summary>The evidence to keep: the trigger's if it qualifies, otherwise the previous.</summary>
    public static RiskEvidence? Remember(RuleContext context, RiskEvidence? previous)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Trigger is not { } e || !e.Type.IsMoneyMovement() || e.Amount is not { } amount)
        {
            return previous;
        }

        var policy = context.Policy.Risk.LargeTransaction;
        if (amount >= policy.AbsoluteFrom)
        {
            return new RiskEvidence(e.OccurredAt, e.EventId, RuleContext.KeptInputs(("amount", amount), ("absoluteFrom", policy.AbsoluteFrom)));
        }

        // Average of the customer's other movements in the last 12 months (this one is already in the facts).
        var count = context.LastMonths(DayFigure.Transactions, 12) - 1;
        var volume = context.LastMonths(DayFigure.Volume, 12) - amount;
        if (count >= policy.MinTransactions && volume > 0 && amount >= policy.MultipleOfAverage * (volume / count))
        {
            return new RiskEvidence(e.OccurredAt, e.EventId, RuleContext.KeptInputs(
                ("amount", amount), ("averageLast12Months", decimal.Round(volume / count, 2)), ("multipleOfAverage", policy.MultipleOfAverage),
                ("transactionsLast12Months", count)));
        }

        return previous;
    }

    public static RuleOutcome? Evaluate(RuleContext context, RiskEvidence? evidence)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Risk.LargeTransaction;
        if (evidence is null || context.Now >= evidence.At.AddDays(policy.HoldDays))
        {
            return null;
        }

        var rule = evidence.Inputs.ContainsKey("absoluteFrom") ? AbsoluteId : RelativeId;
        return new RuleOutcome(policy.Severity, rule, new RuleInputs(evidence.Inputs), evidence.At.AddDays(policy.HoldDays));
    }
}
