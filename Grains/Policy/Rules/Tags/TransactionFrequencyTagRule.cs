using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>Money movements in the window. low: &lt; mediumFrom; medium: mediumFrom to highAbove; high: &gt; highAbove.</summary>
public static class TransactionFrequencyTagRule
{
    public const string Id = "tag.transactionFrequency.movements";

    public static RuleOutcome Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tags.TransactionFrequency;
        var transactions = context.LastDays(DayFigure.Transactions, policy.WindowDays);
        var value = transactions > policy.HighAbove ? "high" : transactions >= policy.MediumFrom ? "medium" : "low";
        return new RuleOutcome(value, Id,
            context.Inputs(("transactions", transactions), ("windowDays", policy.WindowDays), ("mediumFrom", policy.MediumFrom), ("highAbove", policy.HighAbove)),
            context.DaysWindowChangesAt(DayFigure.Transactions, policy.WindowDays));
    }
}
