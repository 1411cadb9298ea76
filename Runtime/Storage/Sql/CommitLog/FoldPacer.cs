namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// Sizes fold slices so that a fold cycle finishes within the fold interval while holding up commits as little as it
/// can. A slice holds the write turn, so the commits queued behind it wait for it whole. Each slice folds the larger of:
/// <list type="bullet">
/// <item>what <c>sliceTime</c> allows (while the writer has time to spare, folds proceed slice after short slice);</item>
/// <item>what the cycle needs to finish in time if every slice is followed by a commit as long as the last one: with
/// <c>R</c> grains a second still needed, a fold costing <c>f</c> a grain and commits of <c>C</c>, a slice of
/// <c>R·C / (1 − R·f)</c> grains. A cycle already past its interval asks for what is left within a tenth of it.</item>
/// </list>
/// So a busy writer gives folds the share of its turns they need, and no more; the log, and what a restart replays,
/// stays about one interval long. And a cycle ahead of an even pace over <see cref="SpreadShare"/> of the interval
/// pauses between slices (<see cref="PauseBeforeNextSlice"/>): folded as fast as the writer allows, a cycle's dirty
/// pages reach the disk in a burst, and the commits' own flushes wait behind it. The cost of folding a grain is learned
/// from the slices folded so far. Not thread-safe: used inside the store's write turn and by the one folder.
/// </summary>
public sealed class FoldPacer
{
    /// <summary>What a fold of one grain cost when first measured (about 55 us at low rates, on the CI machine).</summary>
    public static readonly TimeSpan InitialCostPerGrain = TimeSpan.FromMicroseconds(50);

    /// <summary>The share of the fold interval a cycle's slices are spread over when the writer has time to spare.</summary>
    public const double SpreadShare = 0.8;

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

    /// <summary>How far one slice can move the learned cost: a sample is taken as at most this many times the estimate (or a this-many-th of it).</summary>
    public const double MaxStepFactor = 4;

    /// <summary>
    /// A slice of <paramref name="grains"/> grains took <paramref name="elapsed"/> (half the weight to the newest, the newest
    /// taken as at most <see cref="MaxStepFactor"/> times the estimate either way). One slice that paid for the JIT or was
    /// caught in a stall would otherwise teach a cost many times too high, and the rest of the cycle would be folded in
    /// one slice, holding up every commit behind it; a lasting change is still learned within a few slices.
    /// </summary>
    public void SliceTook(int grains, TimeSpan elapsed)
    {
        if (grains > 0)
        {
            var sample = Math.Clamp(elapsed.TotalSeconds / grains, _secondsPerGrain / MaxStepFactor, _secondsPerGrain * MaxStepFactor);
            _secondsPerGrain = (_secondsPerGrain + sample) / 2;
        }
    }

    /// <summary>
    /// How many grains the next slice folds, for a cycle that started <paramref name="cycleElapsed"/> ago with
    /// <paramref name="pending"/> grains still to fold: at least one, at most the configured most.
    /// </summary>
    public int NextSlice(TimeSpan cycleElapsed, int pending)
    {
        var cost = Math.Max(_secondsPerGrain, 1e-7);
        var byTime = _sliceTime.TotalSeconds / cost;
        var timeLeft = Math.Max((_interval - cycleElapsed).TotalSeconds, _interval.TotalSeconds / 10);
        var rate = pending / timeLeft;
        var share = rate * cost;
        var toKeepPace = share >= 1 ? double.PositiveInfinity : rate * _lastCommit.TotalSeconds / (1 - share);
        return (int)Math.Clamp(Math.Round(Math.Max(byTime, toKeepPace)), 1, _maxSlice);
    }

    /// <summary>
    /// How long to wait before the next slice of a cycle that started <paramref name="cycleElapsed"/> ago, has folded
    /// <paramref name="folded"/> grains and has <paramref name="pending"/> left: the time until an even pace over
    /// <see cref="SpreadShare"/> of the interval reaches what is folded already (zero when on time or behind).
    /// </summary>
    public TimeSpan PauseBeforeNextSlice(TimeSpan cycleElapsed, int folded, int pending)
    {
        if (pending <= 0)
        {
            return TimeSpan.Zero;
        }

        var due = _interval * SpreadShare * ((double)folded / (folded + pending));
        return due > cycleElapsed ? due - cycleElapsed : TimeSpan.Zero;
    }
}
