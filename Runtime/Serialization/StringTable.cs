using System.Collections.Frozen;

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
    }

    public int Count => _strings.Length;

    public string this[int index] => _strings[index];

    public bool TryGetIndex(string value, out int index) => _indexes.TryGetValue(value, out index);
}
