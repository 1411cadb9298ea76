namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>Rolling aggregates in event time, as of <see cref="AsOf"/> (the last evaluation).</summary>
public sealed record CustomerAggregates
{
    public required DateTimeOffset AsOf { get; init; }
    public int OrdersLast6Months { get; init; }
    public int LoginsLast30Days { get; init; }
    public int TransactionsThisMonth { get; init; }
    public int FailedPaymentsLast30Days { get; init; }
    public decimal SpendLast12Months { get; init; }
    public decimal AverageMonthlyContribution { get; init; }
    public decimal? Balance { get; init; }
    public DateTimeOffset? BalanceAt { get; init; }
    public DateTimeOffset? LowBalanceSince { get; init; }
    public DateTimeOffset? LastOrderAt { get; init; }
    public int? CreditScore { get; init; }
    public DateTimeOffset? FirstEventAt { get; init; }
}
