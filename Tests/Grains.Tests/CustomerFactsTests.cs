using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class CustomerFactsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private const decimal LowBalance = 1_000m;

    private static CustomerFacts With(params TransactionEvent[] events)
    {
        var facts = new CustomerFacts();
        foreach (var e in events)
        {
            facts.Apply(e, LowBalance, Now);
        }

        return facts;
    }

    [Theory]
    [InlineData(29, 1)]
    [InlineData(30, 0)]
    public void Logins_count_over_the_last_30_days_including_today(int daysAgo, int expected)
    {
        var facts = With(Events.Of(TransactionType.Login, Now.AddDays(-daysAgo)));

        Assert.Equal(expected, facts.Aggregate(Now).LoginsLast30Days);
    }

    [Fact]
    public void Orders_count_over_the_last_six_calendar_months()
    {
        var facts = With(
            Events.Of(TransactionType.Purchase, Now.AddMonths(-6), 1m),
            Events.Of(TransactionType.Purchase, Now.AddMonths(-6).AddDays(-1), 1m));

        Assert.Equal(1, facts.Aggregate(Now).OrdersLast6Months);
    }

    [Fact]
    public void Spend_is_net_of_refunds_over_twelve_months_and_never_negative()
    {
        var facts = With(
            Events.Of(TransactionType.Purchase, Now.AddMonths(-11), 5_000m),
            Events.Of(TransactionType.Purchase, Now.AddMonths(-12).AddDays(-1), 7_000m),
            Events.Of(TransactionType.Refund, Now.AddDays(-1), 1_000m));

        Assert.Equal(4_000m, facts.Aggregate(Now).SpendLast12Months);
        Assert.Equal(0m, With(Events.Of(TransactionType.Refund, Now.AddDays(-1), 10m)).Aggregate(Now).SpendLast12Months);
    }

    [Fact]
    public void A_late_event_lands_in_the_window_of_its_own_time()
    {
        var facts = new CustomerFacts();
        facts.Apply(Events.Of(TransactionType.Purchase, Now.AddHours(-1), 100m), LowBalance, Now);
        // Arrives last, happened 200 days ago: counts for 12 months, not for the 6-month order window.
        facts.Apply(Events.Of(TransactionType.Purchase, Now.AddDays(-200), 900m), LowBalance, Now);

        var aggregates = facts.Aggregate(Now);
        Assert.Equal(1_000m, aggregates.SpendLast12Months);
        Assert.Equal(1, aggregates.OrdersLast6Months);
        Assert.Equal(Now.AddHours(-1), aggregates.LastOrderAt);
    }

    [Fact]
    public void Windows_slide_with_time()
    {
        var facts = With(Events.Of(TransactionType.Purchase, Now.AddDays(-1), 20_000m));

        Assert.Equal(20_000m, facts.Aggregate(Now).SpendLast12Months);
        Assert.Equal(0m, facts.Aggregate(Now.AddMonths(12).AddDays(1)).SpendLast12Months);
    }

    [Fact]
    public void Transactions_this_month_count_money_movements_since_the_first_of_the_month()
    {
        var facts = With(
            Events.Of(TransactionType.Purchase, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), 1m),
            Events.Of(TransactionType.Deposit, Now.AddHours(-1), 1m),
            Events.Of(TransactionType.Login, Now.AddHours(-1)),
            Events.Of(TransactionType.Payment, new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero), 1m));

        Assert.Equal(2, facts.Aggregate(Now).TransactionsThisMonth);
    }

    [Fact]
    public void Monthly_contribution_divides_spend_by_the_months_covered_up_to_twelve()
    {
        Assert.Equal(6_000m, With(Events.Of(TransactionType.Purchase, Now.AddDays(-1), 6_000m)).Aggregate(Now).AverageMonthlyContribution);
        Assert.Equal(3_000m, With(Events.Of(TransactionType.Purchase, Now.AddMonths(-1), 6_000m)).Aggregate(Now).AverageMonthlyContribution);
        Assert.Equal(500m, With(
            Events.Of(TransactionType.Login, Now.AddMonths(-13)),
            Events.Of(TransactionType.Purchase, Now.AddDays(-1), 6_000m)).Aggregate(Now).AverageMonthlyContribution);
    }

    [Fact]
    public void Balance_follows_snapshots_and_later_movements_and_records_when_it_went_low()
    {
        var facts = With(
            Events.Of(TransactionType.Balance, Now.AddDays(-10), 5_000m),
            Events.Of(TransactionType.Withdrawal, Now.AddDays(-5), 4_500m),
            Events.Of(TransactionType.Deposit, Now.AddDays(-11), 999m)); // before the snapshot: already in it

        var aggregates = facts.Aggregate(Now);
        Assert.Equal(500m, aggregates.Balance);
        Assert.Equal(Now.AddDays(-5), aggregates.LowBalanceSince);

        facts.Apply(Events.Of(TransactionType.Deposit, Now.AddDays(-1), 600m), LowBalance, Now);
        Assert.Equal(1_100m, facts.Aggregate(Now).Balance);
        Assert.Null(facts.Aggregate(Now).LowBalanceSince);
    }

    [Fact]
    public void A_stale_balance_snapshot_does_not_undo_newer_movements()
    {
        var facts = With(
            Events.Of(TransactionType.Balance, Now.AddDays(-10), 5_000m),
            Events.Of(TransactionType.Deposit, Now.AddDays(-2), 100m),
            Events.Of(TransactionType.Balance, Now.AddDays(-3), 7_000m));

        Assert.Equal(5_100m, facts.Aggregate(Now).Balance);
    }

    [Fact]
    public void An_overdraft_balance_is_kept_negative()
    {
        Assert.Equal(-250m, With(Events.Of(TransactionType.Balance, Now.AddDays(-1), -250m)).Aggregate(Now).Balance);
    }

    [Fact]
    public void The_credit_score_is_the_latest_by_event_time()
    {
        var facts = With(
            Events.Of(TransactionType.CreditScore, Now.AddDays(-1), score: 720),
            Events.Of(TransactionType.CreditScore, Now.AddDays(-5), score: 610));

        Assert.Equal(720, facts.Aggregate(Now).CreditScore);
    }

    [Fact]
    public void Failed_payments_count_over_30_days_and_are_not_transactions()
    {
        var facts = With(Events.Of(TransactionType.PaymentFailed, Now.AddDays(-3), 80m), Events.Of(TransactionType.PaymentFailed, Now.AddDays(-40), 80m));

        Assert.Equal(1, facts.Aggregate(Now).FailedPaymentsLast30Days);
        Assert.Equal(0, facts.Aggregate(Now).TransactionsThisMonth);
    }

    [Fact]
    public void Days_older_than_thirteen_months_are_pruned()
    {
        var facts = With(Events.Of(TransactionType.Login, Now.AddMonths(-12)), Events.Of(TransactionType.Login, Now.AddDays(-1)));
        facts.Apply(Events.Of(TransactionType.Login, Now.AddMonths(2)), LowBalance, Now.AddMonths(2));

        Assert.Equal(2, facts.Days.Count);
        Assert.True(facts.Days.SequenceEqual(facts.Days.OrderBy(d => d.Day)));
    }

    [Theory]
    [InlineData(DayFigure.Orders)]
    [InlineData(DayFigure.Logins)]
    [InlineData(DayFigure.Transactions)]
    [InlineData(DayFigure.FailedPayments)]
    [InlineData(DayFigure.Complaints)]
    [InlineData(DayFigure.Spend)]
    [InlineData(DayFigure.Volume)]
    public void A_figures_window_sum_and_first_counted_day_are_those_of_its_days_from_the_windows_first_day_on(DayFigure figure)
    {
        var random = new Random(7);
        var facts = new CustomerFacts();
        for (var i = 0; i < 400; i++)
        {
            var day = DayActivity.DayOf(Now) - random.Next(0, 395);
            // Sparse figures: about one day in three counts for each, so that first counted days are not the first days.
            var activity = new DayActivity(day, Sometimes(random, 3), Sometimes(random, 5), Sometimes(random, 4), Sometimes(random, 2), Sometimes(random, 2) * 12.34m - 5m,
                Sometimes(random, 9) * 100.01m, Sometimes(random, 1));
            if (facts.Days.FindIndex(d => d.Day == day) < 0)
            {
                facts.Days.Add(activity);
            }
        }

        facts.Days.Sort((a, b) => a.Day.CompareTo(b.Day));
        Func<DayActivity, decimal> read = figure switch
        {
            DayFigure.Orders => d => d.Orders,
            DayFigure.Logins => d => d.Logins,
            DayFigure.Transactions => d => d.Transactions,
            DayFigure.FailedPayments => d => d.FailedPayments,
            DayFigure.Complaints => d => d.Complaints,
            DayFigure.Spend => d => d.Spend,
            _ => d => d.Volume,
        };

        foreach (var fromDay in new[] { facts.Days[0].Day - 1, facts.Days[0].Day, facts.Days[10].Day + 1, DayActivity.DayOf(Now) - 29, DayActivity.DayOf(Now) + 1 })
        {
            var window = facts.Days.Where(d => d.Day >= fromDay).ToList();
            Assert.Equal(window.Sum(read), facts.Sum(figure, fromDay));
            Assert.Equal(window.Where(d => read(d) != 0).Select(d => (int?)d.Day).FirstOrDefault(), facts.FirstCountedDay(figure, fromDay));
        }
    }

    private static int Sometimes(Random random, int most) => random.Next(3) == 0 ? random.Next(1, most + 1) : 0;
}
