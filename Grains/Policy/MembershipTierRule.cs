namespace CustomerActors.Grains.Policy;

/// <summary>The rule that decides the membership tier (regular, silver, gold, diamond) from 12-month spend.</summary>
public static class MembershipTierRule
{
    public const string Id = "tier.membership.spend12m";
    public const string Regular = "regular";
    public const string Silver = "silver";
    public const string Gold = "gold";
    public const string Diamond = "diamond";

    public static RuleOutcome Evaluate(decimal spendLast12Months, MembershipPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var tier = spendLast12Months switch
        {
            var s when s > policy.Diamond => Diamond,
            var s when s >= policy.Gold => Gold,
            var s when s >= policy.Silver => Silver,
            _ => Regular,
        };

        return new RuleOutcome(tier, Id, new Dictionary<string, decimal>
        {
            ["spendLast12Months"] = spendLast12Months,
            ["silverFrom"] = policy.Silver,
            ["goldFrom"] = policy.Gold,
            ["diamondAbove"] = policy.Diamond,
        });
    }
}
