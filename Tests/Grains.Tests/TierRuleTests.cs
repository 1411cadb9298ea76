using System.Globalization;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class TierRuleTests
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    private static decimal D(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0.01", "regular")]
    [InlineData("9999.99", "regular")]
    [InlineData("10000", "silver")]
    [InlineData("49999.99", "silver")]
    [InlineData("50000", "gold")]
    [InlineData("100000", "gold")]
    [InlineData("100000.01", "diamond")]
    public void Membership_follows_12_month_spend(string spend, string tier)
    {
        Assert.Equal(tier, new Scenario().Event(TransactionType.Purchase, Now.AddDays(-1), D(spend)).Tier("membership"));
    }

    [Fact]
    public void Membership_drops_when_spend_leaves_the_12_month_window_even_while_idle()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddDays(-1), 60_000m);
        Assert.Equal("gold", customer.Tier("membership"));

        var result = customer.At(Now.AddDays(-1).AddMonths(12).AddDays(1));

        Assert.Equal("regular", customer.Tier("membership"));
        var change = Assert.Single(result.Changes, c => c.Name == "membership");
        Assert.Equal("time", change.Reason);
    }

    [Theory]
    [InlineData(599, "D")]
    [InlineData(600, "C")]
    [InlineData(649, "C")]
    [InlineData(650, "B")]
    [InlineData(699, "B")]
    [InlineData(700, "A")]
    public void Credit_grade_follows_the_latest_score(int score, string grade)
    {
        Assert.Equal(grade, new Scenario().Event(TransactionType.CreditScore, Now.AddHours(-1), score: score).Tier("credit"));
    }

    [Fact]
    public void There_is_no_credit_grade_without_a_score()
    {
        Assert.Null(new Scenario().Event(TransactionType.Login, Now.AddHours(-1)).Tier("credit"));
    }

    [Theory]
    [InlineData(4, "low")]
    [InlineData(5, "medium")]
    [InlineData(9, "medium")]
    [InlineData(10, "high")]
    [InlineData(19, "high")]
    [InlineData(20, "veryHigh")]
    public void Activity_level_follows_logins_in_30_days(int logins, string level)
    {
        var customer = new Scenario().Times(logins, TransactionType.Login, i => Now.AddHours(-1 - i));

        Assert.Equal(level, customer.Tier("activityLevel"));
    }

    [Theory]
    [InlineData(701, "50000.01", 10, "vip")]
    [InlineData(700, "50000.01", 10, "advanced")]
    [InlineData(701, "50000", 10, "advanced")]
    [InlineData(701, "50000.01", 9, "advanced")]
    [InlineData(600, "10000", 5, "advanced")]
    [InlineData(599, "10000", 5, "regular")]
    [InlineData(600, "9999.99", 5, "regular")]
    [InlineData(600, "10000", 4, "regular")]
    public void Service_tier_combines_credit_spend_and_activity(int score, string spend, int logins, string tier)
    {
        var customer = new Scenario()
            .Event(TransactionType.CreditScore, Now.AddHours(-1), score: score)
            .Event(TransactionType.Purchase, Now.AddHours(-1), D(spend))
            .Times(logins, TransactionType.Login, i => Now.AddHours(-2 - i));

        Assert.Equal(tier, customer.Tier("service"));
    }

    [Fact]
    public void Without_a_credit_score_the_service_tier_is_regular()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddHours(-1), 200_000m).Times(25, TransactionType.Login, i => Now.AddHours(-2 - i));

        Assert.Equal("regular", customer.Tier("service"));
    }
}
