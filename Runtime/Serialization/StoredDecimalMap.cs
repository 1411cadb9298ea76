using System.Collections;
using System.Diagnostics.CodeAnalysis;
using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Runtime.Serialization;

/// <summary>
/// A map of decimals by name (a decision's inputs) left in the form <see cref="CompactWriter.WriteDecimalMap"/> wrote it,
/// inside a stored state that stays unchanged: decoded only if something reads it, compared with
/// <see cref="SameAs"/> without decoding, and written again by copying its bytes. Made by
/// <see cref="CompactReader.ReadDecimalMapInPlace"/>, only for maps whose names are all known strings, whose bytes read
/// the same wherever they are.
/// </summary>
/// <remarks>
/// Most of a customer's decisions keep their inputs from one event to the next. Decoded, each map was an array of names
/// and values and a map around it (8% of the bytes a warm ingest allocated), made only to be compared and encoded again.
/// </remarks>
public sealed class StoredDecimalMap : IReadOnlyDictionary<string, decimal>
{
    private readonly ReadOnlyMemory<byte> _written;
    private InputMap? _decoded;

    internal StoredDecimalMap(ReadOnlyMemory<byte> written, StringTable knownStrings)
    {
        _written = written;
        KnownStrings = knownStrings;
    }

    /// <summary>The table its names are numbers in: its bytes can be copied only into data written with the same one.</summary>
    public StringTable KnownStrings { get; }

    /// <summary>The map as written: its count, then each name and value.</summary>
    public ReadOnlySpan<byte> Written => _written.Span;

    public int Count => (int)new CompactReader(_written.Span, KnownStrings).ReadVarUInt();

    /// <summary>The same names and values in the same order, each value with the same scale, as <see cref="InputMap.SameAs"/>.</summary>
    public bool SameAs(ReadOnlySpan<(string Name, decimal Value)> other)
    {
        var reader = new CompactReader(_written.Span, KnownStrings);
        if (reader.ReadCount() != other.Length)
        {
            return false;
        }

        foreach (var input in other)
        {
            if (!InputMap.Same((reader.ReadRequiredString(), reader.ReadDecimal()), input))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The map decoded, once.</summary>
    public InputMap Decoded => _decoded ??= new InputMap(new CompactReader(_written.Span, KnownStrings).ReadDecimalMap());

    public decimal this[string key] => Decoded[key];

    public IEnumerable<string> Keys => Decoded.Keys;

    public IEnumerable<decimal> Values => Decoded.Values;

    public bool ContainsKey(string key) => Decoded.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out decimal value) => Decoded.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, decimal>> GetEnumerator() => Decoded.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
