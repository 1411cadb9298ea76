using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>active: &gt;= activeFrom logins in the window; normal: &gt;= normalFrom; inactive: none.</summary>
public static class ActivityTagRule
{
    public const string Id = "tag.activity.logins";

    public static RuleOutcome Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tags.Activity;
        var logins = context.LastDays(DayFigure.Logins, policy.WindowDays);
        var value = logins >= policy.ActiveFrom ? "active" : logins >= policy.NormalFrom ? "normal" : "inactive";
        return new RuleOutcome(value, Id,
            context.Inputs(("logins", logins), ("windowDays", policy.WindowDays), ("activeFrom", policy.ActiveFrom), ("normalFrom", policy.NormalFrom)),
            context.DaysWindowChangesAt(DayFigure.Logins, policy.WindowDays));
    }
}
