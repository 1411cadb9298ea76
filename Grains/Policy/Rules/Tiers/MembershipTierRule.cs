using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tiers;

/// <summary>
/// Membership tier by net spend over the last 12 months:
/// regular &lt; silverFrom &lt;= silver &lt; goldFrom &lt;= gold &lt;= diamondAbove &lt; diamond.
/// While the low-balance rule holds, the tier is lowered by its <c>downgradeLevels</c>.
/// </summary>
public static class MembershipTierRule
{
    public const string Id = "tier.membership.spend12m";
    public const string DowngradedId = "tier.membership.spend12m.lowBalanceDowngrade";

    public static RuleOutcome Evaluate(RuleContext context, bool lowBalanceHolds)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tiers.Membership;
        var spend = Math.Max(0m, context.LastMonths(DayFigure.Spend, 12));
        var level = spend switch
        {
            var s when s > policy.DiamondAbove => 3,
            var s when s >= policy.GoldFrom => 2,
            var s when s >= policy.SilverFrom => 1,
            _ => 0,
        };

        var downgrade = lowBalanceHolds ? context.Policy.Risk.LowBalance.DowngradeLevels : 0;
        var tier = PolicyNames.MembershipTiers[Math.Max(0, level - downgrade)];
        return new RuleOutcome(
            tier,
            downgrade > 0 ? DowngradedId : Id,
            context.Inputs(
                ("spendLast12Months", spend),
                ("silverFrom", policy.SilverFrom),
                ("goldFrom", policy.GoldFrom),
                ("diamondAbove", policy.DiamondAbove),
                ("lowBalanceDowngradeLevels", downgrade)),
            context.MonthsWindowChangesAt(DayFigure.Spend, 12));
    }
}
