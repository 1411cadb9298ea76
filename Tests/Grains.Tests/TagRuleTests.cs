using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class TagRuleTests
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    [Theory]
    [InlineData(0, "low")]
    [InlineData(1, "medium")]
    [InlineData(2, "medium")]
    [InlineData(3, "high")]
    public void Purchase_frequency_follows_orders_in_6_months(int orders, string tag)
    {
        var customer = new Scenario().Event(TransactionType.Login, Now.AddHours(-1)).Times(orders, TransactionType.Purchase, i => Now.AddDays(-10 - i), 10m);

        Assert.Equal(tag, customer.Tag("purchaseFrequency"));
    }

    [Theory]
    [InlineData(1, "normal")]
    [InlineData(4, "normal")]
    [InlineData(5, "active")]
    public void Activity_follows_logins_in_30_days(int logins, string tag)
    {
        Assert.Equal(tag, new Scenario().Times(logins, TransactionType.Login, i => Now.AddDays(-i)).Tag("activity"));
    }

    [Fact]
    public void A_customer_whose_logins_age_out_becomes_inactive()
    {
        var customer = new Scenario().Event(TransactionType.Login, Now.AddHours(-1));

        customer.At(Now.AddDays(30));

        Assert.Equal("inactive", customer.Tag("activity"));
    }

    [Theory]
    [InlineData(9, "low")]
    [InlineData(10, "medium")]
    [InlineData(50, "medium")]
    [InlineData(51, "high")]
    public void Transaction_frequency_follows_money_movements_in_30_days(int movements, string tag)
    {
        Assert.Equal(tag, new Scenario().Times(movements, TransactionType.Payment, i => Now.AddMinutes(-60 * (i + 1)), 1m).Tag("transactionFrequency"));
    }

    [Theory]
    [InlineData("4999.99", "low")]
    [InlineData("5000", "medium")]
    [InlineData("9999.99", "medium")]
    [InlineData("10000", "high")]
    public void Monthly_contribution_follows_average_monthly_spend(string spend, string tag)
    {
        var amount = decimal.Parse(spend, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(tag, new Scenario().Event(TransactionType.Purchase, Now.AddHours(-1), amount).Tag("monthlyContribution"));
    }

    [Theory]
    [InlineData(-364, "under1y")]
    [InlineData(-366, "1to3y")]
    [InlineData(-3 * 365, "1to3y")]
    [InlineData(-3 * 366 - 1, "over3y")]
    public void Tenure_counts_from_first_contact(int days, string tag)
    {
        var customer = new Scenario().Event(TransactionType.Profile, Now.AddHours(-1), with: e => e with { FirstContactAt = Now.AddDays(days) });

        Assert.Equal(tag, customer.Tag("tenure"));
    }

    [Theory]
    [InlineData(89, "no")]
    [InlineData(90, "yes")]
    public void Churn_risk_after_90_days_without_an_order(int days, string tag)
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now, 10m);

        customer.At(Now.AddDays(days));

        Assert.Equal(tag, customer.Tag("churnRisk"));
    }

    [Fact]
    public void A_new_order_clears_churn_risk_and_a_customer_without_orders_has_none()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddDays(-100), 10m);
        Assert.Equal("yes", customer.Tag("churnRisk"));

        customer.Event(TransactionType.Purchase, Now.AddHours(-1), 10m);

        Assert.Equal("no", customer.Tag("churnRisk"));
        Assert.Equal("no", new Scenario().Event(TransactionType.Login, Now).Tag("churnRisk"));
    }

    [Theory]
    [InlineData(31, "no")]
    [InlineData(30, "yes")]
    [InlineData(29, "yes")]
    [InlineData(0, "no")]
    public void Renewal_warning_when_a_subscription_ends_within_30_days(int daysLeft, string tag)
    {
        var customer = new Scenario().Event(TransactionType.Subscription, Now.AddHours(-1), with: e => e with { EndsAt = Now.AddDays(daysLeft) });

        Assert.Equal(tag, customer.Tag("renewalWarning"));
    }

    [Fact]
    public void Warranty_expiring_turns_on_by_time_alone()
    {
        var customer = new Scenario().Event(TransactionType.Warranty, Now.AddHours(-1), with: e => e with { ExpiresAt = Now.AddDays(45) });
        Assert.Equal("no", customer.Tag("warrantyExpiring"));
        Assert.Equal(Now.AddDays(15), customer.State.NextDueAt);

        customer.At(Now.AddDays(15));

        Assert.Equal("yes", customer.Tag("warrantyExpiring"));
    }

    [Fact]
    public void Industry_and_region_come_from_the_profile()
    {
        var customer = new Scenario().Event(TransactionType.Profile, Now.AddHours(-1), with: e => e with { Industry = "manufacturing", Region = "East China" });

        Assert.Equal("manufacturing", customer.Tag("industry"));
        Assert.Equal("East China", customer.Tag("region"));
        Assert.Null(new Scenario().Event(TransactionType.Login, Now).Tag("industry"));
    }
}
