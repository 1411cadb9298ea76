using System.Text;
using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// What the commit log holds that grain_state and grain_journal do not yet: per grain, its latest committed state and
/// the journal entries written since its last fold. Reads consult it before the tables; the one writer adds to it
/// after each commit and removes what a fold wrote. Safe for concurrent readers (one lock, copies handed out).
/// </summary>
internal sealed class UnfoldedWrites
{
    private readonly Dictionary<GrainId, UnfoldedGrain> _grains = [];
    private readonly Lock _lock = new();

    // The fold in progress: its mark, its grains in key order, and how far its slices have come.
    private long _cycleMark = -1;
    private List<GrainId> _cycle = [];
    private int _cycleNext;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _grains.Count;
            }
        }
    }

    /// <summary>The grain's latest committed version, or null when everything it wrote is folded.</summary>
    public long? VersionOf(GrainId grainId)
    {
        lock (_lock)
        {
            return _grains.TryGetValue(grainId, out var grain) ? grain.Version : null;
        }
    }

    public StoredState? ReadState(GrainId grainId)
    {
        lock (_lock)
        {
            return _grains.TryGetValue(grainId, out var grain) ? new StoredState(grain.Version, SqlGrainStorage.Bytes(grain.Payload), grain.DueAt) : null;
        }
    }

    /// <summary>Whether the grain's unfolded entries of <paramref name="stream"/> hold the id, the sequence number, or both.</summary>
    public (bool IdTaken, bool SeqTaken) Holds(GrainId grainId, string stream, string entryId, long seq)
    {
        lock (_lock)
        {
            if (!_grains.TryGetValue(grainId, out var grain))
            {
                return (false, false);
            }

            return grain.Journal.Holds(stream, entryId, seq);
        }
    }

    public void FindEntries(GrainId grainId, string stream, IReadOnlyCollection<string> entryIds, HashSet<string> found)
    {
        lock (_lock)
        {
            if (_grains.TryGetValue(grainId, out var grain))
            {
                found.UnionWith(grain.Journal.ToList().Where(e => e.Stream == stream && entryIds.Contains(e.EntryId)).Select(e => e.EntryId));
            }
        }
    }

    /// <summary>The unfolded entries of a stream below <paramref name="beforeSeq"/>, newest first, at most <paramref name="limit"/>.</summary>
    public List<StoredJournalEntry> ReadJournal(GrainId grainId, string stream, long beforeSeq, int limit)
    {
        lock (_lock)
        {
            return _grains.TryGetValue(grainId, out var grain)
                ? [.. grain.Journal.ToList().Where(e => e.Stream == stream && e.Seq < beforeSeq).OrderByDescending(e => e.Seq).Take(limit)
                    .Select(e => new StoredJournalEntry(e.Seq, e.EntryId, e.RecordedAt, SqlGrainStorage.Bytes(e.Payload)))]
                : [];
        }
    }

    /// <summary>The first <paramref name="limit"/> unfolded states of a grain type with a key after <paramref name="afterKey"/>, in the store's key order.</summary>
    public List<StoredStateRow> StatesAfter(string grainType, string afterKey, int limit)
    {
        lock (_lock)
        {
            return [.. _grains.Values
                .Where(g => g.GrainId.Type == grainType && Utf8Order.Instance.Compare(g.GrainId.Key, afterKey) > 0)
                .OrderBy(g => g.GrainId.Key, Utf8Order.Instance)
                .Take(limit)
                .Select(g => new StoredStateRow(g.GrainId.Key, g.Version, SqlGrainStorage.Bytes(g.Payload)))];
        }
    }

    /// <summary>The unfolded grains whose latest due moment has come by <paramref name="now"/>.</summary>
    public List<DueGrain> DueBy(DateTimeOffset now)
    {
        lock (_lock)
        {
            return [.. _grains.Values.Where(g => g.DueAt <= now).Select(g => new DueGrain(g.GrainId, g.DueAt!.Value))];
        }
    }

    /// <summary>The earliest due moment of the unfolded grains, or null when none has one.</summary>
    public DateTimeOffset? EarliestDue()
    {
        lock (_lock)
        {
            DateTimeOffset? earliest = null;
            foreach (var grain in _grains.Values)
            {
                if (grain.DueAt is { } due && (earliest is null || due < earliest))
                {
                    earliest = due;
                }
            }

            return earliest;
        }
    }

    /// <summary>The rows of <paramref name="due"/> whose grains have no unfolded writes (the others' due moments are stale).</summary>
    public List<DueGrain> NotHeld(IReadOnlyList<DueGrain> due)
    {
        lock (_lock)
        {
            return [.. due.Where(d => !_grains.ContainsKey(d.GrainId))];
        }
    }

    /// <summary>
    /// Records a committed write: the grain's state becomes the write's, its entries are appended. A write at or below
    /// the version already recorded is ignored (a replay of rows read twice).
    /// </summary>
    /// <param name="tableVersion">The version grain_state holds for the grain (0: no row), used when the grain is not here yet.</param>
    public void Apply(StateWrite write, long logSeq, long tableVersion)
    {
        lock (_lock)
        {
            if (!_grains.TryGetValue(write.GrainId, out var grain))
            {
                _grains.Add(write.GrainId, grain = new UnfoldedGrain(write.GrainId, write.Partition, tableVersion, logSeq));
            }
            else if (grain.Version >= write.NewVersion)
            {
                return;
            }

            grain.Version = write.NewVersion;
            grain.Payload = write.Payload;
            grain.WrittenAt = write.WrittenAt;
            grain.DueAt = write.DueAt;
            grain.DueChanged |= !write.KeepsDueAt;
            grain.Journal.Append(write.Journal);
        }
    }

    /// <summary>
    /// The next <paramref name="limit"/> grains, in key order (neighbours in the tables share pages), of those whose first
    /// unfolded write is in a log row at or before <paramref name="upToSeq"/>, as copies to fold. The order is fixed
    /// once per mark: a fold runs through it slice by slice, and grains written for the first time after the mark wait
    /// for the next.
    /// </summary>
    public UnfoldedGrain[] TakeSlice(long upToSeq, int limit)
    {
        lock (_lock)
        {
            if (_cycleMark != upToSeq)
            {
                _cycleMark = upToSeq;
                _cycleNext = 0;
                _cycle = [.. _grains.Values.Where(g => g.FirstLogSeq <= upToSeq).Select(g => g.GrainId)];
                _cycle.Sort(static (a, b) => string.CompareOrdinal(a.Type, b.Type) is var byType and not 0 ? byType : string.CompareOrdinal(a.Key, b.Key));
            }

            var slice = new List<UnfoldedGrain>(Math.Min(limit, _cycle.Count - _cycleNext));
            while (slice.Count < limit && _cycleNext < _cycle.Count)
            {
                // A grain folded by an earlier mark's run and written again since has its first write after this mark.
                if (_grains.TryGetValue(_cycle[_cycleNext++], out var grain) && grain.FirstLogSeq <= upToSeq)
                {
                    slice.Add(grain.Copy());
                }
            }

            return [.. slice];
        }
    }

    /// <summary>Grains the fold up to <paramref name="upToSeq"/> has yet to take (before its first slice: every unfolded grain, at most).</summary>
    public int PendingInCycle(long upToSeq)
    {
        lock (_lock)
        {
            return _cycleMark == upToSeq ? _cycle.Count - _cycleNext : _grains.Count;
        }
    }

    /// <summary>Whether the fold up to <paramref name="upToSeq"/> (its slices taken by <see cref="TakeSlice"/>) has grains left after the last slice taken.</summary>
    public bool HasMoreInSlices(long upToSeq)
    {
        lock (_lock)
        {
            return _cycle.Skip(_cycleNext).Any(id => _grains.TryGetValue(id, out var g) && g.FirstLogSeq <= upToSeq);
        }
    }

    /// <summary>
    /// A slice taken was not folded (its transaction failed or was cancelled): the next fold, even up to the same mark,
    /// orders its grains afresh from what is still unfolded, so that none of the slice is passed over and no log row
    /// is deleted while a write of it is still unfolded.
    /// </summary>
    public void AbandonCycle()
    {
        lock (_lock)
        {
            _cycleMark = -1;
            _cycle = [];
            _cycleNext = 0;
        }
    }

    /// <summary>Forgets folded grains; a grain written again after its copy was taken keeps what came later.</summary>
    public void Folded(IEnumerable<UnfoldedGrain> folded)
    {
        lock (_lock)
        {
            foreach (var copy in folded)
            {
                if (_grains.TryGetValue(copy.GrainId, out var grain) && grain.Version == copy.Version)
                {
                    _grains.Remove(copy.GrainId);
                }
            }
        }
    }
}

/// <summary>One grain's unfolded writes: its latest state and the entries written since its last fold.</summary>
internal sealed class UnfoldedGrain(GrainId grainId, int partition, long tableVersion, long firstLogSeq)
{
    public GrainId GrainId { get; } = grainId;

    public int Partition { get; } = partition;

    /// <summary>The version grain_state holds (0: no row yet): what the fold's write expects to find.</summary>
    public long TableVersion { get; } = tableVersion;

    /// <summary>The log row of the grain's first unfolded write: rows before every grain's first are folded.</summary>
    public long FirstLogSeq { get; } = firstLogSeq;

    public long Version { get; set; }

    public ReadOnlyMemory<byte> Payload { get; set; }

    public DateTimeOffset WrittenAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>Some write since the last fold set another due moment than the one grain_state holds.</summary>
    public bool DueChanged { get; set; }

    /// <summary>The journal entries written since the last fold, packed.</summary>
    public PackedJournal Journal { get; private init; } = new();

    public UnfoldedGrain Copy()
    {
        var copy = new UnfoldedGrain(GrainId, Partition, TableVersion, FirstLogSeq)
        {
            Version = Version, Payload = Payload, WrittenAt = WrittenAt, DueAt = DueAt, DueChanged = DueChanged, Journal = Journal.Copy(),
        };
        return copy;
    }
}

/// <summary>The order SQLite gives TEXT keys (BINARY collation: their UTF-8 bytes), which ordinal UTF-16 order is not past U+FFFF.</summary>
internal sealed class Utf8Order : IComparer<string>
{
    public static Utf8Order Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        return Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y));
    }
}

/// <summary>What one fold of everything committed up to a log row did.</summary>
public sealed record FoldResult(int Grains, int Slices, long UpToSeq);
