using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Policy;

/// <summary>What every rule reads: the customer's facts, the policy, the time, and the event being applied (if any).</summary>
public sealed class RuleContext(CustomerFacts facts, CustomerPolicy policy, DateTimeOffset now, TransactionEvent? trigger = null)
{
    public CustomerFacts Facts { get; } = facts;

    public CustomerPolicy Policy { get; } = policy;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The event being applied; null for an evaluation driven by time or a policy change.</summary>
    public TransactionEvent? Trigger { get; } = trigger;

    public int Today => DayActivity.DayOf(Now);

    /// <summary>Sum over the last <paramref name="days"/> days, today included.</summary>
    public decimal LastDays(Func<DayActivity, decimal> figure, int days) => Facts.Sum(figure, Today - days + 1);

    /// <summary>Sum over the last <paramref name="months"/> calendar months (from the same day that many months ago).</summary>
    public decimal LastMonths(Func<DayActivity, decimal> figure, int months) => Facts.Sum(figure, DayActivity.DayOf(Now.AddMonths(-months)));

    /// <summary>When the oldest counted day of a <paramref name="days"/>-day window leaves it.</summary>
    public DateTimeOffset? DaysWindowChangesAt(Func<DayActivity, decimal> figure, int days) =>
        Facts.NextWindowExit(figure, Today - days + 1, day => DayActivity.StartOf(day + days));

    /// <summary>When the oldest counted day of a <paramref name="months"/>-month window leaves it.</summary>
    public DateTimeOffset? MonthsWindowChangesAt(Func<DayActivity, decimal> figure, int months) =>
        Facts.NextWindowExit(figure, DayActivity.DayOf(Now.AddMonths(-months)), day => DayActivity.StartOf(day + 1).AddMonths(months));

    /// <summary>An input map, built inline by the rules.</summary>
    public static IReadOnlyDictionary<string, decimal> Inputs(params (string Name, decimal Value)[] inputs) =>
        inputs.ToDictionary(i => i.Name, i => i.Value, StringComparer.Ordinal);

    /// <summary>The earliest of several moments, ignoring those that are not set or already past.</summary>
    public DateTimeOffset? Earliest(params DateTimeOffset?[] moments)
    {
        DateTimeOffset? earliest = null;
        foreach (var moment in moments)
        {
            if (moment is { } m && m > Now && (earliest is null || m < earliest))
            {
                earliest = m;
            }
        }

        return earliest;
    }
}
