using CustomerActors.Grains.Customers;

namespace CustomerActors.Grains.Policy.Rules.Risk;

/// <summary>Flags that hold while a count in a rolling window reaches a threshold: failed payments, complaints.</summary>
public static class WindowCountRiskRules
{
    public const string FailedPaymentsFlag = "failedPayments";
    public const string FailedPaymentsId = "risk.failedPayments.count";
    public const string ComplaintsFlag = "complaints";
    public const string ComplaintsId = "risk.complaints.count";

    public static RuleOutcome? FailedPayments(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Risk.FailedPayments;
        return Evaluate(context, DayFigure.FailedPayments, policy.Count, policy.WithinDays, policy.Severity, FailedPaymentsId, "failedPayments");
    }

    public static RuleOutcome? Complaints(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Risk.Complaints;
        return Evaluate(context, DayFigure.Complaints, policy.Count, policy.WithinDays, policy.Severity, ComplaintsId, "complaints");
    }

    private static RuleOutcome? Evaluate(RuleContext context, DayFigure figure, int threshold, int days, string severity, string rule, string input)
    {
        var count = context.LastDays(figure, days);
        return count < threshold
            ? null
            : new RuleOutcome(severity, rule,
                context.Inputs((input, count), ("count", threshold), ("withinDays", days)),
                context.DaysWindowChangesAt(figure, days));
    }
}
