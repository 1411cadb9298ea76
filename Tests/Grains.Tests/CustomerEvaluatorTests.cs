using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class CustomerEvaluatorTests
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    [Fact]
    public void Decimal_amounts_add_exactly_so_9999_99_plus_0_01_is_silver()
    {
        var customer = new Scenario()
            .Event(TransactionType.Purchase, Now.AddHours(-2), 9_999.99m)
            .Event(TransactionType.Purchase, Now.AddHours(-1), 0.01m);

        Assert.Equal(10_000m, customer.State.Aggregates!.SpendLast12Months);
        Assert.Equal("silver", customer.Tier("membership"));
    }

    [Fact]
    public void Evaluations_one_after_another_on_a_thread_each_sum_their_own_customer()
    {
        // The window sums' memo is reused from one evaluation to the next on a thread: none may see another's sums.
        var big = new Scenario().Event(TransactionType.Purchase, Now.AddHours(-1), 60_000m);
        var small = new Scenario().Event(TransactionType.Purchase, Now.AddHours(-1), 10m);
        var bigAgain = new Scenario().Event(TransactionType.Purchase, Now.AddHours(-1), 60_000m);

        Assert.Equal(("gold", "regular", "gold"), (big.Tier("membership"), small.Tier("membership"), bigAgain.Tier("membership")));
        Assert.Equal(10m, small.State.Tiers["membership"].Inputs["spendLast12Months"]);
    }

    [Fact]
    public void A_rule_context_answers_no_window_question_once_its_evaluation_is_over()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddHours(-1), 10m);
        var context = new Policy.RuleContext(customer.State.Facts, customer.Policy, Now);
        Assert.Equal(10m, context.LastDays(DayFigure.Spend, 30));

        context.Recycle();

        Assert.Throws<ObjectDisposedException>(() => context.LastDays(DayFigure.Spend, 30));
    }

    [Fact]
    public void A_large_purchase_upgrades_at_once_and_records_the_event_that_did_it()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddHours(-2), 500m);
        var large = Events.Of(TransactionType.Purchase, Now.AddHours(-1), 60_000m);
        var result = CustomerEvaluator.Apply(customer.State, large, customer.Policy, Now);

        var membership = customer.State.Tiers["membership"];
        Assert.Equal("gold", membership.Value);
        Assert.Equal(large.EventId, membership.EventId);
        Assert.Equal(Now, membership.Since);
        Assert.Equal(1, membership.PolicyVersion);
        var change = Assert.Single(result.Changes, c => c.Name == "membership");
        Assert.Equal(("regular", "gold", large.EventId), (change.Before, change.After, change.Reason));
    }

    [Fact]
    public void An_unchanged_decision_keeps_its_since_and_updates_its_inputs()
    {
        var customer = new Scenario()
            .Event(TransactionType.Purchase, Now.AddDays(-1), 100m, processedAt: Now.AddDays(-1))
            .Event(TransactionType.Purchase, Now, 200m);

        var membership = customer.State.Tiers["membership"];
        Assert.Equal("regular", membership.Value);
        Assert.Equal(Now.AddDays(-1), membership.Since);
        Assert.Equal(300m, membership.Inputs["spendLast12Months"]);
        Assert.DoesNotContain(customer.Results[1].Changes, c => c.Name == "membership");
    }

    [Fact]
    public void Every_applied_event_is_counted_and_the_latest_event_time_kept()
    {
        var customer = new Scenario()
            .Event(TransactionType.Purchase, Now.AddDays(-3), 1m)
            .Event(TransactionType.Purchase, Now.AddDays(-1), 1m)
            .Event(TransactionType.Purchase, Now.AddDays(-2), 1m);

        Assert.Equal(3, customer.State.EventCount);
        Assert.Equal(Now.AddDays(-1), customer.State.LastEventAt);
    }

    [Fact]
    public void Every_decision_explains_itself_with_rule_inputs_since_and_policy_version()
    {
        var customer = new Scenario().Event(TransactionType.Login, Now.AddHours(-1));

        var decisions = customer.State.Tiers.Values.Concat(customer.State.Tags.Values).ToArray();
        Assert.NotEmpty(decisions);
        Assert.All(decisions, d =>
        {
            Assert.Contains(d.Rule.Split('.')[0], new[] { "tier", "tag" });
            Assert.Equal(Now, d.Since);
            Assert.Equal(1, d.PolicyVersion);
        });
        Assert.Equal(1m, customer.State.Tags["activity"].Inputs["logins"]);
    }

    [Fact]
    public void The_next_due_time_is_the_earliest_moment_time_alone_could_change_a_decision()
    {
        var customer = new Scenario().Event(TransactionType.Purchase, Now.AddDays(-10), 100m);
        var december = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        // First the monthly contribution's divisor grows on the 1st; then the purchase leaves the 30-day
        // transaction window (midnight after 2026-11-12 + 30 days); churn risk comes 90 days after the order.
        Assert.Equal(december, customer.State.NextDueAt);
        customer.At(december);
        Assert.Equal(new DateTimeOffset(2026, 12, 12, 0, 0, 0, TimeSpan.Zero), customer.State.NextDueAt);
        customer.At(customer.State.NextDueAt!.Value);
        customer.At(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
        customer.At(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(Now.AddDays(-10).AddDays(90), customer.State.NextDueAt);
    }
}
