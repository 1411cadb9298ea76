namespace CustomerActors.Grains.Policy.Rules.Tiers;

/// <summary>Credit grade from the latest credit score: A &gt;= aFrom; B &gt;= bFrom; C &gt;= cFrom; D below. None without a score.</summary>
public static class CreditTierRule
{
    public const string Id = "tier.credit.score";

    public static RuleOutcome? Evaluate(RuleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Facts.CreditScore is not { } score)
        {
            return null;
        }

        var policy = context.Policy.Tiers.Credit;
        var grade = score >= policy.AFrom ? "A" : score >= policy.BFrom ? "B" : score >= policy.CFrom ? "C" : "D";
        return new RuleOutcome(grade, Id, context.Inputs(
            ("score", score), ("aFrom", policy.AFrom), ("bFrom", policy.BFrom), ("cFrom", policy.CFrom)));
    }
}
