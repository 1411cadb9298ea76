using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Policy;

/// <summary>
/// What every rule reads: the customer's facts, the policy, the time, and the event being applied (if any).
/// Window sums and aggregates are computed once per evaluation, however many rules ask for them (facts do not
/// change while rules run), and the rules' inputs are written into one buffer per evaluation (<see cref="Inputs"/>).
/// </summary>
public sealed class RuleContext(CustomerFacts facts, CustomerPolicy policy, DateTimeOffset now, TransactionEvent? trigger = null)
{
    /// <summary>
    /// A thread's memo, handed back by <see cref="Recycle"/> for the next evaluation on that thread: every event is
    /// evaluated, and two new lists each time were a twentieth of the bytes a warm ingest allocates (docs/performance.md).
    /// </summary>
    [ThreadStatic]
    private static Memo? t_spare;

    private Memo? _memo = TakeSpare();
    private CustomerAggregates? _aggregates;

    public CustomerFacts Facts { get; } = facts;

    public CustomerPolicy Policy { get; } = policy;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The event being applied; null for an evaluation driven by time or a policy change.</summary>
    public TransactionEvent? Trigger { get; } = trigger;

    public int Today => DayActivity.DayOf(Now);

    /// <summary>Rolling aggregates as of <see cref="Now"/>.</summary>
    public CustomerAggregates Aggregates => _aggregates ??= Facts.Aggregate(Now);

    /// <summary>Sum over the last <paramref name="days"/> days, today included.</summary>
    public decimal LastDays(DayFigure figure, int days) => Sum(figure, Today - days + 1);

    /// <summary>Sum over the last <paramref name="months"/> calendar months (from the same day that many months ago).</summary>
    public decimal LastMonths(DayFigure figure, int months) => Sum(figure, DayActivity.DayOf(Now.AddMonths(-months)));

    /// <summary>When the oldest counted day of a <paramref name="days"/>-day window leaves it.</summary>
    public DateTimeOffset? DaysWindowChangesAt(DayFigure figure, int days) =>
        WindowExit(figure, Today - days + 1, days);

    /// <summary>When the oldest counted day of a <paramref name="months"/>-month window leaves it.</summary>
    public DateTimeOffset? MonthsWindowChangesAt(DayFigure figure, int months) =>
        WindowExit(figure, DayActivity.DayOf(Now.AddMonths(-months)), -months);

    private Memo Memoized => _memo ?? throw new ObjectDisposedException(nameof(RuleContext), "The evaluation this context served is over.");

    private decimal Sum(DayFigure figure, int fromDay)
    {
        var sums = Memoized.Sums;
        foreach (var (f, from, sum) in sums)
        {
            if (f == figure && from == fromDay)
            {
                return sum;
            }
        }

        var computed = Facts.Sum(figure, fromDay);
        sums.Add((figure, fromDay, computed));
        return computed;
    }

    /// <param name="window">Days (positive) or months (negative): a counted day leaves a days-window that many days after
    /// it starts, a months-window that many months after the day ends.</param>
    private DateTimeOffset? WindowExit(DayFigure figure, int fromDay, int window)
    {
        var exits = Memoized.Exits;
        foreach (var (f, from, w, at) in exits)
        {
            if (f == figure && from == fromDay && w == window)
            {
                return at;
            }
        }

        DateTimeOffset? computed = Facts.FirstCountedDay(figure, fromDay) is not { } day ? null
            : window > 0 ? DayActivity.StartOf(day + window)
            : DayActivity.StartOf(day + 1).AddMonths(-window);
        exits.Add((figure, fromDay, window, computed));
        return computed;
    }

    /// <summary>Ends the evaluation: the memo goes back to the thread for the next one, and this context answers no more window questions.</summary>
    public void Recycle()
    {
        if (_memo is { } memo)
        {
            _memo = null;
            memo.Sums.Clear();
            memo.Exits.Clear();
            memo.InputsUsed = 0;
            t_spare = memo;
        }
    }

    private static Memo TakeSpare()
    {
        var spare = t_spare ?? new Memo();
        t_spare = null;
        return spare;
    }

    /// <summary>Window sums and window exits computed so far, by figure and window.</summary>
    private sealed class Memo
    {
        public List<(DayFigure Figure, int FromDay, decimal Sum)> Sums { get; } = new(12);

        public List<(DayFigure Figure, int FromDay, int Window, DateTimeOffset? At)> Exits { get; } = new(12);

        /// <summary>The rules' inputs of the evaluation under way, one after another (about 80 for the default policy).</summary>
        public (string Name, decimal Value)[] Inputs { get; set; } = new (string, decimal)[128];

        public int InputsUsed { get; set; }
    }

    /// <summary>
    /// A rule's inputs, written inline by the rule into this evaluation's buffer: no map is made unless a decision keeps
    /// them (<see cref="RuleInputs.Keep"/>).
    /// </summary>
    public RuleInputs Inputs(params ReadOnlySpan<(string Name, decimal Value)> inputs)
    {
        var memo = Memoized;
        if (memo.InputsUsed + inputs.Length > memo.Inputs.Length)
        {
            // Outcomes made so far keep the full buffer; the rest of the evaluation, and the next ones, write into this one.
            memo.Inputs = new (string, decimal)[Math.Max(memo.Inputs.Length * 2, inputs.Length)];
            memo.InputsUsed = 0;
        }

        var start = memo.InputsUsed;
        inputs.CopyTo(memo.Inputs.AsSpan(start));
        memo.InputsUsed += inputs.Length;
        return new RuleInputs(memo.Inputs, start, inputs.Length);
    }

    /// <summary>An input map kept beyond the evaluation: a risk rule's evidence, stored with the customer.</summary>
    public static IReadOnlyDictionary<string, decimal> KeptInputs(params (string Name, decimal Value)[] inputs) => new InputMap(inputs);

    /// <summary>The earliest of several moments, ignoring those that are not set or already past.</summary>
    public DateTimeOffset? Earliest(params ReadOnlySpan<DateTimeOffset?> moments)
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
