using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class RiskRuleTests
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    [Theory]
    [InlineData("49999.99", false)]
    [InlineData("50000", true)]
    public void A_single_movement_of_50000_or_more_is_a_large_transaction(string amount, bool flagged)
    {
        var customer = new Scenario().Event(TransactionType.Withdrawal, Now.AddHours(-1), decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(flagged, customer.Flagged("largeTransaction"));
        if (flagged)
        {
            var flag = customer.State.RiskFlags["largeTransaction"];
            Assert.Equal("high", flag.Value);
            Assert.Equal("risk.largeTransaction.absolute", flag.Rule);
            Assert.Equal(50_000m, flag.Inputs["amount"]);
            var alert = Assert.Single(customer.Alerts);
            Assert.Equal(("high", "largeTransaction", "risk.largeTransaction.absolute"), (alert.Severity, alert.Subject, alert.Rule));
        }
    }

    [Theory]
    [InlineData("999.99", false)]
    [InlineData("1000", true)]
    public void Ten_times_the_customers_own_average_is_a_large_transaction(string amount, bool flagged)
    {
        var customer = new Scenario().Times(5, TransactionType.Payment, i => Now.AddDays(-i - 1), 100m);

        customer.Event(TransactionType.Payment, Now.AddHours(-1), decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(flagged, customer.Flagged("largeTransaction"));
        if (flagged)
        {
            Assert.Equal("risk.largeTransaction.multipleOfAverage", customer.State.RiskFlags["largeTransaction"].Rule);
            Assert.Equal(100m, customer.State.RiskFlags["largeTransaction"].Inputs["averageLast12Months"]);
        }
    }

    [Fact]
    public void The_relative_rule_needs_some_history_first()
    {
        var customer = new Scenario().Times(4, TransactionType.Payment, i => Now.AddDays(-i - 1), 100m).Event(TransactionType.Payment, Now.AddHours(-1), 5_000m);

        Assert.False(customer.Flagged("largeTransaction"));
    }

    [Fact]
    public void A_large_transaction_flag_holds_30_days_then_clears_by_time()
    {
        var at = Now.AddHours(-1);
        var customer = new Scenario().Event(TransactionType.Deposit, at, 80_000m);

        customer.At(at.AddDays(30).AddTicks(-1));
        Assert.True(customer.Flagged("largeTransaction"));
        var cleared = customer.At(at.AddDays(30));

        Assert.False(customer.Flagged("largeTransaction"));
        Assert.Contains(cleared.Changes, c => c.Name == "largeTransaction" && c.After is null && c.Reason == "time");
    }

    [Fact]
    public void Another_large_transaction_while_flagged_raises_another_alert()
    {
        var customer = new Scenario().Event(TransactionType.Deposit, Now.AddHours(-2), 80_000m).Event(TransactionType.Deposit, Now.AddHours(-1), 90_000m);

        Assert.Equal(2, customer.Alerts.Count(a => a.Subject == "largeTransaction"));
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    public void Ten_movements_within_ten_minutes_is_velocity(int movements, bool flagged)
    {
        var customer = new Scenario().Times(movements, TransactionType.Payment, i => Now.AddMinutes(-10).AddSeconds(i * 60), 1m);

        Assert.Equal(flagged, customer.Flagged("velocity"));
    }

    [Fact]
    public void Movements_spread_wider_than_the_window_are_not_velocity()
    {
        var customer = new Scenario().Times(10, TransactionType.Payment, i => Now.AddMinutes(-60).AddSeconds(i * 67), 1m);

        Assert.False(customer.Flagged("velocity"));
    }

    [Fact]
    public void A_late_movement_that_completes_a_burst_is_velocity()
    {
        var burst = Now.AddMinutes(-30);
        var customer = new Scenario()
            .Times(5, TransactionType.Payment, i => burst.AddMinutes(i), 1m)
            .Times(4, TransactionType.Payment, i => burst.AddMinutes(6 + i), 1m);
        Assert.False(customer.Flagged("velocity"));

        customer.Event(TransactionType.Payment, burst.AddSeconds(30), 1m); // arrives last, happened inside the burst

        Assert.True(customer.Flagged("velocity"));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Three_failed_payments_in_30_days_are_flagged(int failures, bool flagged)
    {
        Assert.Equal(flagged, new Scenario().Times(failures, TransactionType.PaymentFailed, i => Now.AddDays(-i), 10m).Flagged("failedPayments"));
    }

    [Fact]
    public void The_failed_payments_flag_clears_when_failures_age_out()
    {
        var customer = new Scenario().Times(3, TransactionType.PaymentFailed, i => Now.AddDays(-i), 10m);

        customer.At(Now.AddDays(29));

        Assert.False(customer.Flagged("failedPayments"));
    }

    [Theory]
    [InlineData(599, true)]
    [InlineData(600, false)]
    public void Credit_grade_D_is_a_low_credit_flag(int score, bool flagged)
    {
        Assert.Equal(flagged, new Scenario().Event(TransactionType.CreditScore, Now, score: score).Flagged("lowCredit"));
    }

    [Theory]
    [InlineData(29, false)]
    [InlineData(30, true)]
    public void Thirty_days_below_the_balance_threshold_flags_and_downgrades_one_level(int days, bool downgraded)
    {
        var customer = new Scenario()
            .Event(TransactionType.Purchase, Now.AddDays(-1), 60_000m)
            .Event(TransactionType.Balance, Now, 999.99m);
        Assert.Equal("gold", customer.Tier("membership"));

        customer.At(Now.AddDays(days));

        Assert.Equal(downgraded, customer.Flagged("lowBalance"));
        Assert.Equal(downgraded ? "silver" : "gold", customer.Tier("membership"));
        if (downgraded)
        {
            Assert.Equal("tier.membership.spend12m.lowBalanceDowngrade", customer.State.Tiers["membership"].Rule);
            Assert.Contains(customer.Alerts, a => a.Subject == "membershipDowngrade" && a.Severity == "high" && a.Reason == "time");
            Assert.Contains(customer.Alerts, a => a.Subject == "lowBalance");
        }
    }

    [Fact]
    public void A_balance_at_the_threshold_is_not_low_and_a_recovery_restores_the_tier()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddDays(-1), 60_000m).Event(TransactionType.Balance, Now.AddDays(-40), 500m, processedAt: Now.AddDays(-40));
        customer.At(Now);
        Assert.Equal("silver", customer.Tier("membership"));

        customer.Event(TransactionType.Deposit, Now.AddMinutes(-1), 500m);

        Assert.False(customer.Flagged("lowBalance"));
        Assert.Equal("gold", customer.Tier("membership"));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Three_complaints_in_90_days_are_flagged(int complaints, bool flagged)
    {
        Assert.Equal(flagged, new Scenario().Times(complaints, TransactionType.Complaint, i => Now.AddDays(-i * 20)).Flagged("complaints"));
    }

    [Fact]
    public void A_downgrade_from_silver_raises_no_downgrade_alert()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddDays(-1), 20_000m);

        customer.At(Now.AddMonths(13));

        Assert.Equal("regular", customer.Tier("membership"));
        Assert.DoesNotContain(customer.Alerts, a => a.Subject == "membershipDowngrade");
    }

    [Fact]
    public void An_idle_gold_customer_downgraded_by_time_raises_a_downgrade_alert()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddDays(-1), 60_000m);

        customer.At(Now.AddMonths(13));

        var alert = Assert.Single(customer.Alerts, a => a.Subject == "membershipDowngrade");
        Assert.Equal(2m, alert.Evidence["fromLevel"]);
        Assert.Equal(0m, alert.Evidence["toLevel"]);
    }
}
