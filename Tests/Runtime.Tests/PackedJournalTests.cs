using System.Text;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage.Sql.CommitLog;

namespace CustomerActors.Runtime.Tests;

/// <summary>An unfolded grain's journal entries packed into arrays: read back exactly, checked in place, and a copy unchanged by later writes.</summary>
public sealed class PackedJournalTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 30, 15, TimeSpan.Zero);

    [Fact]
    public void Entries_are_read_back_exactly_as_appended()
    {
        JournalEntry[] entries =
        [
            new("events", 1, "evt-1", At.AddTicks(1234567), Encoding.UTF8.GetBytes("{\"amount\":12.5}"), Idempotent: true),
            new("changes", 7, "7", new DateTimeOffset(2026, 11, 25, 16, 30, 15, TimeSpan.FromHours(8)).AddTicks(9), new byte[] { 0, 255, 1 }),
            new("events", 2, "订单-ü-😀", At, ReadOnlyMemory<byte>.Empty, Idempotent: true),
            new("events", long.MaxValue, new string('x', 300), DateTimeOffset.MinValue, new byte[70_000]),
        ];

        var journal = new PackedJournal();
        journal.Append(entries[..2]);
        journal.Append(entries[2..]);

        Assert.Equal(4, journal.Count);
        AssertSame(entries, journal.ToList());
    }

    [Fact]
    public void A_write_larger_than_a_chunk_is_packed_in_several_below_the_large_object_heap_and_read_back_in_order()
    {
        var entries = Enumerable.Range(1, 400).Select(i => Entry("events", i, $"evt-{i}", payload: new byte[1000])).ToArray();
        entries[200] = Entry("events", 201, "evt-201", payload: new byte[PackedJournal.ChunkBytes + 10]);

        var journal = new PackedJournal();
        journal.Append(entries);

        var read = journal.ToList();
        AssertSame(entries, read);
        var chunks = read.Select(e => ArrayOf(e.Payload)).Distinct().ToArray();
        var alone = ArrayOf(read[200].Payload);
        Assert.True(chunks.Length >= 8, $"{chunks.Length} chunks");
        Assert.NotSame(alone, ArrayOf(read[199].Payload));
        Assert.NotSame(alone, ArrayOf(read[201].Payload));
        Assert.All(chunks.Where(c => c != alone), c => Assert.True(c.Length <= PackedJournal.ChunkBytes, $"{c.Length} bytes"));
    }

    [Fact]
    public void An_empty_journal_holds_nothing_and_reads_empty()
    {
        var journal = new PackedJournal();
        journal.Append([]);

        Assert.Equal(0, journal.Count);
        Assert.Empty(journal.ToList());
        Assert.Equal((false, false), journal.Holds("events", "evt-1", 1));
    }

    [Fact]
    public void Holds_matches_ids_and_sequence_numbers_within_the_stream_only()
    {
        var longId = "长" + new string('y', 200);
        var journal = new PackedJournal();
        journal.Append([Entry("events", 1, "evt-1"), Entry("changes", 5, "5")]);
        journal.Append([Entry("events", 2, longId)]);

        Assert.Equal((true, true), journal.Holds("events", "evt-1", 1));
        Assert.Equal((true, false), journal.Holds("events", "evt-1", 3));
        Assert.Equal((false, true), journal.Holds("events", "evt-9", 2));
        Assert.Equal((true, false), journal.Holds("events", longId, 9));
        Assert.Equal((false, false), journal.Holds("changes", "evt-1", 1));
        Assert.Equal((false, false), journal.Holds("events", "evt-", 4));
        Assert.Equal((false, false), journal.Holds("event", "evt-1", 4));
        Assert.Equal((true, true), journal.Holds("changes", "5", 5));
    }

    [Fact]
    public void A_copy_keeps_what_it_was_given_while_the_journal_is_written_again()
    {
        var journal = new PackedJournal();
        journal.Append([Entry("events", 1, "evt-1", payload: [1, 2, 3])]);
        var copy = journal.Copy();
        var payload = copy.ToList()[0].Payload;

        for (var i = 2; i < 50; i++)
        {
            journal.Append([Entry("events", i, $"evt-{i}", payload: [9, 9, 9, 9])]);
        }

        Assert.Equal(1, copy.Count);
        Assert.Equal(["evt-1"], copy.ToList().Select(e => e.EntryId));
        Assert.Equal((false, false), copy.Holds("events", "evt-2", 2));
        Assert.Equal(new byte[] { 1, 2, 3 }, payload.ToArray());
        Assert.Equal(49, journal.Count);
    }

    private static void AssertSame(IReadOnlyList<JournalEntry> expected, IReadOnlyList<JournalEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal((expected[i].Stream, expected[i].Seq, expected[i].EntryId, expected[i].Idempotent), (actual[i].Stream, actual[i].Seq, actual[i].EntryId, actual[i].Idempotent));
            Assert.Equal(expected[i].RecordedAt, actual[i].RecordedAt);
            Assert.Equal(expected[i].RecordedAt.Offset, actual[i].RecordedAt.Offset);
            Assert.Equal(expected[i].Payload.ToArray(), actual[i].Payload.ToArray());
        }
    }

    private static byte[] ArrayOf(ReadOnlyMemory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment) ? segment.Array! : throw new InvalidOperationException("Not an array.");

    private static JournalEntry Entry(string stream, long seq, string id, byte[]? payload = null) =>
        new(stream, seq, id, At, payload ?? [(byte)seq], Idempotent: stream == "events");
}
