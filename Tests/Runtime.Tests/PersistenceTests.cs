using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;
using CustomerActors.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Tests;

/// <summary>Storage that can be told to fail, around the real SQLite storage; records the size of every group commit.</summary>
public sealed class FaultyStorage(IGrainStorage inner) : IGrainStorage
{
    public volatile bool FailWrites;
    public List<int> BatchSizes { get; } = [];

    /// <summary>Every write handed to the store, in order (locked by <see cref="BatchSizes"/>).</summary>
    public List<StateWrite> Writes { get; } = [];

    /// <summary>When set, the next commit waits for it: lets a test queue several writes behind one commit.</summary>
    public Task? Gate { get; set; }

    /// <summary>What the store says it takes at once (the store inside is not asked: a test decides).</summary>
    public int CommitsInFlight { get; init; } = 1;

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task<StoredState?> ReadStateAsync(GrainId grainId, CancellationToken cancellationToken) => inner.ReadStateAsync(grainId, cancellationToken);

    public async Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        if (Gate is { } gate)
        {
            Gate = null;
            await gate;
        }

        lock (BatchSizes)
        {
            BatchSizes.Add(writes.Count);
            Writes.AddRange(writes);
        }

        return FailWrites
            ? throw new StorageUnavailableException("injected: disk unavailable")
            : await inner.WriteBatchAsync(writes, cancellationToken);
    }

    public Task<IReadOnlySet<string>> FindJournalEntriesAsync(GrainId grainId, string stream, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken) =>
        inner.FindJournalEntriesAsync(grainId, stream, entryIds, cancellationToken);

    public Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainId grainId, string stream, long beforeSeq, int limit, CancellationToken cancellationToken) =>
        inner.ReadJournalAsync(grainId, stream, beforeSeq, limit, cancellationToken);

    public Task<IReadOnlyList<StoredStateRow>> ReadStatesAsync(string grainType, string afterKey, int limit, CancellationToken cancellationToken) =>
        inner.ReadStatesAsync(grainType, afterKey, limit, cancellationToken);

    public Task<IReadOnlyList<DueGrain>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) => inner.ReadDueAsync(now, limit, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => inner.NextDueAsync(cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadOutboxAsync(OutboxQuery query, CancellationToken cancellationToken) => inner.ReadOutboxAsync(query, cancellationToken);

    public Task<long> LastOutboxSeqAsync(CancellationToken cancellationToken) => inner.LastOutboxSeqAsync(cancellationToken);

    public Task<StoredMessage?> ReadOutboxMessageAsync(string messageId, CancellationToken cancellationToken) => inner.ReadOutboxMessageAsync(messageId, cancellationToken);

    public Task SetMessageStatusAsync(MessageStatusChange change, CancellationToken cancellationToken) => inner.SetMessageStatusAsync(change, cancellationToken);

    public Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
}

public sealed class PersistenceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TestSilo> StartAsync(Action<IServiceCollection>? configure = null, bool commitLog = false) =>
        TestSilo.StartAsync(_directory.SqliteConnectionString(), configure: configure,
            settings: new Dictionary<string, string?> { ["Storage:CommitLog"] = commitLog ? "true" : "false" });

    private static void WithFaultyStorage(IServiceCollection services)
    {
        services.AddSingleton(sp => new FaultyStorage(RuntimeServiceCollectionExtensions.CreateStorage(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, TimeProvider.System)));
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<FaultyStorage>());
    }

    [Fact]
    public async Task A_failed_write_leaves_no_state_in_memory_that_differs_from_storage()
    {
        await using var silo = await StartAsync(WithFaultyStorage);
        var storage = silo.Services.GetRequiredService<FaultyStorage>();
        var counter = silo.Grains.GetGrain<ICounterGrain>("fragile");
        Assert.Equal(1, await counter.IncrementAsync());

        storage.FailWrites = true;
        await Assert.ThrowsAsync<StorageUnavailableException>(() => counter.IncrementAsync());
        storage.FailWrites = false;

        Assert.Equal(1, await counter.GetAsync());
        Assert.Equal(2, await counter.IncrementAsync());
    }

    [Fact]
    public async Task A_released_state_is_decoded_again_from_what_was_stored_and_unsaved_changes_go_with_it()
    {
        await using var silo = await StartAsync();
        var states = silo.Services.GetRequiredService<PersistentStateFactory>();
        var state = states.Create(new StandaloneContext(new GrainId("counter", "released")), TestJsonContext.Default.CounterState, static () => new CounterState());
        await state.ReadStateAsync();
        state.State.Value = 7;
        await state.WriteStateAsync();
        var written = state.State;

        state.State.Unsaved = 5; // never written
        state.Release();

        Assert.NotSame(written, state.State);
        Assert.Equal((7, 0), (state.State.Value, state.State.Unsaved));
        Assert.Equal(1, state.Version);
        state.State.Value = 8;
        await state.WriteStateAsync();
        state.Release();
        Assert.Equal(8, state.State.Value);
        Assert.Equal(8, await ReadStoredValueAsync(silo, "released"));
    }

    [Fact]
    public async Task The_stored_form_is_offered_only_while_the_state_is_not_decoded_and_holds_what_was_written()
    {
        await using var silo = await StartAsync();
        var states = silo.Services.GetRequiredService<PersistentStateFactory>();
        var state = states.Create(new StandaloneContext(new GrainId("counter", "stored")), TestJsonContext.Default.CounterState, static () => new CounterState());
        await state.ReadStateAsync();
        Assert.False(state.TryGetStored(out _));   // nothing stored yet

        state.State.Value = 3;
        await state.WriteStateAsync();
        Assert.False(state.TryGetStored(out _));   // decoded: the grain's state is the live object

        state.Release();
        Assert.True(state.TryGetStored(out var stored));
        Assert.Equal(3, System.Text.Json.JsonSerializer.Deserialize(stored.Span, TestJsonContext.Default.CounterState)!.Value);

        // A state read from storage is decoded only when used.
        var reloaded = states.Create(new StandaloneContext(new GrainId("counter", "stored")), TestJsonContext.Default.CounterState, static () => new CounterState());
        await reloaded.ReadStateAsync();
        Assert.True(reloaded.TryGetStored(out _));
        Assert.Equal(3, reloaded.State.Value);
        Assert.False(reloaded.TryGetStored(out _));
    }

    [Fact]
    public async Task A_state_written_and_released_is_let_go_while_its_commit_waits_and_decodes_what_was_written_after()
    {
        await using var silo = await StartAsync(WithFaultyStorage);
        var storage = silo.Services.GetRequiredService<FaultyStorage>();
        var states = silo.Services.GetRequiredService<PersistentStateFactory>();
        var state = states.Create(new StandaloneContext(new GrainId("counter", "let-go")), TestJsonContext.Default.CounterState, static () => new CounterState());
        await state.ReadStateAsync();
        state.State.Value = 1;
        await state.WriteStateAsync();

        var gate = new TaskCompletionSource();
        storage.Gate = gate.Task;
        var written = state.State;
        written.Value = 2;
        var write = state.WriteStateAndReleaseAsync();
        await Eventually.TrueAsync(() => storage.Gate is null, "the commit to wait at the gate");

        // Waiting: the decoded object is let go; what is offered is what storage holds so far.
        Assert.False(write.IsCompleted);
        Assert.True(state.TryGetStored(out var before));
        Assert.Equal(1, System.Text.Json.JsonSerializer.Deserialize(before.Span, TestJsonContext.Default.CounterState)!.Value);

        gate.SetResult();
        await write;
        Assert.True(state.TryGetStored(out _));
        Assert.NotSame(written, state.State);
        Assert.Equal(2, state.State.Value);
        Assert.Equal(2, state.Version);
        var stored = await storage.ReadStateAsync(new GrainId("counter", "let-go"), CancellationToken.None);
        Assert.Equal(2, System.Text.Json.JsonSerializer.Deserialize(stored!.Payload, TestJsonContext.Default.CounterState)!.Value);
    }

    [Fact]
    public async Task A_write_says_it_keeps_its_due_moment_only_when_the_stored_row_holds_that_moment()
    {
        await using var silo = await StartAsync(WithFaultyStorage);
        var storage = silo.Services.GetRequiredService<FaultyStorage>();
        var states = silo.Services.GetRequiredService<PersistentStateFactory>();
        var due = DateTimeOffset.UtcNow.AddDays(1);
        var state = states.Create(new StandaloneContext(new GrainId("counter", "due")), TestJsonContext.Default.CounterState, static () => new CounterState());
        await state.ReadStateAsync();

        state.DueAt = due;
        await state.WriteStateAsync(); // first write: no stored row yet
        await state.WriteStateAsync(); // same moment
        state.DueAt = due.AddHours(1);
        await state.WriteStateAsync(); // moved
        var reloaded = states.Create(new StandaloneContext(new GrainId("counter", "due")), TestJsonContext.Default.CounterState, static () => new CounterState());
        await reloaded.ReadStateAsync();
        await reloaded.WriteStateAsync(); // the moment as read back
        reloaded.DueAt = null;
        await reloaded.WriteStateAsync(); // cleared

        Assert.Equal([false, true, false, true, false], storage.Writes.Select(w => w.KeepsDueAt));
        Assert.Null((await storage.ReadStateAsync(new GrainId("counter", "due"), CancellationToken.None))!.DueAt);
    }

    private sealed class StandaloneContext(GrainId grainId) : IGrainContext
    {
        public GrainId GrainId => grainId;

        public int Partition => 0;

        public void DeactivateOnIdle()
        {
        }

        public void InvalidateState()
        {
        }
    }

    [Fact]
    public async Task Commits_leave_the_log_to_the_background_checkpointer_which_copies_it_into_the_database_file()
    {
        await using var silo = await StartAsync(); // default interval: 1 s
        var database = new FileInfo(Path.Combine(_directory.Path, "customers.db"));
        await Eventually.TrueAsync(() => silo.Services.GetRequiredService<SqlGrainStorage>().IsMigrated, "the schema to be migrated");
        database.Refresh();
        var before = database.Length;
        for (var i = 0; i < 200; i++)
        {
            await silo.Grains.GetGrain<ICounterGrain>($"wal-{i}").IncrementAsync($"entry-{i}");
        }

        // Commits do not checkpoint (wal_autocheckpoint = 0): what they wrote reaches the database file only through
        // the checkpointer, which runs on its own connection, outside any commit.
        await using (var connection = await silo.Services.GetRequiredService<SqlGrainStorage>().Dialect.OpenConnectionAsync(CancellationToken.None))
        {
            await using var setting = connection.CreateCommand();
            setting.CommandText = "PRAGMA wal_autocheckpoint";
            Assert.Equal(0L, await setting.ExecuteScalarAsync());
        }

        await Eventually.TrueAsync(() =>
        {
            database.Refresh();
            return database.Length > before;
        }, "the checkpointer to copy the log into the database file", timeout: TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_conflicting_write_from_a_second_silo_is_detected_and_overwrites_nothing()
    {
        // Same database: simulates two owners during a failover (the embedded store's file can be shared without its
        // commit log; with it, the second is refused, below).
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var a = first.Grains.GetGrain<ICounterGrain>("contended");
        var b = second.Grains.GetGrain<ICounterGrain>("contended");
        await a.GetAsync();
        await b.GetAsync(); // both activations read "nothing stored"

        Assert.Equal(1, await a.IncrementAsync());
        await Assert.ThrowsAsync<InconsistentStateException>(() => b.IncrementAsync());
        Assert.Equal(2, await a.IncrementAsync());

        // The loser reloads instead of keeping its divergent copy.
        Assert.Equal(2, await b.GetAsync());
        Assert.Equal(2, await ReadStoredValueAsync(first, "contended"));
    }

    [Fact]
    public async Task A_second_silo_on_the_file_of_one_running_with_its_commit_log_is_refused_until_the_first_stops()
    {
        var first = await StartAsync(commitLog: true);
        Assert.Equal(1, await first.Grains.GetGrain<ICounterGrain>("owned").IncrementAsync());

        await using (var second = await StartAsync(commitLog: true))
        {
            // Its writes would be invisible here until folded, and its version checks blind to them.
            var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => second.Grains.GetGrain<ICounterGrain>("owned").GetAsync());
            Assert.Contains("in use by another process", refused.Message, StringComparison.Ordinal);
        }

        await first.DisposeAsync();
        await using var next = await StartAsync(commitLog: true);
        Assert.Equal(2, await next.Grains.GetGrain<ICounterGrain>("owned").IncrementAsync());
    }

    [Fact]
    public async Task Writes_of_many_grains_are_committed_together()
    {
        await using var silo = await StartAsync(WithFaultyStorage);
        var storage = silo.Services.GetRequiredService<FaultyStorage>();

        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => silo.Grains.GetGrain<ICounterGrain>($"k{i}").IncrementAsync()));

        lock (storage.BatchSizes)
        {
            Assert.Equal(2000, storage.BatchSizes.Sum());
            Assert.True(storage.BatchSizes.Max() > 1, "at least one commit carried several grains' writes");
            Assert.True(storage.BatchSizes.Count < 2000, $"{storage.BatchSizes.Count} commits for 2000 writes");
        }
    }

    [Fact]
    public async Task State_is_stored_with_its_partition()
    {
        await using (var silo = await StartAsync())
        {
            await silo.Grains.GetGrain<ICounterGrain>("C001").IncrementAsync();
        }

        await using var connection = new SqliteConnection(_directory.SqliteConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT partition_id, version FROM grain_state WHERE grain_type = 'counter' AND grain_key = 'C001'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(new PartitionMap().PartitionOf("C001"), reader.GetInt32(0));
        Assert.Equal(1, reader.GetInt64(1));
    }

    private static async Task<int> ReadStoredValueAsync(TestSilo silo, string key)
    {
        var stored = await silo.Services.GetRequiredService<SqlGrainStorage>().ReadStateAsync(new GrainId("counter", key), CancellationToken.None);
        return System.Text.Json.JsonSerializer.Deserialize(stored!.Payload, TestJsonContext.Default.CounterState)!.Value;
    }
}
