using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Runtime.Serialization;

/// <summary>
/// Writes a compact binary form: LEB128 varints, zigzag for signed values, decimals as scale and mantissa,
/// timestamps as deltas from the previous timestamp written, and strings through a <see cref="StringTable"/>
/// (a known string is one byte, a repeated one a back-reference). Pair with <see cref="CompactReader"/>.
/// </summary>
public sealed class CompactWriter(StringTable knownStrings)
{
    [ThreadStatic]
    private static CompactWriter? t_current;

    private StringTable _knownStrings = knownStrings;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Dictionary<string, int> _written = new(StringComparer.Ordinal);
    private long _lastTicks;

    /// <summary>
    /// This thread's writer, emptied, writing with <paramref name="known"/>, with <paramref name="header"/> written first:
    /// one buffer reused by every serialization on the thread, whatever its table. Finish with <see cref="ToArray"/>
    /// before the next call.
    /// </summary>
    public static CompactWriter Start(StringTable known, uint header)
    {
        ArgumentNullException.ThrowIfNull(known);
        var writer = t_current ??= new CompactWriter(known);
        writer.Reset(known);
        writer.WriteHeader(header);
        return writer;
    }

    /// <summary>Clears everything written so the writer can be reused, with <paramref name="known"/> as its table.</summary>
    private void Reset(StringTable known)
    {
        _knownStrings = known;
        _buffer.ResetWrittenCount();
        _written.Clear();
        _lastTicks = 0;
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void WriteBool(bool value) => Advance(value ? (byte)1 : (byte)0);

    public void WriteVarUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _buffer.Advance(i);
    }

    public void WriteVarInt(long value) => WriteVarUInt(ZigZag(value));

    public void WriteOptionalInt(int? value)
    {
        WriteBool(value.HasValue);
        if (value is { } v)
        {
            WriteVarInt(v);
        }
    }

    /// <summary>A decimal, exactly (scale kept): a header byte (scale, sign, wide), then the mantissa.</summary>
    public void WriteDecimal(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (byte)((bits[3] >> 16) & 0x1F);
        var negative = bits[3] < 0;
        var high = (uint)bits[2];
        Advance((byte)(scale | (negative ? 0x80 : 0) | (high != 0 ? 0x40 : 0)));
        WriteVarUInt(((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        if (high != 0)
        {
            WriteVarUInt(high);
        }
    }

    public void WriteOptionalDecimal(decimal? value)
    {
        WriteBool(value.HasValue);
        if (value is { } v)
        {
            WriteDecimal(v);
        }
    }

    /// <summary>A timestamp, exactly (ticks and offset): the change in UTC ticks since the previous timestamp written, and the offset if not zero.</summary>
    public void WriteTimestamp(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        var offsetMinutes = (long)value.Offset.TotalMinutes;
        WriteVarUInt((ZigZag(ticks - _lastTicks) << 1) | (offsetMinutes != 0 ? 1UL : 0UL));
        if (offsetMinutes != 0)
        {
            WriteVarInt(offsetMinutes);
        }

        _lastTicks = ticks;
    }

    public void WriteOptionalTimestamp(DateTimeOffset? value)
    {
        WriteBool(value.HasValue);
        if (value is { } v)
        {
            WriteTimestamp(v);
        }
    }

    /// <summary>0: null; 1: a new string follows (length, UTF-8); n &gt;= 2: string n - 2 of the known strings, then of those written before.</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            Advance(0);
            return;
        }

        if (_knownStrings.TryGetIndex(value, out var known))
        {
            WriteVarUInt((ulong)known + 2);
            return;
        }

        if (_written.TryGetValue(value, out var index))
        {
            WriteVarUInt((ulong)(_knownStrings.Count + index) + 2);
            return;
        }

        _written.Add(value, _written.Count);
        Advance(1);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt((ulong)length);
        Encoding.UTF8.GetBytes(value, _buffer.GetSpan(length));
        _buffer.Advance(length);
    }

    /// <summary>Bytes as they are, after their length.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt((ulong)value.Length);
        value.CopyTo(_buffer.GetSpan(value.Length));
        _buffer.Advance(value.Length);
    }

    /// <summary>A map of names to decimals (rule inputs, evidence).</summary>
    public void WriteDecimalMap(IReadOnlyDictionary<string, decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values is StoredDecimalMap stored && ReferenceEquals(stored.KnownStrings, _knownStrings))
        {
            // Known strings and decimals only: its bytes are what writing it entry by entry would give.
            _buffer.Write(stored.Written);
            return;
        }

        WriteVarUInt((ulong)values.Count);
        if (values is InputMap map)
        {
            foreach (var (name, value) in map.Entries)
            {
                WriteString(name);
                WriteDecimal(value);
            }

            return;
        }

        foreach (var (name, value) in values)
        {
            WriteString(name);
            WriteDecimal(value);
        }
    }

    /// <summary>A fixed 4-byte header (format marker and version), written first.</summary>
    private void WriteHeader(uint header) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), header);

    private Span<byte> Reserve(int count)
    {
        var span = _buffer.GetSpan(count)[..count];
        _buffer.Advance(count);
        return span;
    }

    private void Advance(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
