using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tiers;

/// <summary>Activity level by logins in the window: low &lt; mediumFrom &lt;= medium &lt; highFrom &lt;= high &lt; veryHighFrom &lt;= veryHigh.</summary>
public static class ActivityLevelRule
{
    public const string Id = "tier.activityLevel.logins";

    public static RuleOutcome Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tiers.ActivityLevel;
        var logins = context.LastDays(DayFigure.Logins, policy.WindowDays);
        var level = logins >= policy.VeryHighFrom ? "veryHigh" : logins >= policy.HighFrom ? "high" : logins >= policy.MediumFrom ? "medium" : "low";
        return new RuleOutcome(level, Id, context.Inputs(
                ("logins", logins), ("windowDays", policy.WindowDays), ("mediumFrom", policy.MediumFrom),
                ("highFrom", policy.HighFrom), ("veryHighFrom", policy.VeryHighFrom)),
            context.DaysWindowChangesAt(DayFigure.Logins, policy.WindowDays));
    }

    /// <summary>Position of a level in low, medium, high, veryHigh.</summary>
    public static int Rank(string level) => PolicyNames.RankIn(PolicyNames.ActivityLevels, level);
}
