using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tiers;

/// <summary>
/// Composite service tier. vip: credit score &gt; creditAbove and 12-month spend &gt; spendAbove and activity
/// level at least activityAtLeast. advanced: credit score &gt;= creditFrom, spend &gt;= spendFrom and activity at
/// least its level. regular: the rest (and every customer without a credit score).
/// </summary>
public static class ServiceTierRule
{
    public const string Id = "tier.service.composite";

    public static RuleOutcome Evaluate(RuleContext context, RuleOutcome activityLevel)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tiers.Service;
        var score = context.Facts.CreditScore;
        var spend = Math.Max(0m, context.LastMonths(DayFigure.Spend, 12));
        var activity = ActivityLevelRule.Rank(activityLevel.Value);

        var tier = score switch
        {
            { } s when s > policy.Vip.CreditAbove && spend > policy.Vip.SpendAbove && activity >= ActivityLevelRule.Rank(policy.Vip.ActivityAtLeast) => "vip",
            { } s when s >= policy.Advanced.CreditFrom && spend >= policy.Advanced.SpendFrom && activity >= ActivityLevelRule.Rank(policy.Advanced.ActivityAtLeast) => "advanced",
            _ => "regular",
        };

        return new RuleOutcome(tier, Id, context.Inputs(
                ("creditScore", score ?? -1), ("spendLast12Months", spend), ("activityLevelRank", activity),
                ("vipCreditAbove", policy.Vip.CreditAbove), ("vipSpendAbove", policy.Vip.SpendAbove),
                ("advancedCreditFrom", policy.Advanced.CreditFrom), ("advancedSpendFrom", policy.Advanced.SpendFrom)),
            context.Earliest(context.MonthsWindowChangesAt(DayFigure.Spend, 12), activityLevel.ChangesAt));
    }
}
