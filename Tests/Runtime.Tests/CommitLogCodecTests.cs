using System.Text;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql.CommitLog;

namespace CustomerActors.Runtime.Tests;

public class CommitLogCodecTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 0, 0, 123, TimeSpan.Zero);

    private static readonly StateWrite[] Writes =
    [
        new(new GrainId("customer", "C-1 客户"), 17, 3, Encoding.UTF8.GetBytes("state"), At,
            [
                new JournalEntry("events", 3, "ev-1", At, Encoding.UTF8.GetBytes("{\"a\":1}"), Idempotent: true),
                new JournalEntry("changes", 9, "9", At.AddSeconds(1), Array.Empty<byte>()),
            ],
            At.AddDays(90)) { KeepsDueAt = true },
        new(new GrainId("customer", "C-2"), 0, 0, Array.Empty<byte>(), At, [], DueAt: null),
    ];

    [Fact]
    public void Writes_read_back_field_for_field()
    {
        var read = CommitLogCodec.Decode(CommitLogCodec.Encode(Writes, new MemoryStream()).ToArray());

        Assert.Equal(Writes.Length, read.Count);
        for (var i = 0; i < Writes.Length; i++)
        {
            var (expected, actual) = (Writes[i], read[i]);
            Assert.Equal((expected.GrainId, expected.Partition, expected.ExpectedVersion, expected.WrittenAt, expected.DueAt, expected.KeepsDueAt),
                (actual.GrainId, actual.Partition, actual.ExpectedVersion, actual.WrittenAt, actual.DueAt, actual.KeepsDueAt));
            Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
            Assert.Equal(
                expected.Journal.Select(e => (e.Stream, e.Seq, e.EntryId, e.RecordedAt, Convert.ToBase64String(e.Payload.Span), e.Idempotent)),
                actual.Journal.Select(e => (e.Stream, e.Seq, e.EntryId, e.RecordedAt, Convert.ToBase64String(e.Payload.Span), e.Idempotent)));
        }
    }

    [Fact]
    public void A_row_cut_short_or_with_bytes_after_its_last_write_is_refused()
    {
        var body = CommitLogCodec.Encode(Writes, new MemoryStream()).ToArray();

        Assert.Throws<InvalidDataException>(() => CommitLogCodec.Decode(body[..^3]));
        Assert.Throws<InvalidDataException>(() => CommitLogCodec.Decode([.. body, 0]));
        Assert.Throws<InvalidDataException>(() => CommitLogCodec.Decode([0, 0, 0, 0, .. body[4..]]));
    }
}
