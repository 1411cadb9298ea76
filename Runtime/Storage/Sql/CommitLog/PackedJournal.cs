using System.Buffers.Binary;
using System.Text;
using CustomerActors.Runtime.Persistence;

namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// An unfolded grain's journal entries, packed: each committed write's entries one after another in one array (a very
/// large write in several, none much above <see cref="ChunkBytes"/>), instead of kept as an entry object, an id string
/// and a payload array each. They stay until the grain is folded, seconds later, so the collections in between copy
/// them; an array a write costs those collections less than three objects an entry (docs/performance.md, twelfth session).
/// </summary>
/// <remarks>
/// Arrays once packed never change, so a fold's copy of the list stays valid while the grain is written again.
/// An entry: stream and entry id as UTF-8 after their byte length, the sequence number, <see cref="JournalEntry.RecordedAt"/>
/// as UTC ticks and offset minutes (exactly, as the entry held it), the payload after its length, and the idempotency
/// flag; integers little-endian.
/// </remarks>
internal sealed class PackedJournal
{
    /// <summary>Entries are packed into arrays of about this size at most, below the large object heap's 85,000 bytes.</summary>
    public const int ChunkBytes = 64 << 10;

    private readonly List<byte[]> _chunks;

    public PackedJournal() => _chunks = [];

    private PackedJournal(List<byte[]> chunks, int count) => (_chunks, Count) = (chunks, count);

    public int Count { get; private set; }

    /// <summary>Packs <paramref name="entries"/> after those already here.</summary>
    public void Append(IReadOnlyList<JournalEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var start = 0;
        while (start < entries.Count)
        {
            var (end, bytes) = (start + 1, EncodedLength(entries[start]));
            while (end < entries.Count && EncodedLength(entries[end]) is var next && bytes + next <= ChunkBytes)
            {
                bytes += next;
                end++;
            }

            var chunk = new byte[bytes];
            var span = chunk.AsSpan();
            for (var i = start; i < end; i++)
            {
                span = Write(span, entries[i]);
            }

            _chunks.Add(chunk);
            start = end;
        }

        Count += entries.Count;
    }

    /// <summary>A copy that shares the packed arrays (they never change) and not what is appended to this one later.</summary>
    public PackedJournal Copy() => new([.. _chunks], Count);

    /// <summary>Whether an entry of <paramref name="stream"/> has the id <paramref name="entryId"/>, the sequence number <paramref name="seq"/>, or both.</summary>
    public (bool IdTaken, bool SeqTaken) Holds(string stream, string entryId, long seq)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(entryId);
        if (Count == 0)
        {
            return (false, false);
        }

        Span<byte> streamBuffer = stackalloc byte[128];
        Span<byte> idBuffer = stackalloc byte[256];
        var wantedStream = Utf8(stream, streamBuffer);
        var wantedId = Utf8(entryId, idBuffer);
        var (id, number) = (false, false);
        foreach (var entry in this)
        {
            if (entry.Stream.SequenceEqual(wantedStream))
            {
                id |= entry.EntryId.SequenceEqual(wantedId);
                number |= entry.Seq == seq;
            }
        }

        return (id, number);
    }

    /// <summary>The entries, in the order they were appended; payloads are slices of the packed arrays.</summary>
    public List<JournalEntry> ToList()
    {
        var entries = new List<JournalEntry>(Count);
        foreach (var entry in this)
        {
            entries.Add(new JournalEntry(Encoding.UTF8.GetString(entry.Stream), entry.Seq, Encoding.UTF8.GetString(entry.EntryId),
                entry.RecordedAt, entry.Payload, entry.Idempotent));
        }

        return entries;
    }

    /// <summary>The entries in the order they were appended, read in place: text as the UTF-8 it is packed in.</summary>
    public Enumerator GetEnumerator() => new(_chunks);

    private static int EncodedLength(JournalEntry entry) =>
        sizeof(int) + Encoding.UTF8.GetByteCount(entry.Stream) + sizeof(long) + sizeof(int) + Encoding.UTF8.GetByteCount(entry.EntryId) +
        sizeof(long) + sizeof(short) + sizeof(int) + entry.Payload.Length + 1;

    private static Span<byte> Write(Span<byte> span, JournalEntry entry)
    {
        span = WriteText(span, entry.Stream);
        BinaryPrimitives.WriteInt64LittleEndian(span, entry.Seq);
        span = WriteText(span[sizeof(long)..], entry.EntryId);
        BinaryPrimitives.WriteInt64LittleEndian(span, entry.RecordedAt.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(span[sizeof(long)..], checked((short)entry.RecordedAt.Offset.TotalMinutes));
        span = span[(sizeof(long) + sizeof(short))..];
        BinaryPrimitives.WriteInt32LittleEndian(span, entry.Payload.Length);
        entry.Payload.Span.CopyTo(span[sizeof(int)..]);
        span = span[(sizeof(int) + entry.Payload.Length)..];
        span[0] = entry.Idempotent ? (byte)1 : (byte)0;
        return span[1..];
    }

    private static Span<byte> WriteText(Span<byte> span, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, span[sizeof(int)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        return span[(sizeof(int) + length)..];
    }

    /// <summary>The UTF-8 of <paramref name="text"/>, in <paramref name="buffer"/> when it fits.</summary>
    private static ReadOnlySpan<byte> Utf8(string text, Span<byte> buffer) =>
        Encoding.UTF8.TryGetBytes(text, buffer, out var written) ? buffer[..written] : Encoding.UTF8.GetBytes(text);

    /// <summary>One packed entry, read in place.</summary>
    public readonly ref struct Entry(ReadOnlySpan<byte> stream, long seq, ReadOnlySpan<byte> entryId, DateTimeOffset recordedAt, ReadOnlyMemory<byte> payload, bool idempotent)
    {
        public ReadOnlySpan<byte> Stream { get; } = stream;

        public long Seq { get; } = seq;

        public ReadOnlySpan<byte> EntryId { get; } = entryId;

        public DateTimeOffset RecordedAt { get; } = recordedAt;

        /// <summary>A slice of the packed array, which never changes.</summary>
        public ReadOnlyMemory<byte> Payload { get; } = payload;

        public bool Idempotent { get; } = idempotent;
    }

    /// <summary>Reads the packed arrays' entries in order.</summary>
    public ref struct Enumerator(List<byte[]> chunks)
    {
        private int _chunk = -1;
        private Reader _reader;

        public Entry Current { get; private set; }

        public bool MoveNext()
        {
            while (true)
            {
                if (_chunk >= 0 && _reader.Next(out var entry))
                {
                    Current = entry;
                    return true;
                }

                if (++_chunk == chunks.Count)
                {
                    return false;
                }

                _reader = new Reader(chunks[_chunk]);
            }
        }
    }

    /// <summary>Reads one packed array's entries in order.</summary>
    private struct Reader(byte[] chunk)
    {
        private int _position;

        public bool Next(out Entry entry)
        {
            if (_position == chunk.Length)
            {
                entry = default;
                return false;
            }

            var stream = Take(Int32());
            var seq = BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));
            var entryId = Take(Int32());
            var utcTicks = BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));
            var offset = TimeSpan.FromMinutes(BinaryPrimitives.ReadInt16LittleEndian(Take(sizeof(short))));
            var payloadLength = Int32();
            var payload = chunk.AsMemory(_position, payloadLength);
            Take(payloadLength);
            var idempotent = Take(1)[0] != 0;
            entry = new Entry(stream, seq, entryId, new DateTimeOffset(utcTicks + offset.Ticks, offset), payload, idempotent);
            return true;
        }

        private int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

        private ReadOnlySpan<byte> Take(int length)
        {
            var taken = chunk.AsSpan(_position, length);
            _position += length;
            return taken;
        }
    }
}
