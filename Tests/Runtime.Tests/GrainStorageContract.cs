using System.Text;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;
using CustomerActors.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CustomerActors.Runtime.Tests;

/// <summary>
/// The behaviour every storage provider must have, run against real SQLite and real PostgreSQL with the
/// provider's own SQL files.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly List<SqlGrainStorage> _storages = [];

    protected abstract string Provider { get; }

    protected abstract string ConnectionString { get; }

    /// <summary>Whether a SQLite store runs its commit log or writes the tables directly (the default).</summary>
    protected virtual bool CommitLog => false;

    public abstract Task InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }
    }

    protected async Task<SqlGrainStorage> MigratedStorageAsync()
    {
        var storage = NewStorage();
        await storage.MigrateAsync(CancellationToken.None);
        return storage;
    }

    private SqlGrainStorage NewStorage()
    {
        var storage = RuntimeServiceCollectionExtensions.CreateStorage(
            new StorageOptions { Provider = Provider, ConnectionString = ConnectionString, CommitLog = CommitLog }, TimeProvider.System);
        _storages.Add(storage);
        return storage;
    }

    private const string Stream = "events";

    protected static StateWrite Write(GrainId id, long expectedVersion, string payload, params string[] journalIds) => new(
        id, new PartitionMap().PartitionOf(id.Key), expectedVersion, Encoding.UTF8.GetBytes(payload), Now,
        [.. journalIds.Select((entryId, i) => new JournalEntry(Stream, expectedVersion * 100 + i + 1, entryId, Now, Encoding.UTF8.GetBytes($"\"{entryId}\"")))]);

    protected static GrainId Id(string key) => new("test", key);

    private static bool[] Committed(IReadOnlyList<WriteOutcome> outcomes) => [.. outcomes.Select(o => o.IsCommitted)];

    [Fact]
    public async Task Migrations_apply_once_even_when_several_processes_start_together()
    {
        var storages = Enumerable.Range(0, 8).Select(_ => NewStorage()).ToArray();

        await Task.WhenAll(storages.Select(s => s.MigrateAsync(CancellationToken.None)));
        await storages[0].MigrateAsync(CancellationToken.None);

        var health = await storages[0].CheckHealthAsync(CancellationToken.None);
        Assert.True(health.IsHealthy, health.Description);
        Assert.Contains($"schema version {storages[0].Scripts.LatestVersion}", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_before_migration_report_the_store_unavailable()
    {
        var storage = NewStorage();

        await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.ReadStateAsync(Id("x"), CancellationToken.None));
        Assert.False((await storage.CheckHealthAsync(CancellationToken.None)).IsHealthy);
    }

    [Fact]
    public async Task A_missing_state_reads_as_null()
    {
        var storage = await MigratedStorageAsync();

        Assert.Null(await storage.ReadStateAsync(Id("nobody"), CancellationToken.None));
    }

    [Fact]
    public async Task A_written_state_reads_back_with_its_version()
    {
        var storage = await MigratedStorageAsync();

        Assert.Equal(new[] { true }, Committed(await storage.WriteBatchAsync([Write(Id("a"), 0, "{\"v\":1}")], CancellationToken.None)));
        Assert.Equal(new[] { true }, Committed(await storage.WriteBatchAsync([Write(Id("a"), 1, "{\"v\":2}")], CancellationToken.None)));

        var stored = await storage.ReadStateAsync(Id("a"), CancellationToken.None);
        Assert.Equal(2, stored!.Version);
        Assert.Equal("{\"v\":2}", Encoding.UTF8.GetString(stored.Payload));
    }

    [Fact]
    public async Task An_empty_payload_is_stored_empty_not_missing()
    {
        var storage = await MigratedStorageAsync();
        var write = Write(Id("empty"), 0, "") with
        {
            Journal = [new JournalEntry(Stream, 1, "e1", Now, Array.Empty<byte>())],
            DueAt = null,
        };

        Assert.Equal(new[] { true }, Committed(await storage.WriteBatchAsync([write], CancellationToken.None)));

        var stored = await storage.ReadStateAsync(Id("empty"), CancellationToken.None);
        Assert.Equal(1, stored!.Version);
        Assert.Empty(stored.Payload);
        Assert.Null(stored.DueAt);
        var entry = Assert.Single(await storage.ReadJournalAsync(Id("empty"), Stream, long.MaxValue, 10, CancellationToken.None));
        Assert.Equal("e1", entry.EntryId);
        Assert.Empty(entry.Payload);
    }

    [Fact]
    public async Task A_write_based_on_a_stale_version_changes_nothing_and_appends_nothing()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("b"), 0, "first", "e1")], CancellationToken.None);
        await storage.WriteBatchAsync([Write(Id("b"), 1, "second", "e2")], CancellationToken.None);

        var results = Committed(await storage.WriteBatchAsync([Write(Id("b"), 1, "stale", "e3")], CancellationToken.None));

        Assert.Equal([false], results);
        var stored = await storage.ReadStateAsync(Id("b"), CancellationToken.None);
        Assert.Equal("second", Encoding.UTF8.GetString(stored!.Payload));
        Assert.Empty(await storage.FindJournalEntriesAsync(Id("b"), Stream, ["e3"], CancellationToken.None));
    }

    [Fact]
    public async Task Of_two_first_writes_only_one_succeeds()
    {
        var storage = await MigratedStorageAsync();

        var results = Committed(await storage.WriteBatchAsync([Write(Id("c"), 0, "one"), Write(Id("c"), 0, "two")], CancellationToken.None));

        Assert.Equal([true, false], results);
        Assert.Equal("one", Encoding.UTF8.GetString((await storage.ReadStateAsync(Id("c"), CancellationToken.None))!.Payload));
    }

    [Fact]
    public async Task A_conflict_in_a_group_commit_does_not_fail_the_other_writes()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("d1"), 0, "x")], CancellationToken.None);

        var results = Committed(await storage.WriteBatchAsync(
            [Write(Id("d1"), 0, "conflict", "j1"), Write(Id("d2"), 0, "fresh", "j2"), Write(Id("d1"), 1, "next", "j3")],
            CancellationToken.None));

        Assert.Equal([false, true, true], results);
        Assert.Equal(["j3"], await storage.FindJournalEntriesAsync(Id("d1"), Stream, ["j1", "j3"], CancellationToken.None));
        Assert.Equal(["j2"], await storage.FindJournalEntriesAsync(Id("d2"), Stream, ["j2"], CancellationToken.None));
    }

    [Fact]
    public async Task The_journal_is_read_newest_first_in_pages()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("e"), 0, "s", [.. Enumerable.Range(1, 5).Select(i => $"ev{i}")])], CancellationToken.None);

        var first = await storage.ReadJournalAsync(Id("e"), Stream, long.MaxValue, 2, CancellationToken.None);
        var second = await storage.ReadJournalAsync(Id("e"), Stream, first[^1].Seq, 10, CancellationToken.None);

        Assert.Equal(["ev5", "ev4"], first.Select(e => e.EntryId));
        Assert.Equal(["ev3", "ev2", "ev1"], second.Select(e => e.EntryId));
        Assert.Equal("\"ev5\"", Encoding.UTF8.GetString(first[0].Payload));
        Assert.Equal(Now, first[0].RecordedAt);
    }

    [Fact]
    public async Task Journal_lookup_finds_only_the_ids_of_that_grain()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("f1"), 0, "s", "shared", "only-f1"), Write(Id("f2"), 0, "s", "shared")], CancellationToken.None);

        var found = await storage.FindJournalEntriesAsync(Id("f2"), Stream, ["shared", "only-f1", "never"], CancellationToken.None);

        Assert.Equal(["shared"], found);
    }

    [Fact]
    public async Task Journal_lookups_answer_each_grain_with_its_own_ids_and_take_any_text_as_an_id()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync(
            [Write(Id("g1"), 0, "s", "shared", "only-g1"), Write(Id("g2"), 0, "s", "shared"), Write(Id("g3"), 0, "s", "x'; DROP TABLE grain_journal; --")],
            CancellationToken.None);

        (GrainId Grain, string Stream, string[] Ids)[] lookups =
        [
            (Id("g1"), Stream, ["shared", "only-g1", "never"]),
            (Id("g2"), Stream, ["shared", "only-g1"]),
            (Id("g4"), Stream, ["shared"]),
            (Id("g1"), Stream, []),
            (Id("g1"), "changes", ["shared"]),
            (new GrainId("other", "g2"), Stream, ["shared"]),
            (Id("g3"), Stream, ["x'; DROP TABLE grain_journal; --", "\"quoted\""]),
        ];
        var found = new List<IReadOnlySet<string>>();
        foreach (var (grain, stream, ids) in lookups)
        {
            found.Add(await storage.FindJournalEntriesAsync(grain, stream, ids, CancellationToken.None));
        }

        Assert.Equal(["only-g1", "shared"], found[0].Order(StringComparer.Ordinal));
        Assert.Equal(["shared"], found[1]);
        Assert.Empty(found[2]);
        Assert.Empty(found[3]);
        Assert.Empty(found[4]);
        Assert.Empty(found[5]);
        Assert.Equal(["x'; DROP TABLE grain_journal; --"], found[6]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("订单-2026-甲")]
    [InlineData(170, '界')]
    [InlineData(171, '界')]
    [InlineData(600, 'e')]
    public async Task An_id_of_any_length_and_script_is_journaled_as_given_and_refused_when_written_again(object idOrLength, char filler = ' ')
    {
        var id = idOrLength as string ?? new string(filler, (int)idOrLength);
        var storage = await MigratedStorageAsync();
        JournalEntry Keyed(long seq) => new(Stream, seq, id, Now, Encoding.UTF8.GetBytes("{}"), Idempotent: true);

        Assert.True((await storage.WriteBatchAsync([Write(Id("a"), 0, "v1") with { Journal = [Keyed(1)] }], CancellationToken.None))[0].IsCommitted);
        var again = (await storage.WriteBatchAsync([Write(Id("a"), 1, "v2") with { Journal = [Keyed(2)] }], CancellationToken.None))[0];

        Assert.False(again.IsCommitted);
        Assert.Equal([id], again.DuplicateEntries);
        Assert.Equal([id], await storage.FindJournalEntriesAsync(Id("a"), Stream, [id, id + "x"], CancellationToken.None));
        Assert.Equal(1, (await storage.ReadStateAsync(Id("a"), CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task A_write_holding_an_event_id_already_journaled_is_refused_whole_and_names_it_while_the_others_commit()
    {
        var storage = await MigratedStorageAsync();
        JournalEntry Keyed(string entryId, long seq) => new(Stream, seq, entryId, Now, Encoding.UTF8.GetBytes($"\"{entryId}\""), Idempotent: true);
        OutboxMessage Message(string id) => new(id, "alert", "high", Now, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"));
        await storage.WriteBatchAsync([Write(Id("i1"), 0, "i1-v1") with { Journal = [Keyed("ev-1", 1)] }], CancellationToken.None);

        var outcomes = await storage.WriteBatchAsync(
        [
            Write(Id("i1"), 1, "i1-v2") with { Journal = [Keyed("ev-2", 2), Keyed("ev-1", 3)], Outbox = [Message("i1-m")] },
            Write(Id("i2"), 0, "i2-v1") with { Journal = [Keyed("ev-1", 1)], Outbox = [Message("i2-m")] }, // another grain's id space
            Write(Id("i3"), 0, "i3-v1") with { Journal = [Keyed("ev-3", 1)] },
        ], CancellationToken.None);

        Assert.Equal(["ev-1"], outcomes[0].DuplicateEntries);
        Assert.Equal(new[] { false, true, true }, Committed(outcomes));
        var i1 = (await storage.ReadStateAsync(Id("i1"), CancellationToken.None))!;
        Assert.Equal((1L, "i1-v1"), (i1.Version, Encoding.UTF8.GetString(i1.Payload)));
        Assert.Empty(await storage.FindJournalEntriesAsync(Id("i1"), Stream, ["ev-2"], CancellationToken.None));
        Assert.Equal(["ev-1"], await storage.FindJournalEntriesAsync(Id("i2"), Stream, ["ev-1"], CancellationToken.None));
        Assert.Equal(["ev-3"], await storage.FindJournalEntriesAsync(Id("i3"), Stream, ["ev-3"], CancellationToken.None));
        Assert.Equal(["i2-m"], (await storage.ReadOutboxAsync(new OutboxQuery(0, 10), CancellationToken.None)).Select(m => m.MessageId));

        // The same write without the refused id then commits.
        Assert.Equal(new[] { true }, Committed(await storage.WriteBatchAsync([Write(Id("i1"), 1, "i1-v2") with { Journal = [Keyed("ev-2", 2)] }], CancellationToken.None)));
    }

    [Fact]
    public async Task Journal_streams_are_separate()
    {
        var storage = await MigratedStorageAsync();
        var write = Write(Id("s"), 0, "s", "same-id") with
        {
            Journal = [new JournalEntry("events", 1, "same-id", Now, "1"u8.ToArray()), new JournalEntry("changes", 1, "same-id", Now, "2"u8.ToArray())],
        };

        await storage.WriteBatchAsync([write], CancellationToken.None);

        var changes = await storage.ReadJournalAsync(Id("s"), "changes", long.MaxValue, 10, CancellationToken.None);
        Assert.Equal("2", Encoding.UTF8.GetString(Assert.Single(changes).Payload));
    }

    [Fact]
    public async Task Due_times_are_stored_with_the_state_and_read_back_when_they_come()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync(
        [
            Write(Id("due-late"), 0, "s") with { DueAt = Now.AddHours(2) },
            Write(Id("due-soon"), 0, "s") with { DueAt = Now.AddHours(1) },
            Write(Id("never"), 0, "s"),
        ], CancellationToken.None);

        Assert.Empty(await storage.ReadDueAsync(Now, 10, CancellationToken.None));
        Assert.Equal(Now.AddHours(1), await storage.NextDueAsync(CancellationToken.None));
        var due = await storage.ReadDueAsync(Now.AddHours(3), 10, CancellationToken.None);
        Assert.Equal(["due-soon", "due-late"], due.Select(d => d.GrainId.Key));
        Assert.Equal(Now.AddHours(2), (await storage.ReadStateAsync(Id("due-late"), CancellationToken.None))!.DueAt);

        await storage.WriteBatchAsync([Write(Id("due-soon"), 1, "s2")], CancellationToken.None); // cleared
        Assert.Equal(["due-late"], (await storage.ReadDueAsync(Now.AddHours(3), 10, CancellationToken.None)).Select(d => d.GrainId.Key));
    }

    [Fact]
    public async Task A_write_that_keeps_its_due_moment_leaves_it_stored_and_still_checks_the_version()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("kept"), 0, "s1") with { DueAt = Now.AddHours(1) }], CancellationToken.None);

        Assert.Equal(new[] { true }, Committed(await storage.WriteBatchAsync([Write(Id("kept"), 1, "s2") with { DueAt = Now.AddHours(1), KeepsDueAt = true }], CancellationToken.None)));
        Assert.Equal(new[] { false }, Committed(await storage.WriteBatchAsync([Write(Id("kept"), 1, "stale") with { DueAt = Now.AddHours(1), KeepsDueAt = true }], CancellationToken.None)));

        var stored = await storage.ReadStateAsync(Id("kept"), CancellationToken.None);
        Assert.Equal((2, "s2", Now.AddHours(1)), (stored!.Version, Encoding.UTF8.GetString(stored.Payload), stored.DueAt));
        Assert.Equal(["kept"], (await storage.ReadDueAsync(Now.AddHours(2), 10, CancellationToken.None)).Select(d => d.GrainId.Key));

        await storage.WriteBatchAsync([Write(Id("kept"), 2, "s3") with { DueAt = Now.AddHours(3) }], CancellationToken.None);
        Assert.Empty(await storage.ReadDueAsync(Now.AddHours(2), 10, CancellationToken.None));
        Assert.Equal(Now.AddHours(3), (await storage.ReadStateAsync(Id("kept"), CancellationToken.None))!.DueAt);
    }

    [Fact]
    public async Task Outbox_messages_commit_with_the_state_or_not_at_all()
    {
        var storage = await MigratedStorageAsync();
        OutboxMessage Message(string id, string label) => new(id, "alert", label, Now, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"));
        await storage.WriteBatchAsync([Write(Id("o1"), 0, "s") with { Outbox = [Message("m1", "high"), Message("m2", "low")] }], CancellationToken.None);

        var conflict = Committed(await storage.WriteBatchAsync([Write(Id("o1"), 0, "stale") with { Outbox = [Message("m3", "high")] }], CancellationToken.None));

        Assert.Equal([false], conflict);
        var all = await storage.ReadOutboxAsync(new OutboxQuery(0, 10), CancellationToken.None);
        Assert.Equal(["m1", "m2"], all.Select(m => m.MessageId));
        Assert.True(all[0].Seq < all[1].Seq);
        Assert.Equal("o1", all[0].GrainId.Key);
        Assert.Equal(all[1].Seq, await storage.LastOutboxSeqAsync(CancellationToken.None));
        Assert.Equal(["m1"], (await storage.ReadOutboxAsync(new OutboxQuery(0, 10, Label: "high"), CancellationToken.None)).Select(m => m.MessageId));
        Assert.Equal(["m2"], (await storage.ReadOutboxAsync(new OutboxQuery(all[0].Seq, 10), CancellationToken.None)).Select(m => m.MessageId));
    }

    [Fact]
    public async Task A_group_commit_of_many_grains_writes_exactly_the_writes_whose_version_matched()
    {
        var storage = await MigratedStorageAsync();
        OutboxMessage Message(string id) => new(id, "alert", "high", Now, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"));
        await storage.WriteBatchAsync([Write(Id("k1"), 0, "k1-v1", "k1-e1"), Write(Id("k2"), 0, "k2-v1", "k2-e1"), Write(Id("k5"), 0, "k5-v1")], CancellationToken.None);

        // A next version, a stale version, new grains and a first write of an existing grain, each grain once, in one
        // commit (on PostgreSQL the set-based path: one statement per table).
        var results = Committed(await storage.WriteBatchAsync(
        [
            Write(Id("k1"), 1, "k1-v2", "k1-e2") with { Outbox = [Message("k1-m")], DueAt = Now.AddDays(1) },
            Write(Id("k2"), 7, "k2-stale", "k2-e2") with { Outbox = [Message("k2-m")] },
            Write(Id("k3"), 0, "k3-v1", "k3-e1", "k3-e2") with { Outbox = [Message("k3-m1"), Message("k3-m2")] },
            Write(Id("k4"), 0, "k4-v1", "k4-e1"),
            Write(Id("k5"), 0, "k5-again", "k5-e1"),
        ], CancellationToken.None));

        Assert.Equal([true, false, true, true, false], results);
        Assert.Equal((2L, "k1-v2"), await StoredAsync("k1"));
        Assert.Equal((1L, "k2-v1"), await StoredAsync("k2"));
        Assert.Equal((1L, "k3-v1"), await StoredAsync("k3"));
        Assert.Equal((1L, "k5-v1"), await StoredAsync("k5"));
        Assert.Equal(["k1-e1", "k1-e2"], (await storage.FindJournalEntriesAsync(Id("k1"), Stream, ["k1-e1", "k1-e2"], CancellationToken.None)).Order());
        Assert.Empty(await storage.FindJournalEntriesAsync(Id("k5"), Stream, ["k5-e1"], CancellationToken.None));
        Assert.Empty(await storage.FindJournalEntriesAsync(Id("k2"), Stream, ["k2-e2"], CancellationToken.None));
        Assert.Equal(["k3-e1", "k3-e2"], (await storage.FindJournalEntriesAsync(Id("k3"), Stream, ["k3-e1", "k3-e2"], CancellationToken.None)).Order());
        Assert.Equal(["k1-m", "k3-m1", "k3-m2"], (await storage.ReadOutboxAsync(new OutboxQuery(0, 10), CancellationToken.None)).Select(m => m.MessageId));
        Assert.Equal(Now.AddDays(1), (await storage.ReadStateAsync(Id("k1"), CancellationToken.None))!.DueAt);

        async Task<(long, string)> StoredAsync(string key)
        {
            var stored = (await storage.ReadStateAsync(Id(key), CancellationToken.None))!;
            return (stored.Version, Encoding.UTF8.GetString(stored.Payload));
        }
    }

    [Fact]
    public async Task States_read_together_each_come_back_as_their_own_grain_stored_them_or_as_missing()
    {
        var storage = await MigratedStorageAsync();
        var stored = Enumerable.Range(0, 300).Select(i => Write(Id($"r{i}"), 0, $"r{i}-v1") with { DueAt = i % 2 == 0 ? Now.AddDays(i) : null }).ToArray();
        Assert.All(await storage.WriteBatchAsync(stored, CancellationToken.None), outcome => Assert.True(outcome.IsCommitted));

        // Many grains activating at once read their states at once: in a few groups, not one read each (those the
        // commit log still holds in memory do not reach the tables at all).
        var reads = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => storage.ReadStateAsync(Id($"r{i}"), CancellationToken.None)));
        Assert.InRange(storage.StateReadGroups, 0, 40);

        for (var i = 0; i < 400; i++)
        {
            if (i >= 300)
            {
                Assert.Null(reads[i]);
                continue;
            }

            Assert.Equal(1, reads[i]!.Version);
            Assert.Equal($"r{i}-v1", Encoding.UTF8.GetString(reads[i]!.Payload));
            Assert.Equal(i % 2 == 0 ? Now.AddDays(i) : null, reads[i]!.DueAt);
        }
    }

    [Fact]
    public async Task A_message_is_acknowledged_then_resolved_and_filtered_by_status()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("w"), 0, "s") with { Outbox = [new("a1", "alert", "high", Now, "{}"u8.ToArray()), new("a2", "alert", "high", Now, "{}"u8.ToArray())] }], CancellationToken.None);

        await storage.SetMessageStatusAsync(new MessageStatusChange("a1", "acknowledged", "li.lei", Now.AddMinutes(1), "looking"), CancellationToken.None);
        await storage.SetMessageStatusAsync(new MessageStatusChange("a1", "resolved", "han.mei", Now.AddMinutes(2), null), CancellationToken.None);
        await storage.SetMessageStatusAsync(new MessageStatusChange("a1", "acknowledged", "late", Now.AddMinutes(3), null), CancellationToken.None);

        var a1 = await storage.ReadOutboxMessageAsync("a1", CancellationToken.None);
        Assert.Equal(("resolved", "li.lei", "han.mei", "looking"), (a1!.Status, a1.AcknowledgedBy, a1.ResolvedBy, a1.Note));
        Assert.Equal(Now.AddMinutes(1), a1.AcknowledgedAt);
        Assert.Equal(["a2"], (await storage.ReadOutboxAsync(new OutboxQuery(0, 10, Status: "open"), CancellationToken.None)).Select(m => m.MessageId));
        Assert.Null(await storage.ReadOutboxMessageAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task A_sequence_number_the_stream_holds_is_refused_and_one_it_does_not_hold_is_taken_even_below_the_highest()
    {
        var storage = await MigratedStorageAsync();
        var id = Id("numbered");
        StateWrite Numbered(long expectedVersion, string entryId, long seq) => new(
            id, new PartitionMap().PartitionOf(id.Key), expectedVersion, Encoding.UTF8.GetBytes($"v{expectedVersion + 1}"), Now,
            [new JournalEntry(Stream, seq, entryId, Now, Encoding.UTF8.GetBytes($"\"{entryId}\""))]);

        // With the commit log: the first write goes to the tables, the second (the grain written lately) through the log,
        // and from then on the stream's highest number in the table is known; the third and later are checked against it.
        Assert.True((await storage.WriteBatchAsync([Numbered(0, "n1", 1)], CancellationToken.None))[0].IsCommitted);
        Assert.True((await storage.WriteBatchAsync([Numbered(1, "n5", 5)], CancellationToken.None))[0].IsCommitted);
        Assert.True((await storage.WriteBatchAsync([Numbered(2, "n6", 6)], CancellationToken.None))[0].IsCommitted);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => storage.WriteBatchAsync([Numbered(3, "again-1", 1)], CancellationToken.None));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => storage.WriteBatchAsync([Numbered(3, "again-5", 5)], CancellationToken.None));
        Assert.True((await storage.WriteBatchAsync([Numbered(3, "n3", 3)], CancellationToken.None))[0].IsCommitted);

        Assert.Equal([6, 5, 3, 1], (await storage.ReadJournalAsync(id, Stream, long.MaxValue, 10, CancellationToken.None)).Select(e => e.Seq));
        Assert.Equal(4, (await storage.ReadStateAsync(id, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task A_write_that_breaks_a_constraint_fails_alone_in_the_group_commit()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("g"), 0, "s", "dup")], CancellationToken.None);
        var gate = new TaskCompletionSource();
        var gated = new FaultyStorage(storage) { Gate = gate.Task };
        await using var writer = new GroupCommitWriter(gated, Options.Create(new StorageOptions()), NullLogger<GroupCommitWriter>.Instance);
        var blocker = writer.WriteAsync(Write(Id("blocker"), 0, "first"));
        await Eventually.TrueAsync(() => gated.Gate is null, "the first commit is under way");

        // Same journal entry id again (a bug upstream): the unique index refuses it.
        var bad = writer.WriteAsync(Write(Id("g"), 1, "s2", "dup"));
        var good = writer.WriteAsync(Write(Id("h"), 0, "fine", "h1"));
        gate.SetResult();

        await blocker;
        await good;
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => bad);
        Assert.Equal([1, 2, 1, 1], gated.BatchSizes); // the pair was committed together, failed, and was retried write by write
        Assert.Equal(1, (await storage.ReadStateAsync(Id("g"), CancellationToken.None))!.Version);
        Assert.Equal(1, (await storage.ReadStateAsync(Id("h"), CancellationToken.None))!.Version);
    }
}

/// <summary>The contract on a SQLite file of the test's own.</summary>
public abstract class SqliteStorageContract : GrainStorageContract
{
    private readonly TempDirectory _directory = new();

    protected override string Provider => StorageOptions.Sqlite;

    protected override string ConnectionString => _directory.SqliteConnectionString();

    public override Task InitializeAsync() => Task.CompletedTask;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>The embedded store with its commit log (<c>Storage:CommitLog</c>): every answer as without it.</summary>
public sealed class SqliteGrainStorageTests : SqliteStorageContract
{
    protected override bool CommitLog => true;

    [Fact]
    public async Task Rows_bound_by_position_must_name_their_parameters_as_the_first_row_did()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (a TEXT, b INTEGER)";
            await create.ExecuteNonQueryAsync();
        }

        const string insert = "INSERT INTO t (a, b) VALUES (@a, @b);\n";
        Assert.Equal([1, 1], SqlitePreparedStatements.ExecuteAll(connection,
            [new SqlStatement(insert, [("@a", "x"), ("@b", 1L)]), new SqlStatement(insert, [("@a", null), ("@b", 2)])]));

        // The same SQL with its parameters listed in another order would bind "y" to b and 3 to a.
        Assert.Throws<InvalidOperationException>(() => SqlitePreparedStatements.ExecuteAll(connection,
            [new SqlStatement(insert, [("@a", "x"), ("@b", 1L)]), new SqlStatement(insert, [("@b", 3L), ("@a", "y")])]));
        Assert.Throws<InvalidOperationException>(() => SqlitePreparedStatements.ExecuteAll(connection,
            [new SqlStatement("INSERT INTO t (a) VALUES (@a); INSERT INTO t (a) VALUES (@a);", [("@a", "z")])]));

        // The refused call's first row ran before its second was refused (no transaction here; in a group commit the
        // transaction is rolled back with it); the multi-statement text ran nothing.
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) || ':' || group_concat(coalesce(a, '-') || b, ',') FROM t";
        Assert.Equal("3:x1,-2,x1", (string?)await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Closing_another_store_leaves_this_ones_connections_and_its_log_as_they_were()
    {
        var storage = await MigratedStorageAsync();
        await storage.WriteBatchAsync([Write(Id("kept"), 0, new string('x', 3000))], CancellationToken.None);
        await storage.FoldAllAsync(100, CancellationToken.None);
        var (before, _) = await storage.CheckpointAsync(LogCheckpoint.Passive, CancellationToken.None);

        using var otherDirectory = new TempDirectory();
        var other = RuntimeServiceCollectionExtensions.CreateStorage(new StorageOptions { ConnectionString = otherDirectory.SqliteConnectionString() }, TimeProvider.System);
        await other.MigrateAsync(CancellationToken.None);
        await other.DisposeAsync();

        // Had this store's connections been closed, the last one would have copied the log into the file and removed it.
        var (after, _) = await storage.CheckpointAsync(LogCheckpoint.Passive, CancellationToken.None);
        Assert.True(before > 0, $"{before} frames in the log");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task The_database_runs_in_wal_mode_with_full_sync()
    {
        var storage = RuntimeServiceCollectionExtensions.CreateStorage(new StorageOptions { ConnectionString = ConnectionString, CommitLog = CommitLog }, TimeProvider.System);
        await using var _ = storage;
        await storage.MigrateAsync(CancellationToken.None);

        await using var connection = await storage.Dialect.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await command.ExecuteScalarAsync())!);
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!); // 2 = FULL
    }

    /// <summary>Counts the stored states as <paramref name="snapshot"/> sees them (its first read fixes the snapshot).</summary>
    private static async Task<long> CountStatesAsync(SqliteTransaction snapshot)
    {
        await using var read = snapshot.Connection!.CreateCommand();
        read.Transaction = snapshot;
        read.CommandText = "SELECT count(*) FROM grain_state";
        return (long)(await read.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_file_system_under_the_store_is_flushed_through_a_directory_without_disturbing_the_store()
    {
        var storage = await MigratedStorageAsync();
        await using var reader = (SqliteConnection)await storage.Dialect.OpenConnectionAsync(CancellationToken.None);
        await using var snapshot = reader.BeginTransaction(deferred: true);
        Assert.Equal(0L, await CountStatesAsync(snapshot));

        var directory = Path.GetDirectoryName(((SqliteDialect)storage.Dialect).DataSource)!;
        Assert.Equal(OperatingSystem.IsLinux(), FileSystemFlush.TryFlush(directory));
        Assert.False(FileSystemFlush.TryFlush(Path.Combine(directory, "missing")));

        // The reader's snapshot (its locks on the store's files) survived: it still sees no rows after a commit.
        await storage.WriteBatchAsync([Write(Id("flushed"), 0, "s")], CancellationToken.None);
        await storage.FoldAllAsync(100, CancellationToken.None);
        Assert.Equal(0L, await CountStatesAsync(snapshot));
    }

    [Fact]
    public async Task A_log_copied_between_commits_is_written_from_its_beginning_again_once_no_reader_uses_it()
    {
        var storage = await MigratedStorageAsync();
        for (var i = 0; i < 10; i++)
        {
            await storage.WriteBatchAsync([Write(Id($"w{i}"), 0, new string('x', 3000))], CancellationToken.None);
        }

        await storage.FoldAllAsync(100, CancellationToken.None);

        // A reader in the middle of a transaction keeps the log in use: the checkpoint does not wait for it ...
        await using var reader = (SqliteConnection)await storage.Dialect.OpenConnectionAsync(CancellationToken.None);
        await using var snapshot = reader.BeginTransaction(deferred: true);
        Assert.Equal(10L, await CountStatesAsync(snapshot));

        // (On a thread of its own: SQLite's waits are synchronous, and a forced restart would wait here for the reader.)
        var (grown, copied) = await Task.Run(() => storage.CheckpointAsync(LogCheckpoint.BetweenCommits, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(grown, copied);
        await storage.WriteBatchAsync([Write(Id("during"), 0, "s")], CancellationToken.None);
        var (stillGrowing, _) = await storage.CheckpointAsync(LogCheckpoint.Passive, CancellationToken.None);
        Assert.True(stillGrowing > grown, $"{stillGrowing} frames after {grown}: the log was restarted under a reader");

        // ... and once the reader is done, the commit after the next checkpoint starts the log again.
        await snapshot.CommitAsync();
        await storage.CheckpointAsync(LogCheckpoint.BetweenCommits, CancellationToken.None);
        await storage.WriteBatchAsync([Write(Id("after"), 0, "s")], CancellationToken.None);
        var (restarted, _) = await storage.CheckpointAsync(LogCheckpoint.Passive, CancellationToken.None);
        Assert.True(restarted < grown, $"{restarted} frames after {grown}: the log was not restarted");
        Assert.Equal(12, (await storage.ReadStatesAsync("test", "", 100, CancellationToken.None)).Count);
    }
}

/// <summary>The same behaviour from the embedded store without its commit log (the default): every commit writes the tables.</summary>
public sealed class SqliteWithoutCommitLogGrainStorageTests : SqliteStorageContract
{
    protected override bool CommitLog => false;
}

public sealed class PostgresGrainStorageTests : GrainStorageContract
{
    private PostgresDatabase _database = null!;

    protected override string Provider => StorageOptions.Postgres;

    protected override string ConnectionString => _database.ConnectionString;

    public override async Task InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static StateWrite WithMessage(StateWrite write, string messageId) =>
        write with { Outbox = [new OutboxMessage(messageId, "alert", "high", write.WrittenAt, Encoding.UTF8.GetBytes($"\"{messageId}\""))] };

    [Fact]
    public async Task A_batch_behind_one_that_waits_is_written_meanwhile_but_commits_and_shows_its_outbox_only_after_it()
    {
        var storage = await MigratedStorageAsync();
        Assert.Equal(2, storage.CommitsInFlight);
        Assert.True((await storage.WriteBatchAsync([Write(Id("held"), 0, "h0", "held-1")], CancellationToken.None))[0].IsCommitted);

        // Another session holds the row of "held": the first batch waits for it inside its transaction.
        await using var other = new NpgsqlConnection(ConnectionString);
        await other.OpenAsync();
        await using var hold = await other.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT version FROM grain_state WHERE grain_type = 'test' AND grain_key = 'held' FOR UPDATE", other, hold))
        {
            Assert.Equal(1L, await lockRow.ExecuteScalarAsync());
        }

        var first = storage.WriteBatchAsync([WithMessage(Write(Id("held"), 1, "h1", "held-2"), "m-first")], CancellationToken.None);
        var second = storage.WriteBatchAsync([WithMessage(Write(Id("free"), 0, "f0", "free-1"), "m-second")], CancellationToken.None);

        // The second batch's row is written meanwhile (a third session inserting the same key waits for it)...
        await using (var third = new NpgsqlConnection(ConnectionString))
        {
            await third.OpenAsync();
            await Eventually.TrueAsync(async () =>
            {
                // Rolled back either way: a probe that finds no row yet must not leave one.
                await using var probing = await third.BeginTransactionAsync();
                await using var probe = new NpgsqlCommand(
                    "SET LOCAL lock_timeout = '50ms'; INSERT INTO grain_state (grain_type, grain_key, partition_id, version, payload, updated_at) " +
                    "VALUES ('test', 'free', 0, 1, ''::bytea, 0) ON CONFLICT DO NOTHING", third, probing);
                var error = await Record.ExceptionAsync(() => probe.ExecuteNonQueryAsync());
                await probing.RollbackAsync();
                Assert.True(error is null || error is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable }, error?.Message);
                return error is not null;
            }, "the second batch's state row is written while the first batch waits");
        }

        // ...but it neither commits nor shows its outbox message before the first.
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromSeconds(1))));
        Assert.Empty(await storage.ReadOutboxAsync(new OutboxQuery(0, 10), CancellationToken.None));

        await hold.RollbackAsync();
        Assert.True((await first.WaitAsync(TimeSpan.FromSeconds(30)))[0].IsCommitted);
        Assert.True((await second.WaitAsync(TimeSpan.FromSeconds(30)))[0].IsCommitted);
        Assert.Equal(["m-first", "m-second"], (await storage.ReadOutboxAsync(new OutboxQuery(0, 10), CancellationToken.None)).Select(m => m.MessageId));
    }
}
