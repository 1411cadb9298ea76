using System.Runtime.InteropServices;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// The raw facts kept per customer, in event time: per-day activity for the last 13 months, the balance,
/// the latest credit score. Rolling aggregates are computed from them for any "now", so late events land
/// in the right window. Pure: no I/O, no clock.
/// </summary>
public sealed class CustomerFacts
{
    /// <summary>Days of activity kept: a little over the longest window (12 months).</summary>
    public const int RetainedMonths = 13;

#pragma warning disable CA2227, CA1002 // Serialized state: a plain, settable list keeps (de)serialization cheap.
    public List<DayActivity> Days { get; set; } = [];
#pragma warning restore CA2227, CA1002

    public decimal? Balance { get; set; }

    /// <summary>Event time of the latest event that changed the balance.</summary>
    public DateTimeOffset? BalanceAt { get; set; }

    /// <summary>Event time of the latest absolute <c>balance</c> event; movements before it are already in it.</summary>
    public DateTimeOffset? BalanceSnapshotAt { get; set; }

    public DateTimeOffset? LowBalanceSince { get; set; }

    public DateTimeOffset? LastOrderAt { get; set; }

    public int? CreditScore { get; set; }

    public DateTimeOffset? CreditScoreAt { get; set; }

    public DateTimeOffset? FirstEventAt { get; set; }

    /// <summary>From <c>profile</c> events (the latest by event time wins).</summary>
    public string? Industry { get; set; }

    public string? Region { get; set; }

    public DateTimeOffset? FirstContactAt { get; set; }

    public DateTimeOffset? ProfileAt { get; set; }

    /// <summary>From the latest <c>subscription</c> event.</summary>
    public DateTimeOffset? SubscriptionEndsAt { get; set; }

    /// <summary>From the latest <c>warranty</c> event.</summary>
    public DateTimeOffset? WarrantyExpiresAt { get; set; }

#pragma warning disable CA2227, CA1002 // Serialized state.
    /// <summary>Event times of the latest money movements, ascending; enough for the velocity rule.</summary>
    public List<DateTimeOffset> RecentMovements { get; set; } = [];
#pragma warning restore CA2227, CA1002

    /// <summary>Most recent movements kept for the velocity rule (its largest allowed count).</summary>
    public const int MaxRecentMovements = 1000;

    public void Apply(TransactionEvent e, decimal lowBalanceThreshold, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = e.OccurredAt;
        if (FirstEventAt is null || at < FirstEventAt)
        {
            FirstEventAt = at;
        }

        var amount = e.Amount ?? 0m;
        if (e.Type.IsMoneyMovement())
        {
            AddToDay(at, now, d => d with { Transactions = d.Transactions + 1, Volume = d.Volume + amount });
            RememberMovement(at);
        }

        switch (e.Type)
        {
            case TransactionType.Purchase:
                AddToDay(at, now, d => d with { Orders = d.Orders + 1, Spend = d.Spend + amount });
                if (LastOrderAt is null || at > LastOrderAt)
                {
                    LastOrderAt = at;
                }
                break;
            case TransactionType.Refund:
                AddToDay(at, now, d => d with { Spend = d.Spend - amount });
                break;
            case TransactionType.Payment:
                break;
            case TransactionType.PaymentFailed:
                AddToDay(at, now, d => d with { FailedPayments = d.FailedPayments + 1 });
                break;
            case TransactionType.Deposit:
            case TransactionType.Withdrawal:
                ApplyBalanceMovement(at, e.Type == TransactionType.Deposit ? amount : -amount, lowBalanceThreshold);
                break;
            case TransactionType.Balance:
                ApplyBalanceSnapshot(at, amount, lowBalanceThreshold);
                break;
            case TransactionType.Login:
                AddToDay(at, now, d => d with { Logins = d.Logins + 1 });
                break;
            case TransactionType.CreditScore:
                if (CreditScoreAt is null || at >= CreditScoreAt)
                {
                    CreditScore = e.Score;
                    CreditScoreAt = at;
                }
                break;
            case TransactionType.Subscription:
                SubscriptionEndsAt = e.EndsAt;
                break;
            case TransactionType.Warranty:
                WarrantyExpiresAt = e.ExpiresAt;
                break;
            case TransactionType.Complaint:
                AddToDay(at, now, d => d with { Complaints = d.Complaints + 1 });
                break;
            case TransactionType.Profile:
                if (ProfileAt is null || at >= ProfileAt)
                {
                    Industry = e.Industry ?? Industry;
                    Region = e.Region ?? Region;
                    FirstContactAt = e.FirstContactAt ?? FirstContactAt;
                    ProfileAt = at;
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Type, "Unknown transaction type.");
        }

        Prune(now);
    }

    /// <summary>Rolling aggregates as of <paramref name="now"/> (fixed windows, for display). Windows are whole UTC days.</summary>
    public CustomerAggregates Aggregate(DateTimeOffset now)
    {
        var today = DayActivity.DayOf(now);
        var from30Days = today - 29;
        var from6Months = DayActivity.DayOf(now.AddMonths(-6));
        var from12Months = DayActivity.DayOf(now.AddMonths(-12));
        var fromMonthStart = DayActivity.DayOf(new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero));

        int orders = 0, logins = 0, transactions = 0, failedPayments = 0;
        var spend = 0m;
        foreach (var day in Days)
        {
            if (day.Day >= from12Months)
            {
                spend += day.Spend;
            }

            if (day.Day >= from6Months)
            {
                orders += day.Orders;
            }

            if (day.Day >= from30Days)
            {
                logins += day.Logins;
                failedPayments += day.FailedPayments;
            }

            if (day.Day >= fromMonthStart)
            {
                transactions += day.Transactions;
            }
        }

        spend = Math.Max(0m, spend);
        return new CustomerAggregates
        {
            AsOf = now,
            OrdersLast6Months = orders,
            LoginsLast30Days = logins,
            TransactionsThisMonth = transactions,
            FailedPaymentsLast30Days = failedPayments,
            SpendLast12Months = spend,
            AverageMonthlyContribution = decimal.Round(spend / MonthsCovered(now), 2, MidpointRounding.ToEven),
            Balance = Balance,
            BalanceAt = BalanceAt,
            LowBalanceSince = LowBalanceSince,
            LastOrderAt = LastOrderAt,
            CreditScore = CreditScore,
            FirstEventAt = FirstEventAt,
        };
    }

    /// <summary>Calendar months from the first event's month to now's, 1 to 12: the divisor of the monthly contribution.</summary>
    public int MonthsCovered(DateTimeOffset now)
    {
        if (FirstEventAt is not { } first)
        {
            return 1;
        }

        var months = ((now.UtcDateTime.Year * 12) + now.UtcDateTime.Month) - ((first.UtcDateTime.Year * 12) + first.UtcDateTime.Month) + 1;
        return Math.Clamp(months, 1, 12);
    }

    private void ApplyBalanceMovement(DateTimeOffset at, decimal delta, decimal lowBalanceThreshold)
    {
        // A movement older than the latest snapshot is already included in that snapshot.
        if (BalanceSnapshotAt is { } snapshot && at <= snapshot)
        {
            return;
        }

        Balance = (Balance ?? 0m) + delta;
        BalanceAt = BalanceAt is { } last && last > at ? last : at;
        UpdateLowBalance(at, lowBalanceThreshold);
    }

    private void ApplyBalanceSnapshot(DateTimeOffset at, decimal balance, decimal lowBalanceThreshold)
    {
        // A snapshot older than a movement already applied would undo that movement: keep the newer figure.
        if (BalanceAt is { } last && at < last)
        {
            return;
        }

        Balance = balance;
        BalanceAt = at;
        BalanceSnapshotAt = at;
        UpdateLowBalance(at, lowBalanceThreshold);
    }

    private void UpdateLowBalance(DateTimeOffset at, decimal lowBalanceThreshold)
    {
        if (Balance < lowBalanceThreshold)
        {
            LowBalanceSince ??= at;
        }
        else
        {
            LowBalanceSince = null;
        }
    }

    private void AddToDay(DateTimeOffset at, DateTimeOffset now, Func<DayActivity, DayActivity> change)
    {
        var day = DayActivity.DayOf(at);
        if (day < OldestRetainedDay(now))
        {
            return; // Outside every window: counted in the history, not in the aggregates.
        }

        var index = BinarySearch(day);
        if (index >= 0)
        {
            Days[index] = change(Days[index]);
        }
        else
        {
            Days.Insert(~index, change(new DayActivity(day, 0, 0, 0, 0, 0m)));
        }
    }

    private void Prune(DateTimeOffset now)
    {
        var oldest = OldestRetainedDay(now);
        var stale = 0;
        while (stale < Days.Count && Days[stale].Day < oldest)
        {
            stale++;
        }

        if (stale > 0)
        {
            Days.RemoveRange(0, stale);
        }
    }

    /// <summary>Sum of a per-day figure over the days from <paramref name="fromDay"/> on.</summary>
    public decimal Sum(DayFigure figure, int fromDay)
    {
        var days = CollectionsMarshal.AsSpan(Days)[LowerBound(fromDay)..];
        switch (figure)
        {
            case DayFigure.Spend or DayFigure.Volume:
                var amount = 0m;
                foreach (ref readonly var day in days)
                {
                    amount += figure == DayFigure.Spend ? day.Spend : day.Volume;
                }

                return amount;
            default:
                long count = 0;
                foreach (ref readonly var day in days)
                {
                    count += Count(day, figure);
                }

                return count;
        }
    }

    /// <summary>
    /// The oldest day from <paramref name="fromDay"/> on that counts (a non-zero figure): when it leaves a window, the
    /// window's sum changes by time alone. Null when no day counts.
    /// </summary>
    public int? FirstCountedDay(DayFigure figure, int fromDay)
    {
        foreach (ref readonly var day in CollectionsMarshal.AsSpan(Days)[LowerBound(fromDay)..])
        {
            var counts = figure switch
            {
                DayFigure.Spend => day.Spend != 0,
                DayFigure.Volume => day.Volume != 0,
                _ => Count(day, figure) != 0,
            };
            if (counts)
            {
                return day.Day;
            }
        }

        return null;
    }

    private static int Count(in DayActivity day, DayFigure figure) => figure switch
    {
        DayFigure.Orders => day.Orders,
        DayFigure.Logins => day.Logins,
        DayFigure.Transactions => day.Transactions,
        DayFigure.FailedPayments => day.FailedPayments,
        DayFigure.Complaints => day.Complaints,
        _ => throw new ArgumentOutOfRangeException(nameof(figure), figure, "not a count"),
    };

    /// <summary>The index of the first kept day on or after <paramref name="day"/> (the days are kept in order).</summary>
    private int LowerBound(int day)
    {
        var index = BinarySearch(day);
        return index < 0 ? ~index : index;
    }

    private void RememberMovement(DateTimeOffset at)
    {
        var index = RecentMovements.BinarySearch(at);
        RecentMovements.Insert(index < 0 ? ~index : index, at);
        if (RecentMovements.Count > MaxRecentMovements)
        {
            RecentMovements.RemoveAt(0);
        }
    }

    private static int OldestRetainedDay(DateTimeOffset now) => DayActivity.DayOf(now.AddMonths(-RetainedMonths));

    private int BinarySearch(int day)
    {
        int low = 0, high = Days.Count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var current = Days[mid].Day;
            if (current == day)
            {
                return mid;
            }

            if (current < day)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return ~low;
    }
}
