using CustomerActors.Grains.Policy;

namespace CustomerActors.Grains.Tests;

public class MembershipTierRuleTests
{
    [Theory]
    [InlineData("0", "regular")]
    [InlineData("9999.99", "regular")]
    [InlineData("10000", "silver")]
    [InlineData("49999.99", "silver")]
    [InlineData("50000", "gold")]
    [InlineData("100000", "gold")]
    [InlineData("100000.01", "diamond")]
    public void Tier_follows_the_default_spend_boundaries(string spend, string tier)
    {
        var outcome = MembershipTierRule.Evaluate(decimal.Parse(spend, System.Globalization.CultureInfo.InvariantCulture), CustomerPolicy.Default.Membership);

        Assert.Equal(tier, outcome.Value);
    }

    [Fact]
    public void Outcome_explains_itself_with_rule_and_inputs()
    {
        var outcome = MembershipTierRule.Evaluate(12_000m, CustomerPolicy.Default.Membership);

        Assert.Equal(MembershipTierRule.Id, outcome.Rule);
        Assert.Equal(12_000m, outcome.Inputs["spendLast12Months"]);
        Assert.Equal(10_000m, outcome.Inputs["silverFrom"]);
    }

    [Fact]
    public void Thresholds_come_from_the_policy_data()
    {
        var policy = new MembershipPolicy { Silver = 100m, Gold = 200m, Diamond = 300m };

        Assert.Equal("gold", MembershipTierRule.Evaluate(250m, policy).Value);
    }
}
