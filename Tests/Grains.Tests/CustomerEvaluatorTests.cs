using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Grains.Tests;

public class CustomerEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    private static CustomerState Apply(params TransactionEventSpec[] specs)
    {
        var state = new CustomerState();
        foreach (var spec in specs)
        {
            CustomerEvaluator.Apply(state, Events.Of(spec.Type, spec.At, spec.Amount, spec.Score), CustomerPolicy.Default, Now);
        }

        return state;
    }

    internal sealed record TransactionEventSpec(TransactionType Type, DateTimeOffset At, decimal? Amount = null, int? Score = null);

    private static TransactionEventSpec Purchase(decimal amount, DateTimeOffset? at = null) => new(TransactionType.Purchase, at ?? Now.AddHours(-1), amount);

    [Fact]
    public void Decimal_amounts_add_exactly_so_9999_99_plus_0_01_is_silver()
    {
        var state = Apply(Purchase(9_999.99m), Purchase(0.01m));

        Assert.Equal(10_000m, state.Aggregates!.SpendLast12Months);
        Assert.Equal("silver", state.Tiers[CustomerEvaluator.MembershipTier].Value);
    }

    [Fact]
    public void A_large_purchase_upgrades_at_once_and_records_the_event_that_did_it()
    {
        var state = new CustomerState();
        var small = Events.Of(TransactionType.Purchase, Now.AddHours(-2), 500m);
        var large = Events.Of(TransactionType.Purchase, Now.AddHours(-1), 60_000m);
        CustomerEvaluator.Apply(state, small, CustomerPolicy.Default, Now.AddHours(-2));
        CustomerEvaluator.Apply(state, large, CustomerPolicy.Default, Now);

        var membership = state.Tiers[CustomerEvaluator.MembershipTier];
        Assert.Equal("gold", membership.Value);
        Assert.Equal(large.EventId, membership.EventId);
        Assert.Equal(Now, membership.Since);
        Assert.Equal(1, membership.PolicyVersion);
    }

    [Fact]
    public void An_unchanged_tier_keeps_its_since_and_updates_its_inputs()
    {
        var state = new CustomerState();
        CustomerEvaluator.Apply(state, Events.Of(TransactionType.Purchase, Now.AddDays(-1), 100m), CustomerPolicy.Default, Now.AddDays(-1));
        CustomerEvaluator.Apply(state, Events.Of(TransactionType.Purchase, Now, 200m), CustomerPolicy.Default, Now);

        var membership = state.Tiers[CustomerEvaluator.MembershipTier];
        Assert.Equal("regular", membership.Value);
        Assert.Equal(Now.AddDays(-1), membership.Since);
        Assert.Equal(300m, membership.Inputs["spendLast12Months"]);
    }

    [Theory]
    [InlineData("49999.99", false)]
    [InlineData("50000", true)]
    public void A_single_transaction_of_50000_or_more_raises_the_large_transaction_flag(string amount, bool flagged)
    {
        var state = Apply(new TransactionEventSpec(TransactionType.Withdrawal, Now.AddHours(-1), decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(flagged, state.RiskFlags.ContainsKey(LargeTransactionRule.Flag));
        if (flagged)
        {
            var flag = state.RiskFlags[LargeTransactionRule.Flag];
            Assert.Equal(LargeTransactionRule.Id, flag.Rule);
            Assert.Equal(50_000m, flag.Inputs["amount"]);
            Assert.Equal(50_000m, flag.Inputs["threshold"]);
        }
    }

    [Fact]
    public void Balance_and_score_events_never_count_as_large_transactions()
    {
        var state = Apply(new TransactionEventSpec(TransactionType.Balance, Now.AddHours(-1), 900_000m));

        Assert.Empty(state.RiskFlags);
    }

    [Fact]
    public void Every_applied_event_is_counted_and_the_latest_event_time_kept()
    {
        var state = Apply(Purchase(1m, Now.AddDays(-3)), Purchase(1m, Now.AddDays(-1)), Purchase(1m, Now.AddDays(-2)));

        Assert.Equal(3, state.EventCount);
        Assert.Equal(Now.AddDays(-1), state.LastEventAt);
    }
}
