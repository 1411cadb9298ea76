using System.Text;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;
using CustomerActors.TestSupport;
using Microsoft.Data.Sqlite;

namespace CustomerActors.Runtime.Tests;

/// <summary>
/// The embedded store's commit log: writes are readable at once, folds move them into the tables, and the rows a crash
/// leaves are replayed on the next start without applying a folded write twice. A crash is a copy of the store's files
/// taken while the first store still runs (what kill -9 leaves on disk); the process-level kill tests are in
/// Gateway.Tests.
/// </summary>
public sealed class CommitLogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _directory = new();
    private readonly List<SqlGrainStorage> _storages = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var storage in _storages)
        {
            await storage.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task A_fold_moves_the_writes_into_the_tables_empties_the_log_and_changes_no_answer()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1", "e2") with { DueAt = Now.AddDays(1) }, Write("b", 0, "b1", "e1")], CancellationToken.None);
        await storage.WriteBatchAsync([Write("a", 1, "a2", "e3") with { DueAt = Now.AddDays(2) }], CancellationToken.None);
        var before = await AnswersAsync(storage);
        Assert.Equal((0L, 0L, 2L), await CountRowsAsync("main"));

        await storage.FoldAllAsync(100, CancellationToken.None);

        Assert.Equal((2L, 4L, 0L), await CountRowsAsync("main"));
        Assert.Equal(0, storage.UnfoldedGrains);
        Assert.Equal(before, await AnswersAsync(storage));

        // Checked against the tables now: a stale version, and an event id journaled before.
        Assert.False((await storage.WriteBatchAsync([Write("a", 1, "stale")], CancellationToken.None))[0].IsCommitted);
        var again = await storage.WriteBatchAsync([Write("b", 1, "b2") with { Journal = [Keyed("e1", 2)] }], CancellationToken.None);
        Assert.Equal(["e1"], again[0].DuplicateEntries);
    }

    [Fact]
    public async Task A_customer_not_written_lately_is_written_straight_to_the_tables_and_one_written_again_through_the_log()
    {
        var storage = await OpenAsync("main");
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1"), Write("b", 0, "b1", "e1")], CancellationToken.None);
        Assert.Equal((2L, 2L, 0L), await CountRowsAsync("main"));
        Assert.Equal(0, storage.UnfoldedGrains);

        await storage.WriteBatchAsync([Write("a", 1, "a2", "e2")], CancellationToken.None);
        Assert.Equal((2L, 2L, 1L), await CountRowsAsync("main"));
        Assert.Equal(1, storage.UnfoldedGrains);

        var answers = await AnswersAsync(storage);
        await storage.FoldAllAsync(100, CancellationToken.None);
        Assert.Equal((2L, 3L, 0L), await CountRowsAsync("main"));
        Assert.Equal(answers, await AnswersAsync(storage));
    }

    [Fact]
    public async Task A_customer_written_again_two_fold_intervals_later_is_written_straight_to_the_tables_again()
    {
        var time = new ManualTimeProvider(Now);
        var storage = await OpenAsync("main", new StorageOptions { FoldInterval = TimeSpan.FromSeconds(5) }, time);
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1")], CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(10));
        await storage.WriteBatchAsync([Write("a", 1, "a2", "e2")], CancellationToken.None);

        Assert.Equal((1L, 2L, 0L), await CountRowsAsync("main"));
        Assert.Equal(0, storage.UnfoldedGrains);
    }

    [Fact]
    public async Task A_commit_of_a_busy_writer_goes_through_the_log_whole()
    {
        var storage = await OpenAsync("main", new StorageOptions { BusyCommitWrites = 3 });
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1"), Write("b", 0, "b1", "e1")], CancellationToken.None);
        await storage.WriteBatchAsync([Write("c", 0, "c1", "e1"), Write("d", 0, "d1", "e1"), Write("e", 0, "e1", "e1")], CancellationToken.None);

        Assert.Equal((2L, 2L, 1L), await CountRowsAsync("main"));
        Assert.Equal(3, storage.UnfoldedGrains);
    }

    [Fact]
    public async Task After_a_crash_writes_made_straight_to_the_tables_and_through_the_log_are_all_read_back()
    {
        var storage = await OpenAsync("main");
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1"), Write("b", 0, "b1", "e1")], CancellationToken.None);
        await storage.WriteBatchAsync([Write("a", 1, "a2", "e2") with { DueAt = Now.AddHours(1) }, Write("b", 1, "b2", "e2", "e3")], CancellationToken.None);
        await storage.WriteBatchAsync([Write("c", 0, "c1", "e1")], CancellationToken.None);
        var answers = await AnswersAsync(storage);

        var restarted = await OpenAsync(CopyAsCrashLeavesIt("main", "crashed"));

        Assert.Equal(answers, await AnswersAsync(restarted));
        Assert.Equal(2, restarted.UnfoldedGrains);
        Assert.Equal(["e3"], (await restarted.WriteBatchAsync([Write("b", 2, "b3") with { Journal = [Keyed("e3", 9)] }], CancellationToken.None))[0].DuplicateEntries);
        await restarted.FoldAllAsync(100, CancellationToken.None);
        Assert.Equal((3L, 6L, 0L), await CountRowsAsync("crashed"));
        Assert.Equal(answers, await AnswersAsync(restarted));
    }

    [Fact]
    public async Task Folds_run_in_slices_and_the_log_is_emptied_by_the_slice_that_folds_the_last_grain()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("a", 0, "a1", "ea"), Write("b", 0, "b1", "eb"), Write("c", 0, "c1", "ec")], CancellationToken.None);
        var upTo = storage.LastLogSeq;

        Assert.Equal(2, await storage.FoldAsync(upTo, 2, CancellationToken.None));
        Assert.Equal((2L, 2L, 1L), await CountRowsAsync("main"));
        Assert.Equal(1, await storage.FoldAsync(upTo, 2, CancellationToken.None));
        Assert.Equal((3L, 3L, 0L), await CountRowsAsync("main"));
        Assert.Equal(0, await storage.FoldAsync(upTo, 2, CancellationToken.None));
    }

    [Fact]
    public async Task Paced_folds_take_small_slices_spread_over_the_interval_and_fold_everything()
    {
        // 1 ms a slice, or what 2,000 grains in 1 s need between commits of one write (a few ms): at about 50 us a grain,
        // a few dozen grains a slice, spread over 0.8 s, where FoldSlice alone would fold all 2,000 at once. The fold's
        // code is compiled first on a store of its own: a first slice that pays for the JIT costs a hundred times an
        // ordinary one (the pacer takes one such slice as at most four times its estimate, FoldPacer.MaxStepFactor, but
        // on a busy machine several slow slices in a row would still teach it to fold the rest at once).
        var warmUp = await OpenAsync("warm-up", EveryCommitLogged());
        await warmUp.WriteBatchAsync([.. Enumerable.Range(0, 20).Select(i => Write($"w{i}", 0, "v1", $"e{i}"))], CancellationToken.None);
        await warmUp.FoldAllAsync(slice: null, CancellationToken.None);
        var storage = await OpenAsync("main", new StorageOptions
        {
            FoldSliceTime = TimeSpan.FromMilliseconds(1), FoldSlice = 100_000, FoldInterval = TimeSpan.FromSeconds(1), BusyCommitWrites = 1,
        });
        await storage.WriteBatchAsync([.. Enumerable.Range(0, 2000).Select(i => Write($"k{i:D4}", 0, "v1", $"e{i}"))], CancellationToken.None);
        await storage.WriteBatchAsync([Write("last", 0, "v1", "e")], CancellationToken.None);

        var started = DateTimeOffset.UtcNow;
        var result = await storage.FoldAllAsync(slice: null, CancellationToken.None);

        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(30));
        Assert.Equal(2001, result.Grains);
        Assert.InRange(result.Slices, 2, 2001);
        Assert.Equal((2001L, 2001L, 0L), await CountRowsAsync("main"));
    }

    [Fact]
    public async Task A_slice_that_failed_is_folded_again_and_the_log_is_kept_until_it_is()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("a", 0, "a1", "ea"), Write("b", 0, "b1", "eb")], CancellationToken.None);
        var upTo = storage.LastLogSeq;

        // A row for "a" that the fold does not expect: its slice fails, and is rolled back.
        await ExecuteAsync("main", "INSERT INTO grain_state (grain_type, grain_key, partition_id, version, payload, updated_at) VALUES ('test', 'a', 0, 7, x'00', 0)");
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.FoldAsync(upTo, 1, CancellationToken.None));
        await ExecuteAsync("main", "DELETE FROM grain_state WHERE grain_key = 'a'");

        // The same mark again: "a" is not passed over, and the log row goes only with the last of them.
        Assert.Equal(1, await storage.FoldAsync(upTo, 1, CancellationToken.None));
        Assert.Equal(1L, (await CountRowsAsync("main")).LogRows);
        await storage.FoldAllAsync(100, CancellationToken.None);
        Assert.Equal(0, storage.UnfoldedGrains);
        Assert.Equal((2L, 2L, 0L), await CountRowsAsync("main"));
    }

    [Fact]
    public async Task A_log_emptied_by_a_fold_numbers_its_next_row_after_the_last_one_and_folds_it()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1")], CancellationToken.None);
        await storage.FoldAllAsync(100, CancellationToken.None);
        var emptiedAt = storage.LastLogSeq;

        await storage.WriteBatchAsync([Write("a", 1, "a2", "e2")], CancellationToken.None);
        await storage.FoldAllAsync(100, CancellationToken.None);

        Assert.True(storage.LastLogSeq > emptiedAt, $"row {storage.LastLogSeq} after row {emptiedAt}");
        Assert.Equal(0, storage.UnfoldedGrains);
        Assert.Equal((1L, 2L, 0L), await CountRowsAsync("main"));
    }

    [Fact]
    public async Task After_a_crash_every_acknowledged_write_is_read_back_and_checked_against()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1") with { DueAt = Now.AddHours(1) }, Write("b", 0, "b1", "e1")], CancellationToken.None);
        await storage.WriteBatchAsync([Write("a", 1, "a2", "e2", "e3")], CancellationToken.None);
        var answers = await AnswersAsync(storage);

        var restarted = await OpenAsync(CopyAsCrashLeavesIt("main", "crashed"));

        Assert.Equal(answers, await AnswersAsync(restarted));
        Assert.False((await restarted.WriteBatchAsync([Write("a", 1, "stale")], CancellationToken.None))[0].IsCommitted);
        var duplicate = await restarted.WriteBatchAsync([Write("a", 2, "a3") with { Journal = [Keyed("e3", 5)] }], CancellationToken.None);
        Assert.Equal(["e3"], duplicate[0].DuplicateEntries);
        await restarted.FoldAllAsync(100, CancellationToken.None);
        Assert.Equal((2L, 4L, 0L), await CountRowsAsync("crashed"));
        Assert.Equal(answers, await AnswersAsync(restarted));
    }

    [Fact]
    public async Task A_write_folded_before_the_crash_is_not_applied_again_and_the_rest_is()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("a", 0, "a1", "e1"), Write("b", 0, "b1", "e1")], CancellationToken.None);
        Assert.Equal(1, await storage.FoldAsync(storage.LastLogSeq, 1, CancellationToken.None)); // "a" folded, the row kept for "b"
        Assert.Equal((1L, 1L, 1L), await CountRowsAsync("main"));

        var restarted = await OpenAsync(CopyAsCrashLeavesIt("main", "crashed"));

        Assert.Equal(1, (await restarted.ReadStateAsync(Id("b"), CancellationToken.None))!.Version);
        Assert.Equal(1, restarted.UnfoldedGrains); // "b" only
        Assert.Single(await restarted.ReadJournalAsync(Id("a"), "events", long.MaxValue, 10, CancellationToken.None));
        await restarted.FoldAllAsync(100, CancellationToken.None); // would break the journal's primary key had "a" been replayed
        Assert.Equal((2L, 2L, 0L), await CountRowsAsync("crashed"));
    }

    [Fact]
    public async Task Reads_merge_unfolded_writes_with_the_tables_in_key_order_and_page_by_page()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync([Write("k2", 0, "v1", "e1", "e2", "e3"), Write("k4", 0, "v1") with { DueAt = Now.AddHours(2) }], CancellationToken.None);
        await storage.FoldAllAsync(100, CancellationToken.None);
        await storage.WriteBatchAsync(
            [Write("k1", 0, "v1"), Write("k2", 1, "v2", "e4", "e5"), Write("k3", 0, "v1") with { DueAt = Now.AddHours(1) }, Write("k4", 1, "v2")],
            CancellationToken.None);

        var first = await storage.ReadStatesAsync("test", "", 2, CancellationToken.None);
        var rest = await storage.ReadStatesAsync("test", first[^1].Key, 10, CancellationToken.None);
        Assert.Equal([("k1", 1L), ("k2", 2L)], first.Select(r => (r.Key, r.Version)));
        Assert.Equal([("k3", 1L), ("k4", 2L)], rest.Select(r => (r.Key, r.Version)));

        var newest = await storage.ReadJournalAsync(Id("k2"), "events", long.MaxValue, 3, CancellationToken.None);
        var older = await storage.ReadJournalAsync(Id("k2"), "events", newest[^1].Seq, 10, CancellationToken.None);
        Assert.Equal(["e5", "e4", "e3"], newest.Select(e => e.EntryId));
        Assert.Equal(["e2", "e1"], older.Select(e => e.EntryId));

        // k4's due moment was cleared by its unfolded write; the table still holds the old one.
        Assert.Equal(["k3"], (await storage.ReadDueAsync(Now.AddDays(1), 10, CancellationToken.None)).Select(d => d.GrainId.Key));
        Assert.Equal(Now.AddHours(1), await storage.NextDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_next_due_moment_is_the_earliest_of_the_unfolded_grains_and_the_tables_others()
    {
        var storage = await OpenAsync("main", EveryCommitLogged());
        await storage.WriteBatchAsync(
            [
                Write("folded", 0, "v1") with { DueAt = Now.AddHours(3) }, Write("moved", 0, "v1") with { DueAt = Now.AddMinutes(10) },
                Write("later", 0, "v1") with { DueAt = Now.AddHours(7) },
            ],
            CancellationToken.None);
        await storage.FoldAllAsync(100, CancellationToken.None);
        await storage.WriteBatchAsync(
            [Write("moved", 1, "v2") with { DueAt = Now.AddHours(5) }, Write("soon", 0, "v1") with { DueAt = Now.AddHours(1) }, Write("none", 0, "v1")],
            CancellationToken.None);

        // Unfolded "soon" is first; "moved"'s table row (10 minutes) is stale, its unfolded moment is 5 hours.
        Assert.Equal(Now.AddHours(1), await storage.NextDueAsync(CancellationToken.None));

        // Now the table's first (of two not unfolded) comes before every unfolded one.
        await storage.WriteBatchAsync([Write("soon", 1, "v2") with { DueAt = Now.AddHours(4) }], CancellationToken.None);
        Assert.Equal(Now.AddHours(3), await storage.NextDueAsync(CancellationToken.None));

        await storage.WriteBatchAsync([Write("folded", 1, "v2")], CancellationToken.None);
        Assert.Equal(Now.AddHours(4), await storage.NextDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Due_grains_are_found_behind_more_stale_due_moments_than_one_page_holds()
    {
        // 300 grains whose table rows are due first but whose unfolded writes cleared their due moments: the table is
        // read past them, more than one page of them, to the grain that is due.
        var storage = await OpenAsync("main", EveryCommitLogged());
        var stale = Enumerable.Range(0, 300).Select(i => $"s{i:D3}").ToArray();
        await storage.WriteBatchAsync(
            [.. stale.Select((key, i) => Write(key, 0, "v1") with { DueAt = Now.AddMinutes(i) }), Write("late", 0, "v1") with { DueAt = Now.AddHours(6) }],
            CancellationToken.None);
        await storage.FoldAllAsync(1000, CancellationToken.None);
        await storage.WriteBatchAsync([.. stale.Select(key => Write(key, 1, "v2"))], CancellationToken.None);

        Assert.Equal(["late"], (await storage.ReadDueAsync(Now.AddDays(1), 1, CancellationToken.None)).Select(d => d.GrainId.Key));
        Assert.Equal(Now.AddHours(6), await storage.NextDueAsync(CancellationToken.None));
        Assert.Empty(await storage.ReadDueAsync(Now.AddHours(5), 10, CancellationToken.None));
    }

    /// <summary>Every group commit through the log, however small (the tests of the log itself).</summary>
    private static StorageOptions EveryCommitLogged() => new() { BusyCommitWrites = 1 };

    private async Task<SqlGrainStorage> OpenAsync(string folder, StorageOptions? options = null, TimeProvider? time = null)
    {
        options ??= new StorageOptions();
        options.ConnectionString = ConnectionString(folder);
        options.CommitLog = true;
        var storage = RuntimeServiceCollectionExtensions.CreateStorage(options, time ?? TimeProvider.System);
        _storages.Add(storage);
        await storage.MigrateAsync(CancellationToken.None);
        return storage;
    }

    private string ConnectionString(string folder) => $"Data Source={Path.Combine(_directory.Path, folder, "customers.db")}";

    /// <summary>The database file and its write-ahead log as they are on disk between two commits.</summary>
    private string CopyAsCrashLeavesIt(string from, string to)
    {
        var source = Path.Combine(_directory.Path, from);
        var target = Directory.CreateDirectory(Path.Combine(_directory.Path, to)).FullName;
        foreach (var file in new[] { "customers.db", "customers.db-wal" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(target, file));
        }

        return to;
    }

    private async Task ExecuteAsync(string folder, string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString(folder));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows of grain_state, grain_journal and commit_log, read from the file.</summary>
    private async Task<(long States, long Entries, long LogRows)> CountRowsAsync(string folder)
    {
        await using var connection = new SqliteConnection(ConnectionString(folder));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM grain_state), (SELECT count(*) FROM grain_journal), (SELECT count(*) FROM commit_log)";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Everything a reader can ask of grains a and b, as one comparable text.</summary>
    private static async Task<string> AnswersAsync(SqlGrainStorage storage)
    {
        var text = new StringBuilder();
        foreach (var key in new[] { "a", "b" })
        {
            var state = await storage.ReadStateAsync(Id(key), CancellationToken.None);
            text.Append($"{key}: v{state?.Version} {(state is null ? "" : Encoding.UTF8.GetString(state.Payload))} due {state?.DueAt:O}; ");
            foreach (var entry in await storage.ReadJournalAsync(Id(key), "events", long.MaxValue, 100, CancellationToken.None))
            {
                text.Append($"{entry.Seq}:{entry.EntryId}@{entry.RecordedAt:O}:{Encoding.UTF8.GetString(entry.Payload)} ");
            }

            text.Append(string.Join(',', (await storage.FindJournalEntriesAsync(Id(key), "events", ["e1", "e2", "e3", "x"], CancellationToken.None)).Order(StringComparer.Ordinal)));
            text.Append('\n');
        }

        text.Append(string.Join(',', (await storage.ReadStatesAsync("test", "", 100, CancellationToken.None)).Select(r => $"{r.Key}@{r.Version}")));
        text.Append($" due {string.Join(',', (await storage.ReadDueAsync(Now.AddYears(1), 10, CancellationToken.None)).Select(d => d.GrainId.Key))}");
        return text.ToString();
    }

    private static GrainId Id(string key) => new("test", key);

    private static JournalEntry Keyed(string entryId, long seq) => new("events", seq, entryId, Now, Encoding.UTF8.GetBytes($"\"{entryId}\""), Idempotent: true);

    private static StateWrite Write(string key, long expectedVersion, string payload, params string[] eventIds) => new(
        Id(key), new PartitionMap().PartitionOf(key), expectedVersion, Encoding.UTF8.GetBytes(payload), Now,
        [.. eventIds.Select((id, i) => Keyed(id, expectedVersion * 10 + i + 1))]);
}
