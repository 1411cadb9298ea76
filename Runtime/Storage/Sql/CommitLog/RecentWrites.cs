using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// The grains written lately, in two generations of one fold interval each: a grain written within the last one or two
/// intervals. The commit log carries a write only when it pays: a fold writes a grain's pages once for all its writes
/// since the last fold, so a grain written once in a while gains nothing from the log and costs a fold as well. Its
/// write goes straight to the tables, and only a grain written again (or with writes still unfolded) goes through the
/// log. Not thread-safe: used inside the store's write turn.
/// </summary>
public sealed class RecentWrites(TimeSpan generation, TimeProvider time)
{
    private HashSet<GrainId> _current = [];
    private HashSet<GrainId> _previous = [];
    private long _startedAt = time.GetTimestamp();

    /// <summary>Whether <paramref name="grainId"/> was written within the last one or two generations.</summary>
    public bool Contains(GrainId grainId) => _current.Contains(grainId) || _previous.Contains(grainId);

    /// <summary>Grains remembered (both generations).</summary>
    public int Count => _current.Count + _previous.Count;

    public void Add(GrainId grainId) => _current.Add(grainId);

    /// <summary>Forgets the older generation once the current one is a generation old (both, after two).</summary>
    public void Advance()
    {
        var age = time.GetElapsedTime(_startedAt);
        if (age < generation)
        {
            return;
        }

        _previous = age < generation * 2 ? _current : [];
        _current = [];
        _startedAt = time.GetTimestamp();
    }
}
