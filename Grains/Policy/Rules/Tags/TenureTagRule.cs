namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>Time since first contact (profile.firstContactAt, else the first event): under1y, 1to3y, over3y.</summary>
public static class TenureTagRule
{
    public const string Id = "tag.tenure.firstContact";

    public static RuleOutcome? Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if ((context.Facts.FirstContactAt ?? context.Facts.FirstEventAt) is not { } since)
        {
            return null;
        }

        var policy = context.Policy.Tags.Tenure;
        var middle = since.AddYears(policy.MiddleFromYears);
        var longAfter = since.AddYears(policy.LongAboveYears);
        var value = context.Now > longAfter ? "over" + policy.LongAboveYears + "y"
            : context.Now >= middle ? $"{policy.MiddleFromYears}to{policy.LongAboveYears}y"
            : "under" + policy.MiddleFromYears + "y";
        var days = (decimal)Math.Floor((context.Now - since).TotalDays);
        return new RuleOutcome(value, Id,
            context.Inputs(("daysSinceFirstContact", days), ("middleFromYears", policy.MiddleFromYears), ("longAboveYears", policy.LongAboveYears)),
            context.Earliest(middle, longAfter.AddTicks(1)));
    }
}
