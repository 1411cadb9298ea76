using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>high: &gt;= highFrom orders in the window; medium: &gt;= mediumFrom; low: fewer.</summary>
public static class PurchaseFrequencyTagRule
{
    public const string Id = "tag.purchaseFrequency.orders";

    public static RuleOutcome Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tags.PurchaseFrequency;
        var orders = context.LastMonths(DayFigure.Orders, policy.WindowMonths);
        var value = orders >= policy.HighFrom ? "high" : orders >= policy.MediumFrom ? "medium" : "low";
        return new RuleOutcome(value, Id,
            context.Inputs(("orders", orders), ("windowMonths", policy.WindowMonths), ("highFrom", policy.HighFrom), ("mediumFrom", policy.MediumFrom)),
            context.MonthsWindowChangesAt(DayFigure.Orders, policy.WindowMonths));
    }
}
