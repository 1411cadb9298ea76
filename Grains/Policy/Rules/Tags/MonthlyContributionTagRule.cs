using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Tags;

/// <summary>
/// Average monthly contribution (12-month net spend over the calendar months since the first event, 1-12).
/// high: &gt;= highFrom; medium: &gt;= mediumFrom; low: below.
/// </summary>
public static class MonthlyContributionTagRule
{
    public const string Id = "tag.monthlyContribution.arpu";

    public static RuleOutcome Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Tags.MonthlyContribution;
        var contribution = context.Aggregates.AverageMonthlyContribution;
        var value = contribution >= policy.HighFrom ? "high" : contribution >= policy.MediumFrom ? "medium" : "low";
        // The divisor grows at each new month (up to 12), which lowers a non-zero contribution; spend leaves
        // the 12-month window day by day.
        var spend = context.LastMonths(DayFigure.Spend, 12);
        var monthStart = new DateTimeOffset(context.Now.Year, context.Now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        DateTimeOffset? divisorGrows = spend > 0 && context.Facts.MonthsCovered(context.Now) < 12 ? monthStart.AddMonths(1) : null;
        return new RuleOutcome(value, Id,
            context.Inputs(("averageMonthlyContribution", contribution), ("mediumFrom", policy.MediumFrom), ("highFrom", policy.HighFrom)),
            context.Earliest(context.MonthsWindowChangesAt(DayFigure.Spend, 12), divisorGrows));
    }
}
