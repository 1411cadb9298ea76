namespace CustomerActors.Grains.Policy.Rules.Risk;

/// <summary>Holds while the credit grade is one of the policy's grades (default D).</summary>
public static class LowCreditRule
{
    public const string Flag = "lowCredit";
    public const string Id = "risk.lowCredit.grade";

    public static RuleOutcome? Evaluate(RuleContext context, RuleOutcome? creditTier)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = context.Policy.Risk.LowCredit;
        return creditTier is not { } credit || !policy.Grades.Contains(credit.Value)
            ? null
            : new RuleOutcome(policy.Severity, Id, credit.Inputs);
    }
}
