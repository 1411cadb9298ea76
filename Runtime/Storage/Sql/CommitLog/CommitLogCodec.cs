using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;

namespace CustomerActors.Runtime.Storage.Sql.CommitLog;

/// <summary>
/// The body of one commit-log row: the committed writes of one group commit (grain, partition, versions, state, due
/// moment, journal entries) in the order they were committed. Outbox messages are not in it: they are written to the
/// outbox table in the same transaction. Format: a header, then per write fixed fields, length-prefixed byte strings
/// and UTF-8 strings (<see cref="BinaryWriter"/>'s encoding); timestamps as Unix milliseconds.
/// </summary>
internal static class CommitLogCodec
{
    private const int Header = 0x434C_0001; // "CL", format 1

    /// <summary>
    /// Encodes into <paramref name="buffer"/>, emptied first, and returns the body as a segment of it. The one writer
    /// encodes every commit into the same buffer: a commit's body is megabytes, and a new array for each (with the
    /// copies of a growing stream) went to the large object heap, whose budget then set off a full background
    /// collection every second or so of ingest (docs/performance.md).
    /// </summary>
    public static ArraySegment<byte> Encode(IReadOnlyList<StateWrite> writes, MemoryStream buffer)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.SetLength(0);
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Header);
            writer.Write7BitEncodedInt(writes.Count);
            foreach (var write in writes)
            {
                writer.Write(write.GrainId.Type);
                writer.Write(write.GrainId.Key);
                writer.Write7BitEncodedInt(write.Partition);
                writer.Write7BitEncodedInt64(write.ExpectedVersion);
                WriteBytes(writer, write.Payload.Span);
                writer.Write(write.WrittenAt.ToUnixTimeMilliseconds());
                writer.Write(write.DueAt is not null);
                if (write.DueAt is { } due)
                {
                    writer.Write(due.ToUnixTimeMilliseconds());
                }

                writer.Write(write.KeepsDueAt);
                writer.Write7BitEncodedInt(write.Journal.Count);
                foreach (var entry in write.Journal)
                {
                    writer.Write(entry.Stream);
                    writer.Write7BitEncodedInt64(entry.Seq);
                    writer.Write(entry.EntryId);
                    writer.Write(entry.RecordedAt.ToUnixTimeMilliseconds());
                    WriteBytes(writer, entry.Payload.Span);
                    writer.Write(entry.Idempotent);
                }
            }
        }

        return new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="InvalidDataException">The body is not one this codec wrote, or it is cut short.</exception>
    public static IReadOnlyList<StateWrite> Decode(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(body, writable: false), System.Text.Encoding.UTF8);
            if (reader.ReadInt32() != Header)
            {
                throw new InvalidDataException("A commit-log row in an unknown format.");
            }

            var writes = new StateWrite[reader.Read7BitEncodedInt()];
            for (var i = 0; i < writes.Length; i++)
            {
                var grain = new GrainId(reader.ReadString(), reader.ReadString());
                var partition = reader.Read7BitEncodedInt();
                var expected = reader.Read7BitEncodedInt64();
                var payload = ReadBytes(reader);
                var writtenAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
                DateTimeOffset? due = reader.ReadBoolean() ? DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()) : null;
                var keepsDue = reader.ReadBoolean();
                var journal = new JournalEntry[reader.Read7BitEncodedInt()];
                for (var j = 0; j < journal.Length; j++)
                {
                    journal[j] = new JournalEntry(reader.ReadString(), reader.Read7BitEncodedInt64(), reader.ReadString(),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()), ReadBytes(reader), reader.ReadBoolean());
                }

                writes[i] = new StateWrite(grain, partition, expected, payload, writtenAt, journal, due) { KeepsDueAt = keepsDue };
            }

            return reader.BaseStream.Position == body.Length ? writes : throw new InvalidDataException("A commit-log row has bytes after its last write.");
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("A commit-log row ends early.", ex);
        }
    }

    private static void WriteBytes(BinaryWriter writer, ReadOnlySpan<byte> bytes)
    {
        writer.Write7BitEncodedInt(bytes.Length);
        writer.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var bytes = reader.ReadBytes(length);
        return bytes.Length == length ? bytes : throw new EndOfStreamException();
    }
}
