namespace CustomerActors.Grains.Policy.Rules.Risk;

/// <summary>
/// Balance below the threshold for <c>days</c> consecutive days: the flag holds (and the membership tier is
/// lowered) until the balance recovers.
/// </summary>
public static class LowBalanceRule
{
    public const string Flag = "lowBalance";
    public const string Id = "risk.lowBalance.days";

    /// <summary>When the rule starts to hold if the balance stays low; null when it is not low.</summary>
    public static DateTimeOffset? HoldsFrom(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Risk.LowBalance;
        var facts = context.Facts;
        return facts.LowBalanceSince is { } since && facts.Balance is { } balance && balance < policy.Threshold
            ? since.AddDays(policy.Days)
            : null;
    }

    public static RuleOutcome? Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (HoldsFrom(context) is not { } holdsFrom || context.Now < holdsFrom)
        {
            return null;
        }

        var policy = context.Policy.Risk.LowBalance;
        return new RuleOutcome(policy.Severity, Id, context.Inputs(
            ("balance", context.Facts.Balance!.Value), ("threshold", policy.Threshold), ("days", policy.Days),
            ("daysBelow", (decimal)Math.Floor((context.Now - context.Facts.LowBalanceSince!.Value).TotalDays))));
    }
}
