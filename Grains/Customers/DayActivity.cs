namespace CustomerActors.Grains.Customers;

/// <summary>One UTC day of a customer's activity, by event time. Rolling windows add up days.</summary>
/// <param name="Day">Days since 1970-01-01 (UTC).</param>
/// <param name="Spend">Net spend: purchases minus refunds.</param>
/// <param name="Volume">Gross amount of money movements (for the customer's average transaction).</param>
public readonly record struct DayActivity(int Day, int Orders, int Logins, int Transactions, int FailedPayments, decimal Spend, decimal Volume = 0m, int Complaints = 0)
{
    public static int DayOf(DateTimeOffset timestamp) => (int)(timestamp.UtcTicks / TimeSpan.TicksPerDay) - (int)(DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerDay);

    /// <summary>Midnight UTC at the start of <paramref name="day"/>.</summary>
    public static DateTimeOffset StartOf(int day) => DateTimeOffset.UnixEpoch.AddDays(day);
}
