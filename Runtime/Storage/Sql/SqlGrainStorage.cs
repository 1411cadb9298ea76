using System.Data.Common;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage.Sql.CommitLog;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// Grain storage over SQL: the same code for SQLite and PostgreSQL, each with its own SQL files. Until the
/// schema is migrated every call fails with <see cref="StorageUnavailableException"/>.
/// </summary>
public sealed partial class SqlGrainStorage : IGrainStorage, IDocumentStore, IDeliveryLog, IAsyncDisposable
{
    private readonly ISqlDialect _dialect;
    private readonly SqlScripts _scripts;
    private readonly TimeProvider _time;
    private volatile bool _migrated;

    /// <param name="options">Where <see cref="StorageOptions.CommitLog"/> is asked for (SQLite); null: the tables written directly.</param>
    public SqlGrainStorage(ISqlDialect dialect, SqlScripts scripts, TimeProvider time, StorageOptions? options = null)
    {
        _dialect = dialect;
        _scripts = scripts;
        _time = time;
        UseCommitLog(options);
        CommitsInFlight = dialect is PostgresDialect && options is not null ? options.CommitsInFlight : 1;
        _stateReads = new GroupedReads<GrainId, StoredState>(dialect is SqliteDialect ? ReadSqliteStatesAsync : ReadStatesOfAsync);
    }

    /// <summary>State reads of grains activating together, read together (<see cref="GroupedReads{TKey, TRow}"/>).</summary>
    private readonly GroupedReads<GrainId, StoredState> _stateReads;

    /// <summary>Groups of state reads that reached the tables so far.</summary>
    internal long StateReadGroups => _stateReads.Batches;

    // Group commits and checkpoints that must not overlap one take turns here (LogCheckpoint.BetweenCommits, Restart).
    // Not inside SQLite: a commit that waits there for the write lock sleeps in its busy handler's fixed steps (1, 2,
    // 5, ... 25, 50, 100 ms: cumulative 78, 103, 128 ms) and so oversleeps whatever it waited for.
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    public ISqlDialect Dialect => _dialect;

    public SqlScripts Scripts => _scripts;

    public bool IsMigrated => _migrated;

    public Task MigrateAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_scripts.Has("prepare_database"))
        {
            await using var prepare = SqlExecution.Command(connection, _scripts["prepare_database"]);
            await prepare.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // One starter at a time: the lock comes first, then everything else in the same transaction.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, _scripts["migration_lock"], cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, _scripts["bootstrap"], cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var query = SqlExecution.Command(connection, _scripts["applied_migrations"]))
        {
            query.Transaction = transaction;
            await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var migration in _scripts.Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = SqlExecution.Command(connection, _scripts["record_migration"],
                ("@version", migration.Version), ("@name", migration.Name), ("@applied_at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
            record.Transaction = transaction;
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _migrated = true;
        return true;
    });

    public Task<StoredState?> ReadStateAsync(GrainId grainId, CancellationToken cancellationToken) => Guard(async () =>
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (_unfolded?.ReadState(grainId) is { } unfolded)
        {
            return unfolded;
        }

        return await _stateReads.ReadAsync(grainId, cancellationToken).ConfigureAwait(false);
    });

    /// <summary>PostgreSQL: the states of <paramref name="grainIds"/>, in order (null: none stored), in one query and one round trip.</summary>
    private async Task<StoredState?[]> ReadStatesOfAsync(GrainId[] grainIds, CancellationToken cancellationToken)
    {
        var states = new StoredState?[grainIds.Length];
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["read_states_of"],
            ("@grain_types", grainIds.Select(id => id.Type).ToArray()), ("@grain_keys", grainIds.Select(id => id.Key).ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            states[reader.GetInt64(0) - 1] = new StoredState(reader.GetInt64(1), reader.GetFieldValue<byte[]>(2),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        }

        return states;
    }

    /// <summary>SQLite: the states of <paramref name="grainIds"/>, in order (null: none stored), read in one snapshot with one prepared statement.</summary>
    private async Task<StoredState?[]> ReadSqliteStatesAsync(GrainId[] grainIds, CancellationToken cancellationToken)
    {
        await using var connection = (SqliteConnection)await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Deferred: a read transaction (BEGIN IMMEDIATE, the default here, would take the write lock from the writer).
        await using var snapshot = connection.BeginTransaction(deferred: true);
        return SqlitePreparedStatements.QueryRows(connection,
            [.. grainIds.Select(id => new SqlStatement(_scripts["read_state"], [("@grain_type", id.Type), ("@grain_key", id.Key)]))],
            static row => new StoredState(
                raw.sqlite3_column_int64(row, 0),
                raw.sqlite3_column_blob(row, 1).ToArray(),
                raw.sqlite3_column_type(row, 2) == raw.SQLITE_NULL ? null : DateTimeOffset.FromUnixTimeMilliseconds(raw.sqlite3_column_int64(row, 2))));
    }

    /// <summary>PostgreSQL: <see cref="StorageOptions.CommitsInFlight"/>; SQLite: 1, its file has one writer.</summary>
    public int CommitsInFlight { get; }

    /// <summary>With commits in flight: the order they commit in.</summary>
    private readonly CommitOrder _commitOrder = new();

    public Task<IReadOnlyList<WriteOutcome>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        return CommitsInFlight > 1 ? WriteBatchBehindAsync(writes, cancellationToken) : Guard(async () =>
        {
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            await _writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var started = Stopwatch.GetTimestamp();
                var outcomes = await WriteBatchInTurnAsync(writes, Task.CompletedTask, cancellationToken).ConfigureAwait(false);
                _pacer?.CommitTook(Stopwatch.GetElapsedTime(started));
                return outcomes;
            }
            finally
            {
                _writeTurn.Release();
            }
        });
    }

    /// <summary>
    /// A batch while others may be under way (PostgreSQL with <see cref="StorageOptions.CommitsInFlight"/> above 1): its
    /// states and journal entries go to the server at once, on a connection and in a transaction of its own; its outbox
    /// messages and its commit wait until every batch handed over before it is done (<see cref="CommitOrder"/>). So
    /// batches commit in the order they were handed over, and an outbox message never becomes visible before one with a
    /// lower position: a reader that has read up to a position has seen everything below it. The place is taken in the
    /// call itself, before any await.
    /// </summary>
    private async Task<IReadOnlyList<WriteOutcome>> WriteBatchBehindAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        var place = _commitOrder.Enter(writes);
        try
        {
            if (place.SharesGrains)
            {
                await place.Before.ConfigureAwait(false);
            }

            return await Guard(async () =>
            {
                await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
                return await WriteBatchInTurnAsync(writes, place.Before, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            await place.LeaveAsync().ConfigureAwait(false);
        }
    }

    /// <param name="before">Done when every batch handed over before this one is done: its outbox messages and commit wait for it.</param>
    private async Task<IReadOnlyList<WriteOutcome>> WriteBatchInTurnAsync(IReadOnlyList<StateWrite> writes, Task before, CancellationToken cancellationToken)
    {
        var setBased = _scripts.Has("write_states_bulk") && writes.Select(w => w.GrainId).Distinct().Count() == writes.Count;
        var outcomes = new WriteOutcome?[writes.Count];

        // A write that meets an idempotent entry already journaled is refused whole: the transaction, which holds some
        // of its rows by then, is rolled back, and the other writes are committed again without it.
        int[] pending;
        while ((pending = [.. Enumerable.Range(0, writes.Count).Where(i => outcomes[i] is null)]).Length > 0)
        {
            var subset = pending.Select(i => writes[i]).ToArray();
            var (committed, attempt) = HasCommitLog
                ? await AttemptLoggedAsync(subset, cancellationToken).ConfigureAwait(false)
                : setBased
                ? await AttemptSetBasedAsync(subset, before, cancellationToken).ConfigureAwait(false)
                : await AttemptRowByRowAsync(subset, before, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < pending.Length; j++)
            {
                if (committed || attempt[j].DuplicateEntries.Count > 0)
                {
                    outcomes[pending[j]] = attempt[j];
                }
            }
        }

        return (IReadOnlyList<WriteOutcome>)outcomes!;
    }

    /// <summary>
    /// One transaction: phase 1 version-checked state writes; phase 2 the journals of the writes whose check passed;
    /// phase 3, once <paramref name="before"/> is done, their outbox messages. Not committed (and false) when some write
    /// met an entry already journaled.
    /// </summary>
    private async Task<(bool Committed, WriteOutcome[] Outcomes)> AttemptRowByRowAsync(StateWrite[] writes, Task before, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var affected = await SqlExecution.ExecuteAllAsync(connection, transaction, [.. writes.Select(StateStatement)], cancellationToken).ConfigureAwait(false);
        var matched = affected.Select(rows => rows == 1).ToArray();

        var journal = JournalOfMatched(writes, matched);
        var appended = await SqlExecution.ExecuteAllAsync(connection, transaction,
            [.. journal.Select(j => JournalStatement(writes[j.Write].GrainId, j.Entry))], cancellationToken).ConfigureAwait(false);
        var duplicates = Duplicates(writes.Length, journal.Where((j, k) => j.Entry.Idempotent && appended[k] == 0).Select(j => (j.Write, j.Entry.EntryId)));
        if (duplicates is not null)
        {
            return (false, Outcomes(matched, duplicates));
        }

        await before.ConfigureAwait(false);
        await SqlExecution.ExecuteAllAsync(connection, transaction,
            [.. OutboxOfMatched(writes, matched).Select(o => OutboxStatement(o.GrainId, o.Message))], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (true, Outcomes(matched, duplicates: null));
    }

    /// <summary>
    /// The same transaction as one statement per table (states, journal, outbox) with array parameters, where the
    /// provider has the scripts for it (PostgreSQL): a few statements per commit instead of one per row. Used only
    /// when every grain appears once in the batch, so that each write is checked against the stored row alone. The
    /// outbox messages and the commit wait for <paramref name="before"/>.
    /// </summary>
    private async Task<(bool Committed, WriteOutcome[] Outcomes)> AttemptSetBasedAsync(StateWrite[] writes, Task before, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var passed = new HashSet<GrainId>();
        await using (var states = SqlExecution.Command(connection, _scripts["write_states_bulk"],
            ("@grain_types", writes.Select(w => w.GrainId.Type).ToArray()),
            ("@grain_keys", writes.Select(w => w.GrainId.Key).ToArray()),
            ("@partition_ids", writes.Select(w => w.Partition).ToArray()),
            ("@expected_versions", writes.Select(w => w.ExpectedVersion).ToArray()),
            ("@payloads", writes.Select(w => Bytes(w.Payload)).ToArray()),
            ("@updated_ats", writes.Select(w => w.WrittenAt.ToUnixTimeMilliseconds()).ToArray()),
            ("@due_ats", writes.Select(w => w.DueAt?.ToUnixTimeMilliseconds()).ToArray())))
        {
            states.Transaction = transaction;
            await using var reader = await states.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                passed.Add(new GrainId(reader.GetString(0), reader.GetString(1)));
            }
        }

        var matched = writes.Select(w => passed.Contains(w.GrainId)).ToArray();
        var journal = JournalOfMatched(writes, matched);
        var plain = journal.Where(j => !j.Entry.Idempotent).ToArray();
        if (plain.Length > 0)
        {
            await using var append = JournalArrayCommand(connection, "append_journal_bulk", writes, plain);
            append.Transaction = transaction;
            await append.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var keyed = journal.Where(j => j.Entry.Idempotent).ToArray();
        if (keyed.Length > 0)
        {
            var inserted = new HashSet<(string Type, string Key, string Stream, string EntryId)>();
            await using (var append = JournalArrayCommand(connection, "append_journal_idempotent_bulk", writes, keyed))
            {
                append.Transaction = transaction;
                await using var reader = await append.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    inserted.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
                }
            }

            var duplicates = Duplicates(writes.Length, keyed
                .Where(j => !inserted.Contains((writes[j.Write].GrainId.Type, writes[j.Write].GrainId.Key, j.Entry.Stream, j.Entry.EntryId)))
                .Select(j => (j.Write, j.Entry.EntryId)));
            if (duplicates is not null)
            {
                return (false, Outcomes(matched, duplicates));
            }
        }

        await before.ConfigureAwait(false);
        var outbox = OutboxOfMatched(writes, matched);
        if (outbox.Length > 0)
        {
            await using var append = SqlExecution.Command(connection, _scripts["append_outbox_bulk"],
                ("@message_ids", outbox.Select(o => o.Message.MessageId).ToArray()),
                ("@topics", outbox.Select(o => o.Message.Topic).ToArray()),
                ("@labels", outbox.Select(o => o.Message.Label).ToArray()),
                ("@grain_types", outbox.Select(o => o.GrainId.Type).ToArray()),
                ("@grain_keys", outbox.Select(o => o.GrainId.Key).ToArray()),
                ("@created_ats", outbox.Select(o => o.Message.CreatedAt.ToUnixTimeMilliseconds()).ToArray()),
                ("@payloads", outbox.Select(o => Bytes(o.Message.Payload)).ToArray()));
            append.Transaction = transaction;
            await append.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (true, Outcomes(matched, duplicates: null));
    }

    /// <summary>The journal entries of the writes whose version check passed, each with its write's index.</summary>
    private static (int Write, JournalEntry Entry)[] JournalOfMatched(StateWrite[] writes, bool[] matched) =>
        [.. writes.SelectMany((write, i) => matched[i] ? write.Journal.Select(entry => (i, entry)) : [])];

    /// <summary>The outbox messages of the writes whose version check passed, each with its grain.</summary>
    private static (GrainId GrainId, OutboxMessage Message)[] OutboxOfMatched(StateWrite[] writes, bool[] matched) =>
        [.. writes.SelectMany((write, i) => matched[i] ? (write.Outbox ?? []).Select(message => (write.GrainId, message)) : [])];

    private DbCommand JournalArrayCommand(DbConnection connection, string script, StateWrite[] writes, (int Write, JournalEntry Entry)[] journal) =>
        SqlExecution.Command(connection, _scripts[script],
            ("@grain_types", journal.Select(j => writes[j.Write].GrainId.Type).ToArray()),
            ("@grain_keys", journal.Select(j => writes[j.Write].GrainId.Key).ToArray()),
            ("@streams", journal.Select(j => j.Entry.Stream).ToArray()),
            ("@seqs", journal.Select(j => j.Entry.Seq).ToArray()),
            ("@entry_ids", journal.Select(j => j.Entry.EntryId).ToArray()),
            ("@recorded_ats", journal.Select(j => j.Entry.RecordedAt.ToUnixTimeMilliseconds()).ToArray()),
            ("@payloads", journal.Select(j => Bytes(j.Entry.Payload)).ToArray()));

    /// <summary>Per write, the idempotent entry ids found already journaled; null when there are none at all.</summary>
    private static List<string>?[]? Duplicates(int writes, IEnumerable<(int Write, string EntryId)> found)
    {
        List<string>?[]? duplicates = null;
        foreach (var (write, entryId) in found)
        {
            ((duplicates ??= new List<string>?[writes])[write] ??= []).Add(entryId);
        }

        return duplicates;
    }

    private static WriteOutcome[] Outcomes(bool[] matched, List<string>?[]? duplicates) =>
    [
        .. matched.Select((ok, i) => duplicates?[i] is { } ids ? WriteOutcome.Duplicates(ids)
            : ok ? WriteOutcome.Committed : WriteOutcome.VersionConflict),
    ];

    public async Task<IReadOnlySet<string>> FindJournalEntriesAsync(GrainId grainId, string stream, IReadOnlyCollection<string> entryIds, CancellationToken cancellationToken) =>
        (await FindJournalEntriesAsync([new JournalLookup(grainId, stream, entryIds)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>For each lookup (one query per grain type and stream), which of its entry ids its journal holds.</summary>
    private Task<IReadOnlyList<IReadOnlySet<string>>> FindJournalEntriesAsync(IReadOnlyList<JournalLookup> lookups, CancellationToken cancellationToken) => Guard(async () =>
    {
        ArgumentNullException.ThrowIfNull(lookups);
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var found = lookups.Select(_ => new HashSet<string>(StringComparer.Ordinal)).ToArray();
        for (var i = 0; i < lookups.Count; i++)
        {
            _unfolded?.FindEntries(lookups[i].GrainId, lookups[i].Stream, lookups[i].EntryIds, found[i]);
        }

        var groups = lookups.Select((lookup, index) => (lookup, index)).Where(l => l.lookup.EntryIds.Count > 0)
            .GroupBy(l => (l.lookup.GrainId.Type, l.lookup.Stream)).ToList();
        if (groups.Count == 0)
        {
            return (IReadOnlyList<IReadOnlySet<string>>)found;
        }

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in groups)
        {
            // One query for the whole group: parallel lists of (grain key, entry id) pairs.
            var keys = new List<string>();
            var ids = new List<string>();
            var askers = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var (lookup, index) in group)
            {
                if (!askers.TryGetValue(lookup.GrainId.Key, out var indexes))
                {
                    askers[lookup.GrainId.Key] = indexes = [];
                }

                indexes.Add(index);
                foreach (var id in lookup.EntryIds)
                {
                    keys.Add(lookup.GrainId.Key);
                    ids.Add(id);
                }
            }

            await using var command = SqlExecution.Command(connection, _scripts["find_journal_entries"],
                [("@grain_type", group.Key.Type), ("@stream", group.Key.Stream), .. _dialect.PairListParameters(keys, ids)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (key, id) = (reader.GetString(0), reader.GetString(1));
                foreach (var index in askers[key].Where(i => lookups[i].EntryIds.Contains(id)))
                {
                    found[index].Add(id);
                }
            }
        }

        return (IReadOnlyList<IReadOnlySet<string>>)found;
    });

    public Task<IReadOnlyList<StoredJournalEntry>> ReadJournalAsync(GrainId grainId, string stream, long beforeSeq, int limit, CancellationToken cancellationToken) => Guard(async () =>
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);

        // The newest entries may not be folded yet; the table holds everything below them.
        var entries = _unfolded?.ReadJournal(grainId, stream, beforeSeq, limit) ?? [];
        if (entries.Count == limit)
        {
            return (IReadOnlyList<StoredJournalEntry>)entries;
        }

        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["read_journal"],
            ("@grain_type", grainId.Type), ("@grain_key", grainId.Key), ("@stream", stream),
            ("@before_seq", entries.Count > 0 ? entries[^1].Seq : beforeSeq), ("@limit", limit - entries.Count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new StoredJournalEntry(
                reader.GetInt64(0),
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.GetFieldValue<byte[]>(3)));
        }

        return (IReadOnlyList<StoredJournalEntry>)entries;
    });

    public Task<IReadOnlyList<StoredStateRow>> ReadStatesAsync(string grainType, string afterKey, int limit, CancellationToken cancellationToken) => Guard(async () =>
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        var unfolded = _unfolded?.StatesAfter(grainType, afterKey, limit);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["read_states"], ("@grain_type", grainType), ("@after_key", afterKey), ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredStateRow>(limit);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new StoredStateRow(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<byte[]>(2)));
        }

        if (unfolded is not { Count: > 0 })
        {
            return (IReadOnlyList<StoredStateRow>)rows;
        }

        // Unfolded states replace the table's rows of the same keys and join them in key order.
        var replaced = unfolded.Select(u => u.Key).ToHashSet(StringComparer.Ordinal);
        var merged = unfolded.Concat(rows.Where(r => !replaced.Contains(r.Key)))
            .OrderBy(r => r.Key, Utf8Order.Instance).Take(limit).ToList();
        return (IReadOnlyList<StoredStateRow>)merged;
    });

    public Task<bool> TryAddAsync(string kind, StoredDocument document, CancellationToken cancellationToken) => Guard(async () =>
    {
        ArgumentNullException.ThrowIfNull(document);
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["insert_document"],
            ("@kind", kind), ("@version", document.Version), ("@body", document.Body), ("@created_at", document.CreatedAt.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    });

    public Task<StoredDocument?> ReadAsync(string kind, int version, CancellationToken cancellationToken) =>
        ReadDocumentAsync("read_document", cancellationToken, ("@kind", kind), ("@version", version));

    public Task<StoredDocument?> ReadLatestAsync(string kind, CancellationToken cancellationToken) =>
        ReadDocumentAsync("read_latest_document", cancellationToken, ("@kind", kind));

    public Task<IReadOnlyList<DocumentVersion>> ListAsync(string kind, int limit, CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["list_documents"], ("@kind", kind), ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<DocumentVersion>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(new DocumentVersion(reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))));
        }

        return (IReadOnlyList<DocumentVersion>)versions;
    });

    private Task<StoredDocument?> ReadDocumentAsync(string query, CancellationToken cancellationToken, params (string, object?)[] parameters) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts[query], parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredDocument(reader.GetInt32(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    });

    public Task<long> CursorAsync(string subscriber, CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["delivery_cursor"], ("@subscriber", subscriber));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    });

    public Task<long> PublishCursorAsync(string publisher, CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["read_publish_cursor"], ("@publisher", publisher));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    });

    public Task SavePublishCursorAsync(string publisher, long seq, CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["save_publish_cursor"],
            ("@publisher", publisher), ("@seq", seq), ("@updated_at", _time.GetUtcNow().ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task RecordAsync(string subscriber, Delivery delivery, CancellationToken cancellationToken) => Guard(async () =>
    {
        ArgumentNullException.ThrowIfNull(delivery);
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["upsert_delivery"],
            ("@subscriber", subscriber), ("@message_id", delivery.MessageId), ("@seq", delivery.Seq), ("@topic", delivery.Topic),
            ("@status", delivery.Status), ("@attempts", delivery.Attempts), ("@last_status", delivery.LastStatus), ("@last_error", delivery.LastError),
            ("@last_attempt_at", delivery.LastAttemptAt?.ToUnixTimeMilliseconds()), ("@next_attempt_at", delivery.NextAttemptAt?.ToUnixTimeMilliseconds()),
            ("@delivered_at", delivery.DeliveredAt?.ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    public async Task<Delivery?> ReadAsync(string subscriber, string messageId, CancellationToken cancellationToken) =>
        (await ReadDeliveriesAsync("read_delivery", cancellationToken, ("@subscriber", subscriber), ("@message_id", messageId)).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<Delivery>> ListAsync(string subscriber, string? status, long afterSeq, int limit, CancellationToken cancellationToken) =>
        ReadDeliveriesAsync("list_deliveries", cancellationToken, ("@subscriber", subscriber), ("@status", status), ("@after_seq", afterSeq), ("@limit", limit));

    private Task<IReadOnlyList<Delivery>> ReadDeliveriesAsync(string query, CancellationToken cancellationToken, params (string, object?)[] parameters) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts[query], parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var deliveries = new List<Delivery>();
        DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            deliveries.Add(new Delivery(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                Time(7), Time(8), Time(9)));
        }

        return (IReadOnlyList<Delivery>)deliveries;
    });

    public Task<IReadOnlyList<DueGrain>> ReadDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) => Guard(async () =>
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_unfolded is not { Count: > 0 } unfolded)
        {
            return (IReadOnlyList<DueGrain>)await ReadDuePageAsync(connection, now, limit, after: null, cancellationToken).ConfigureAwait(false);
        }

        var others = await ReadDueNotHeldAsync(connection, unfolded, now, limit, cancellationToken).ConfigureAwait(false);
        return (IReadOnlyList<DueGrain>)[.. others.Concat(unfolded.DueBy(now)).OrderBy(d => d.DueAt).Take(limit)];
    });

    /// <summary>
    /// The table's grains due by <paramref name="now"/>, earliest first, at most <paramref name="limit"/>, passing over
    /// the grains with unfolded writes (an unfolded grain's due moment replaces the table's). The rows are read page by
    /// page in due order; pages are not smaller than <see cref="DuePage"/> rows, since the next due moment (a limit of
    /// 1) may sit behind many unfolded grains' stale ones.
    /// </summary>
    private async Task<List<DueGrain>> ReadDueNotHeldAsync(DbConnection connection, UnfoldedWrites unfolded, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var others = new List<DueGrain>();
        var pageSize = Math.Max(limit, DuePage);
        DueGrain? after = null;
        while (others.Count < limit)
        {
            var page = await ReadDuePageAsync(connection, now, pageSize, after, cancellationToken).ConfigureAwait(false);
            others.AddRange(unfolded.NotHeld(page));
            if (page.Count < pageSize)
            {
                break;
            }

            after = page[^1];
        }

        return others;
    }

    /// <summary>Rows per page of the table's due moments when unfolded grains' stale ones must be passed over.</summary>
    private const int DuePage = 256;

    /// <summary>Grains due by <paramref name="now"/>, earliest first; with <paramref name="after"/>, those after it in that order.</summary>
    private async Task<List<DueGrain>> ReadDuePageAsync(DbConnection connection, DateTimeOffset now, int limit, DueGrain? after, CancellationToken cancellationToken)
    {
        await using var command = after is null
            ? SqlExecution.Command(connection, _scripts["read_due"], ("@now", now.ToUnixTimeMilliseconds()), ("@limit", (long)limit))
            : SqlExecution.Command(connection, _scripts["read_due_after"], ("@now", now.ToUnixTimeMilliseconds()), ("@limit", (long)limit),
                ("@after_due", after.DueAt.ToUnixTimeMilliseconds()), ("@after_type", after.GrainId.Type), ("@after_key", after.GrainId.Key));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var due = new List<DueGrain>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            due.Add(new DueGrain(new GrainId(reader.GetString(0), reader.GetString(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return due;
    }

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (_unfolded is { Count: > 0 } unfolded)
        {
            // The earliest of the unfolded grains' moments (one pass over them, nothing built: the scheduler asks at
            // least once a second, and tens of thousands of grains may be unfolded) and the table's for the others.
            var table = await ReadDueNotHeldAsync(connection, unfolded, DateTimeOffset.MaxValue, 1, cancellationToken).ConfigureAwait(false);
            var earliest = unfolded.EarliestDue();
            return table is [{ DueAt: var first }, ..] && (earliest is null || first < earliest) ? first : earliest;
        }

        await using var command = SqlExecution.Command(connection, _scripts["next_due"]);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    });

    public Task<IReadOnlyList<StoredMessage>> ReadOutboxAsync(OutboxQuery query, CancellationToken cancellationToken) => Guard(async () =>
    {
        ArgumentNullException.ThrowIfNull(query);
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["read_outbox"],
            ("@after_seq", query.AfterSeq), ("@limit", query.Limit), ("@topic", query.Topic), ("@label", query.Label),
            ("@grain_key", query.GrainKey), ("@from_time", query.From?.ToUnixTimeMilliseconds()), ("@to_time", query.To?.ToUnixTimeMilliseconds()),
            ("@status", query.Status));
        return (IReadOnlyList<StoredMessage>)await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false);
    });

    public Task<long> LastOutboxSeqAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["last_outbox_seq"]);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    });

    public Task<StoredMessage?> ReadOutboxMessageAsync(string messageId, CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["read_outbox_message"], ("@message_id", messageId));
        return (await ReadMessagesAsync(command, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    });

    public Task SetMessageStatusAsync(MessageStatusChange change, CancellationToken cancellationToken) => Guard(async () =>
    {
        ArgumentNullException.ThrowIfNull(change);
        EnsureMigrated();
        var at = change.At.ToUnixTimeMilliseconds();
        var resolved = change.Status == "resolved";
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts["set_outbox_status"],
            ("@message_id", change.MessageId), ("@status", change.Status),
            ("@acknowledged_by", change.Actor), ("@acknowledged_at", at),
            ("@resolved_by", resolved ? change.Actor : null), ("@resolved_at", resolved ? at : null),
            ("@note", change.Note));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    private static async Task<List<StoredMessage>> ReadMessagesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var messages = new List<StoredMessage>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(new StoredMessage(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                new GrainId(reader.GetString(4), reader.GetString(5)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.GetFieldValue<byte[]>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(10)),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
                reader.IsDBNull(13) ? null : reader.GetString(13)));
        }

        return messages;
    }

    /// <summary>Whether the provider has a write-ahead log to checkpoint (<c>checkpoint.sql</c>: SQLite).</summary>
    public bool HasCheckpoint => _scripts.Has("checkpoint");

    /// <summary>
    /// Copies committed log frames back into the store; returns frames in the log and frames copied.
    /// <see cref="LogCheckpoint.Passive"/> blocks no one; <see cref="LogCheckpoint.BetweenCommits"/> runs between two
    /// group commits; <see cref="LogCheckpoint.Restart"/> also starts the log again from empty, blocking writers and
    /// waiting for readers meanwhile.
    /// </summary>
    public Task<(long LogFrames, long Checkpointed)> CheckpointAsync(LogCheckpoint mode, CancellationToken cancellationToken) => Guard(async () =>
    {
        EnsureMigrated();
        if (mode is LogCheckpoint.Passive)
        {
            return await RunCheckpointScriptAsync("checkpoint", cancellationToken).ConfigureAwait(false);
        }

        // A checkpoint flushes the database file only in the pass that copies the log to its end, so this one would
        // flush everything the passive passes wrote since the last time (50-100 ms of random writes at 5,000 events/s)
        // while commits wait. Flushed here first, outside the turn, that pass flushes only its own few frames.
        if (_dialect is SqliteDialect sqlite)
        {
            FileSystemFlush.TryFlush(Path.GetDirectoryName(sqlite.DataSource)!);
        }

        await _writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunCheckpointScriptAsync(mode is LogCheckpoint.Restart ? "restart_log" : "checkpoint", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeTurn.Release();
        }
    });

    private async Task<(long LogFrames, long Checkpointed)> RunCheckpointScriptAsync(string script, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlExecution.Command(connection, _scripts[script]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(1), reader.GetInt64(2)) : (0L, 0L);
    }

    public async Task<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        if (!_migrated)
        {
            return new StorageHealth(false, $"{_dialect.Describe()} not ready: schema migrations have not been applied yet");
        }

        try
        {
            // Ready means the commit log a crash left is replayed (the first check does it), and this process owns the file.
            await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
            await using var connection = await _dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = SqlExecution.Command(connection, _scripts["schema_version"]);
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return version >= _scripts.LatestVersion
                ? new StorageHealth(true, $"{_dialect.Describe()} at schema version {version}")
                : new StorageHealth(false, $"{_dialect.Describe()} at schema version {version}; {_scripts.LatestVersion} expected");
        }
        catch (Exception ex) when (ex is DbException or StorageUnavailableException || _dialect.IsUnavailable(ex))
        {
            return new StorageHealth(false, $"{_dialect.Describe()} not ready: {ex.Message}");
        }
    }

    // _writeTurn is not disposed: a commit still finishing at shutdown releases it afterwards, and a SemaphoreSlim whose
    // wait handle is never asked for holds nothing to free.
    public async ValueTask DisposeAsync()
    {
        await ReleaseCommitLogAsync().ConfigureAwait(false);
        await _dialect.DisposeAsync().ConfigureAwait(false);
    }

    private SqlStatement StateStatement(StateWrite write) => StateStatement(
        write.GrainId, write.Partition, write.ExpectedVersion, write.NewVersion, write.Payload, write.WrittenAt, write.DueAt, write.KeepsDueAt);

    /// <summary>A grain's state at <paramref name="newVersion"/> if the stored one is at <paramref name="expectedVersion"/> (0: no row yet).</summary>
    private SqlStatement StateStatement(
        GrainId grainId, int partition, long expectedVersion, long newVersion, ReadOnlyMemory<byte> payload, DateTimeOffset writtenAt, DateTimeOffset? dueAt, bool keepsDueAt) =>
        expectedVersion == 0
        ? new SqlStatement(_scripts["insert_state"],
        [
            ("@grain_type", grainId.Type), ("@grain_key", grainId.Key), ("@partition_id", partition),
            ("@new_version", newVersion), ("@payload", Bytes(payload)), ("@updated_at", writtenAt.ToUnixTimeMilliseconds()),
            ("@due_at", dueAt?.ToUnixTimeMilliseconds()),
        ])
        : keepsDueAt
        ? new SqlStatement(_scripts["update_state_keep_due"],
        [
            ("@new_version", newVersion), ("@payload", Bytes(payload)), ("@updated_at", writtenAt.ToUnixTimeMilliseconds()),
            ("@grain_type", grainId.Type), ("@grain_key", grainId.Key), ("@expected_version", expectedVersion),
        ])
        : new SqlStatement(_scripts["update_state"],
        [
            ("@new_version", newVersion), ("@payload", Bytes(payload)), ("@updated_at", writtenAt.ToUnixTimeMilliseconds()),
            ("@grain_type", grainId.Type), ("@grain_key", grainId.Key), ("@expected_version", expectedVersion),
            ("@due_at", dueAt?.ToUnixTimeMilliseconds()),
        ]);

    private SqlStatement OutboxStatement(GrainId grainId, OutboxMessage message) => new(_scripts["append_outbox"],
    [
        ("@message_id", message.MessageId), ("@topic", message.Topic), ("@label", message.Label), ("@grain_type", grainId.Type),
        ("@grain_key", grainId.Key), ("@created_at", message.CreatedAt.ToUnixTimeMilliseconds()), ("@payload", Bytes(message.Payload)),
    ]);

    private SqlStatement JournalStatement(GrainId grainId, JournalEntry entry) => new(_scripts[entry.Idempotent ? "append_journal_idempotent" : "append_journal"],
    [
        ("@grain_type", grainId.Type), ("@grain_key", grainId.Key), ("@stream", entry.Stream), ("@seq", entry.Seq), ("@entry_id", entry.EntryId),
        ("@recorded_at", entry.RecordedAt.ToUnixTimeMilliseconds()), ("@payload", Bytes(entry.Payload)),
    ]);

    /// <summary>A payload as the array providers bind: the array behind it when it spans all of one (the usual case), else a copy.</summary>
    internal static byte[] Bytes(ReadOnlyMemory<byte> payload) =>
        MemoryMarshal.TryGetArray(payload, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : payload.ToArray();

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = SqlExecution.Command(connection, sql);
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void EnsureMigrated()
    {
        if (!_migrated)
        {
            throw new StorageUnavailableException($"The store ({_dialect.Describe()}) is not ready: its schema has not been migrated yet.");
        }
    }

    private async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not StorageUnavailableException && _dialect.IsUnavailable(ex))
        {
            throw new StorageUnavailableException($"The store ({_dialect.Describe()}) is unavailable: {ex.Message}", ex);
        }
    }
}
