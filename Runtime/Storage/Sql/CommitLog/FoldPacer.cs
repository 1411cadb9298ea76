namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// Sizes fold slices by time, not by count. A slice holds the write turn, so the commits queued behind it wait for it
/// whole: a slice takes about <c>sliceTime</c> when commits are short (the writer is mostly idle, and folds proceed
/// slice after slice between them), and about as long as the last group commit when commits are long (the writer is
/// saturated, and folds get half of its turns). A fold cycle that has run longer than the fold interval is behind: its
/// slices grow in proportion (two intervals late, twice as long), so that the log, and what a restart replays, stays
/// bounded when half of the turns is not enough. The cost of folding a grain is learned from the slices folded so far.
/// Not thread-safe: used inside the store's write turn.
/// </summary>
public sealed class FoldPacer
{
    /// <summary>What a fold of one grain cost when first measured (about 55 us at low rates, on the CI machine).</summary>
    public static readonly TimeSpan InitialCostPerGrain = TimeSpan.FromMicroseconds(50);

    private readonly TimeSpan _sliceTime;
    private readonly int _maxSlice;
    private readonly TimeSpan _interval;
    private double _secondsPerGrain = InitialCostPerGrain.TotalSeconds;
    private TimeSpan _lastCommit;

    public FoldPacer(TimeSpan sliceTime, int maxSlice, TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sliceTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSlice, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _sliceTime = sliceTime;
        _maxSlice = maxSlice;
        _interval = interval;
    }

    /// <summary>What folding one grain costs, as learned so far.</summary>
    public TimeSpan CostPerGrain => TimeSpan.FromSeconds(_secondsPerGrain);

    /// <summary>A group commit took <paramref name="elapsed"/>.</summary>
    public void CommitTook(TimeSpan elapsed) => _lastCommit = elapsed;

    /// <summary>A slice of <paramref name="grains"/> grains took <paramref name="elapsed"/> (half the weight to the newest).</summary>
    public void SliceTook(int grains, TimeSpan elapsed)
    {
        if (grains > 0)
        {
            _secondsPerGrain = (_secondsPerGrain + (elapsed.TotalSeconds / grains)) / 2;
        }
    }

    /// <summary>How many grains the next slice of a cycle that started <paramref name="cycleElapsed"/> ago folds: at least one, at most the configured most.</summary>
    public int NextSlice(TimeSpan cycleElapsed)
    {
        var behind = Math.Max(1, cycleElapsed / _interval);
        var budget = Math.Max(_sliceTime.TotalSeconds, _lastCommit.TotalSeconds) * behind;
        return (int)Math.Clamp(Math.Round(budget / Math.Max(_secondsPerGrain, 1e-7)), 1, _maxSlice);
    }
}
