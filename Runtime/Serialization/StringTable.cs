using System.Collections.Frozen;
using System.Text;

namespace CustomerActors.Runtime.Serialization;

/// <summary>
/// Strings a compact format writes as one small number instead of their text (rule ids, input names, values).
/// Part of the format, and frozen once data is stored with it: not only the known strings' numbers but the numbers of
/// back-references to strings written out (counted from the table's end, see <see cref="CompactWriter.WriteString"/>)
/// depend on every entry, so adding, removing or reordering one makes stored data read wrong. A format that needs
/// other strings takes a new table with a new format version.
/// </summary>
public sealed class StringTable
{
    private readonly string[] _strings;
    private readonly FrozenDictionary<string, int> _indexes;
    private readonly byte[][] _utf8;

    public StringTable(IReadOnlyList<string> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        _strings = [.. strings];
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _strings.Length; i++)
        {
            if (!indexes.TryAdd(_strings[i], i))
            {
                throw new ArgumentException($"'{_strings[i]}' is listed twice.", nameof(strings));
            }
        }

        _indexes = indexes.ToFrozenDictionary(StringComparer.Ordinal);
        _utf8 = [.. _strings.Select(Encoding.UTF8.GetBytes)];
    }

    public int Count => _strings.Length;

    public string this[int index] => _strings[index];

    /// <summary>The entry at <paramref name="index"/> as UTF-8, for readers that copy text without making strings.</summary>
    public ReadOnlySpan<byte> Utf8(int index) => _utf8[index];

    public bool TryGetIndex(string value, out int index) => _indexes.TryGetValue(value, out index);
}
