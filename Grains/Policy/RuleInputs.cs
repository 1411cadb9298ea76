using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Policy;

/// <summary>
/// The inputs a rule decided on, as the rule gave them: in the evaluation's own buffer (<see cref="RuleContext.Inputs"/>),
/// or a map kept already (a risk's evidence). Not a map itself on purpose: a decision keeps inputs only through
/// <see cref="Keep"/>, which copies them out of the buffer, reused once the evaluation is over.
/// </summary>
/// <remarks>
/// Almost every outcome of an evaluation repeats the customer's decision with the same inputs: each event moves the
/// figures of one or two rules, and the other rules' outcomes were made only to be compared and dropped. As a map per rule
/// and event, they were a sixth of the bytes a warm ingest allocated.
/// </remarks>
public readonly struct RuleInputs
{
    private readonly (string Name, decimal Value)[]? _buffer;
    private readonly int _start;
    private readonly IReadOnlyDictionary<string, decimal>? _kept;

    /// <summary>Inputs kept already, as a map that outlives the evaluation.</summary>
    public RuleInputs(IReadOnlyDictionary<string, decimal> kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        _kept = kept;
        Count = kept.Count;
    }

    internal RuleInputs((string Name, decimal Value)[] buffer, int start, int count)
    {
        _buffer = buffer;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public decimal this[string name] => TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No input '{name}'.");

    public bool TryGetValue(string name, out decimal value) =>
        _kept is not null ? _kept.TryGetValue(name, out value) : InputMap.TryFind(Buffered, name, out value);

    /// <summary>The same names and values in the same order as <paramref name="decided"/>, each value with the same scale.</summary>
    public bool SameAs(IReadOnlyDictionary<string, decimal> decided)
    {
        ArgumentNullException.ThrowIfNull(decided);
        return _kept switch
        {
            null => Same(Buffered, decided),
            _ when ReferenceEquals(_kept, decided) => true,
            InputMap map => Same(map.Entries, decided),
            StoredDecimalMap stored when decided is StoredDecimalMap other && ReferenceEquals(stored.KnownStrings, other.KnownStrings) =>
                stored.Written.SequenceEqual(other.Written),
            _ => SameEntries(_kept, decided),
        };
    }

    private static bool Same(ReadOnlySpan<(string Name, decimal Value)> inputs, IReadOnlyDictionary<string, decimal> decided) => decided switch
    {
        InputMap map => map.SameAs(inputs),
        StoredDecimalMap stored => stored.SameAs(inputs),
        _ => SameEntries(new InputMap(inputs.ToArray()), decided),
    };

    /// <summary>The inputs as a map that outlives the evaluation: the kept map, or a copy out of the buffer.</summary>
    public IReadOnlyDictionary<string, decimal> Keep() =>
        _kept ?? (Count == 0 ? InputMap.Empty : new InputMap(Buffered.ToArray()));

    private ReadOnlySpan<(string Name, decimal Value)> Buffered => _buffer.AsSpan(_start, Count);

    private static bool SameEntries(IReadOnlyDictionary<string, decimal> a, IReadOnlyDictionary<string, decimal> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        using var other = b.GetEnumerator();
        foreach (var (name, value) in a)
        {
            if (!other.MoveNext() || !InputMap.Same((name, value), (other.Current.Key, other.Current.Value)))
            {
                return false;
            }
        }

        return true;
    }
}
