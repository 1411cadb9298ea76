namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>yes: a customer with orders has placed none for daysWithoutOrder days; a new order clears it. no otherwise.</summary>
public static class ChurnRiskTagRule
{
    public const string Id = "tag.churnRisk.daysWithoutOrder";

    public static RuleOutcome Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tags.ChurnRisk;
        if (context.Facts.LastOrderAt is not { } lastOrder)
        {
            return new RuleOutcome("no", Id, context.Inputs(("orders", 0), ("daysWithoutOrder", policy.DaysWithoutOrder)));
        }

        var risksAt = lastOrder.AddDays(policy.DaysWithoutOrder);
        var days = (decimal)Math.Floor((context.Now - lastOrder).TotalDays);
        return new RuleOutcome(context.Now >= risksAt ? "yes" : "no", Id,
            context.Inputs(("daysSinceLastOrder", days), ("daysWithoutOrder", policy.DaysWithoutOrder)),
            context.Earliest(risksAt));
    }
}
