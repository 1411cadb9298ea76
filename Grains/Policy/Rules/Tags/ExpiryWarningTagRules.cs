namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>
/// yes while a known end lies less than the warning period ahead: renewal (subscription endsAt) and warranty
/// (expiresAt). no before that and once it has passed.
/// </summary>
public static class ExpiryWarningTagRules
{
    public const string RenewalId = "tag.renewalWarning.endsAt";
    public const string WarrantyId = "tag.warrantyExpiring.expiresAt";

    public static RuleOutcome Renewal(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Evaluate(context, context.Facts.SubscriptionEndsAt, context.Policy.Tags.RenewalWarning.DaysBeforeEnd, RenewalId);
    }

    public static RuleOutcome Warranty(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Evaluate(context, context.Facts.WarrantyExpiresAt, context.Policy.Tags.WarrantyExpiring.DaysBeforeExpiry, WarrantyId);
    }

    private static RuleOutcome Evaluate(RuleContext context, DateTimeOffset? end, int warningDays, string rule)
    {
        if (end is not { } endsAt)
        {
            return new RuleOutcome("no", rule, context.Inputs(("warningDays", warningDays)));
        }

        var warnFrom = endsAt.AddDays(-warningDays);
        var warning = context.Now >= warnFrom && context.Now < endsAt;
        var daysLeft = (decimal)Math.Ceiling((endsAt - context.Now).TotalDays);
        return new RuleOutcome(warning ? "yes" : "no", rule,
            context.Inputs(("daysLeft", daysLeft), ("warningDays", warningDays)),
            context.Earliest(warnFrom, endsAt));
    }
}
