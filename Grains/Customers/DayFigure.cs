namespace CustomerActors.Grains.Customers;

/// <summary>
/// A figure of <see cref="DayActivity"/> that a rolling window adds up. Rules name the figure, not a function reading
/// it: two rules asking for the same figure over the same window share one sum per evaluation, and counts are added as
/// integers (docs/performance.md, the fourteenth session).
/// </summary>
public enum DayFigure
{
    Orders,
    Logins,
    Transactions,
    FailedPayments,
    Complaints,

    /// <summary>Net spend: purchases minus refunds.</summary>
    Spend,

    /// <summary>Gross amount of money movements.</summary>
    Volume,
}
