using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Runtime.Serialization;

/// <summary>Reads what <see cref="CompactWriter"/> wrote, in the same order; malformed input throws <see cref="InvalidDataException"/>.</summary>
public ref struct CompactReader(ReadOnlySpan<byte> data, StringTable knownStrings)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private readonly StringTable _knownStrings = knownStrings;
    /// <summary>Strings written out so far, by where their bytes are; each decoded once, when first read as a string.</summary>
    private List<(int Start, int Length, string? Value)>? _read;
    private int _position;
    private long _lastTicks;

    /// <summary>The data as memory, when the reader was made by <see cref="OverKept"/>; empty otherwise.</summary>
    private ReadOnlyMemory<byte> _kept;

    /// <summary>A reader that keeps the strings it meets written out in <paramref name="strings"/>, cleared first (see <see cref="CompactReadStrings"/>).</summary>
    public CompactReader(ReadOnlySpan<byte> data, StringTable knownStrings, CompactReadStrings strings)
        : this(data, knownStrings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        strings.Items.Clear();
        _read = strings.Items;
    }

    /// <summary>
    /// A reader like the one <see cref="CompactReader(ReadOnlySpan{byte}, StringTable, CompactReadStrings)"/> makes, over
    /// data its caller keeps unchanged for as long as what is read from it lives: <see cref="ReadDecimalMapInPlace"/>
    /// may then leave maps in the data instead of copying them out.
    /// </summary>
    public static CompactReader OverKept(ReadOnlyMemory<byte> data, StringTable knownStrings, CompactReadStrings strings) =>
        new(data.Span, knownStrings, strings) { _kept = data };

    public readonly bool AtEnd => _position == _data.Length;

    /// <summary>Reads the 4-byte header and checks it is <paramref name="expected"/> (format and version of <paramref name="what"/>).</summary>
    public void ExpectHeader(uint expected, string what) => ReadHeader(what, expected);

    /// <summary>Reads the 4-byte header (format and version of <paramref name="what"/>) and returns it if it is one of <paramref name="known"/>.</summary>
    public uint ReadHeader(string what, params ReadOnlySpan<uint> known)
    {
        var header = BinaryPrimitives.ReadUInt32BigEndian(Take(4));
        return known.Contains(header) ? header : throw new InvalidDataException($"Unknown {what} format 0x{header:X8}.");
    }

    public bool ReadBool() => Take(1)[0] != 0;

    public ulong ReadVarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("A varint is longer than 10 bytes.");
    }

    public long ReadVarInt() => UnZigZag(ReadVarUInt());

    public int ReadInt32() => checked((int)ReadVarInt());

    public int? ReadOptionalInt() => ReadBool() ? ReadInt32() : null;

    public decimal ReadDecimal()
    {
        var header = Take(1)[0];
        var mantissa = ReadVarUInt();
        var high = (header & 0x40) != 0 ? checked((uint)ReadVarUInt()) : 0u;
        var scale = (byte)(header & 0x1F);
        if (scale > 28)
        {
            throw new InvalidDataException($"Decimal scale {scale} is out of range.");
        }

        return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)high, (header & 0x80) != 0, scale);
    }

    public decimal? ReadOptionalDecimal() => ReadBool() ? ReadDecimal() : null;

    public DateTimeOffset ReadTimestamp()
    {
        var packed = ReadVarUInt();
        var ticks = _lastTicks + UnZigZag(packed >> 1);
        var offset = (packed & 1) != 0 ? TimeSpan.FromMinutes(ReadVarInt()) : TimeSpan.Zero;
        _lastTicks = ticks;
        if (ticks is < 0 or > 3_155_378_975_999_999_999)
        {
            throw new InvalidDataException("A timestamp is out of range.");
        }

        return new DateTimeOffset(ticks + offset.Ticks, offset);
    }

    public DateTimeOffset? ReadOptionalTimestamp() => ReadBool() ? ReadTimestamp() : null;

    public string? ReadString()
    {
        var tag = ReadVarUInt();
        switch (tag)
        {
            case 0:
                return null;
            case 1:
                var length = checked((int)ReadVarUInt());
                var start = _position;
                var value = Encoding.UTF8.GetString(Take(length));
                (_read ??= []).Add((start, length, value));
                return value;
            default:
                var index = tag - 2;
                if (index < (ulong)_knownStrings.Count)
                {
                    return _knownStrings[(int)index];
                }

                var read = ReadBefore(index - (ulong)_knownStrings.Count, tag);
                if (read.Value is null)
                {
                    read.Value = Encoding.UTF8.GetString(_data.Slice(read.Start, read.Length));
                    _read![(int)(index - (ulong)_knownStrings.Count)] = read;
                }

                return read.Value;
        }
    }

    /// <summary>
    /// A string as its UTF-8 bytes, without making it (a known string's bytes come from the table, a string written
    /// out is a slice of the data read); false for a null string. Counts as read for later references, like <see cref="ReadString"/>.
    /// </summary>
    public bool TryReadUtf8(out ReadOnlySpan<byte> utf8)
    {
        var tag = ReadVarUInt();
        switch (tag)
        {
            case 0:
                utf8 = default;
                return false;
            case 1:
                var length = checked((int)ReadVarUInt());
                var start = _position;
                utf8 = Take(length);
                if (!Utf8.IsValid(utf8))
                {
                    // A string read as a string would decode with replacement characters; bytes handed on must be valid.
                    throw new InvalidDataException("A string is not valid UTF-8.");
                }

                (_read ??= []).Add((start, length, null));
                return true;
            default:
                var index = tag - 2;
                if (index < (ulong)_knownStrings.Count)
                {
                    utf8 = _knownStrings.Utf8((int)index);
                    return true;
                }

                var read = ReadBefore(index - (ulong)_knownStrings.Count, tag);
                utf8 = _data.Slice(read.Start, read.Length);
                return true;
        }
    }

    /// <summary>Like <see cref="TryReadUtf8"/> for a string that must not be null.</summary>
    public ReadOnlySpan<byte> ReadRequiredUtf8() =>
        TryReadUtf8(out var utf8) ? utf8 : throw new InvalidDataException("A required string is null.");

    public string ReadRequiredString() => ReadString() ?? throw new InvalidDataException("A required string is null.");

    /// <summary>Bytes written by <see cref="CompactWriter.WriteBytes"/>, as a slice of the data read.</summary>
    public ReadOnlySpan<byte> ReadBytes() => Take(ReadCount());

    /// <summary>A map written by <see cref="CompactWriter.WriteDecimalMap"/>, as its entries in order.</summary>
    public (string Name, decimal Value)[] ReadDecimalMap()
    {
        var count = ReadCount();
        var values = count == 0 ? [] : new (string Name, decimal Value)[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (ReadRequiredString(), ReadDecimal());
        }

        return values;
    }

    /// <summary>
    /// A map written by <see cref="CompactWriter.WriteDecimalMap"/>, left where it is in data made by
    /// <see cref="OverKept"/> (a <see cref="StoredDecimalMap"/>: checked here, decoded only if read) when every name in it
    /// is a known string, so that it reads the same without the strings read before it. Otherwise, or over other data,
    /// decoded at once as by <see cref="ReadDecimalMap"/>.
    /// </summary>
    public IReadOnlyDictionary<string, decimal> ReadDecimalMapInPlace()
    {
        var start = _position;
        var count = ReadCount();
        if (count == 0)
        {
            return InputMap.Empty;
        }

        if (!_kept.IsEmpty)
        {
            var i = 0;
            for (; i < count; i++)
            {
                var tag = ReadVarUInt();
                if (tag < 2 || tag - 2 >= (ulong)_knownStrings.Count)
                {
                    break;   // null or written out: its reading depends on what was read before
                }

                _ = ReadDecimal();
            }

            if (i == count)
            {
                return new StoredDecimalMap(_kept[start.._position], _knownStrings);
            }
        }

        _position = start;
        return new InputMap(ReadDecimalMap());
    }

    /// <summary>A collection's length, checked against what is left to read (every element takes at least a byte).</summary>
    public int ReadCount()
    {
        var count = ReadVarUInt();
        return count <= (ulong)(_data.Length - _position)
            ? (int)count
            : throw new InvalidDataException($"A count of {count} exceeds the bytes left.");
    }

    private readonly (int Start, int Length, string? Value) ReadBefore(ulong index, ulong tag) =>
        _read is not null && index < (ulong)_read.Count
            ? _read[(int)index]
            : throw new InvalidDataException($"String reference {tag} points past the strings read.");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _data.Length)
        {
            throw new InvalidDataException("The data ends early.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
