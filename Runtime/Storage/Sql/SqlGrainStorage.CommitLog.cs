using System.Diagnostics;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage.Sql.CommitLog;
using Microsoft.Data.Sqlite;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// The embedded store's commit log (<see cref="StorageOptions.CommitLog"/>). A group commit checks each write as the
/// tables would (the stored version, journal ids and sequence numbers already taken), then appends the writes that
/// passed as one row of <c>commit_log</c> and their outbox messages, and commits: a few sequential pages instead of
/// four or five pages all over the customer-keyed tables per write. Until folded, those writes are also kept in
/// memory (<see cref="UnfoldedWrites"/>), and every read consults them first. <see cref="FoldAsync"/> writes them into
/// grain_state and grain_journal in key-ordered slices between commits and then deletes the rows they came from.
/// After a crash the rows left are replayed into memory on first use; a write the tables already hold (the grain's
/// stored version is at or past it) is skipped, so nothing is applied twice.
/// </summary>
public sealed partial class SqlGrainStorage
{
    private UnfoldedWrites? _unfolded;
    private FoldPacer? _pacer;
    private RecentWrites? _recent;
    private int _busyCommitWrites;
    private volatile FileStream? _owner;
    private volatile bool _released;
    private long _lastLogSeq;

    /// <summary>The buffer every commit's log row is encoded into (in the write turn); let go when a commit made it larger than this.</summary>
    private const int KeptLogBodyBytes = 16 << 20;
    private readonly MemoryStream _logBody = new();
    private readonly CommitScratch _commitScratch = new();

    /// <summary>Whether this store runs the commit log (SQLite with <see cref="StorageOptions.CommitLog"/>).</summary>
    public bool HasCommitLog => _unfolded is not null;

    /// <summary>Grains with writes not yet folded into the tables.</summary>
    public int UnfoldedGrains => _unfolded?.Count ?? 0;

    /// <summary>The last commit-log row written (or replayed): a fold up to it folds everything committed so far.</summary>
    public long LastLogSeq => Interlocked.Read(ref _lastLogSeq);

    private void UseCommitLog(StorageOptions? options)
    {
        if (options is { CommitLog: true } && Scripts.Has("append_commit_log") && Dialect is SqliteDialect)
        {
            _unfolded = new UnfoldedWrites();
            _pacer = new FoldPacer(options.FoldSliceTime, options.FoldSlice, options.FoldInterval);
            _recent = new RecentWrites(options.FoldInterval, _time);
            _busyCommitWrites = options.BusyCommitWrites;
        }
    }

    /// <summary>
    /// Before the first read or write: this process takes the store's file (an exclusive lock beside it: another
    /// process's unfolded writes would be invisible here) and replays the log rows a crash left unfolded.
    /// </summary>
    private async ValueTask EnsureReadyAsync(CancellationToken cancellationToken)
    {
        EnsureMigrated();
        if (_unfolded is null || _owner is not null)
        {
            return;
        }

        await _writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_owner is not null)
            {
                return;
            }

            if (_released)
            {
                throw new StorageUnavailableException($"The store ({Dialect.Describe()}) has been stopped.");
            }

            var owner = TakeOwnership(((SqliteDialect)Dialect).DataSource);
            try
            {
                await ReplayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await owner.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _owner = owner;
        }
        finally
        {
            _writeTurn.Release();
        }
    }

    private FileStream TakeOwnership(string dataSource)
    {
        try
        {
            return new FileStream(dataSource + "-owner", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new StorageUnavailableException(
                $"The store ({Dialect.Describe()}) is in use by another process or store: with its commit log one owner reads and writes it at a time (Storage:CommitLog=false shares the file, at the cost of ingest speed).", ex);
        }
    }

    private async Task ReplayAsync(CancellationToken cancellationToken)
    {
        await using var connection = (SqliteConnection)await Dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<(long Seq, byte[] Body)>();
        await using (var read = SqlExecution.Command(connection, Scripts["read_commit_log"]))
        {
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
            }
        }

        // The tables do not change during the replay: each grain's stored version is asked for once.
        var tableVersions = new Dictionary<GrainId, long>();
        foreach (var (seq, body) in rows)
        {
            var writes = CommitLogCodec.Decode(body);
            ReadTableVersions(connection, [.. writes.Select(w => w.GrainId).Where(id => !tableVersions.ContainsKey(id)).Distinct()], tableVersions);
            foreach (var write in writes)
            {
                // Folded already (the fold writes a grain's latest state with all its entries in one transaction).
                var tableVersion = tableVersions[write.GrainId];
                if (tableVersion >= write.NewVersion)
                {
                    continue;
                }

                _unfolded!.Apply(write, seq, tableVersion);
            }

            _lastLogSeq = seq;
        }
    }

    /// <summary>
    /// One group commit through the log: the same checks and outcomes as the tables' own statements give, then one log
    /// row and the outbox messages in one transaction. Not committed (and false) when some write met an idempotent
    /// entry already journaled.
    /// </summary>
    /// <exception cref="SqliteException">A write repeats a journal id or sequence number that is not an idempotency key (a defect upstream), as the tables' constraints would say.</exception>
    private async Task<(bool Committed, WriteOutcome[] Outcomes)> AttemptLoggedAsync(StateWrite[] writes, CancellationToken cancellationToken)
    {
        var unfolded = _unfolded!;
        await using var connection = (SqliteConnection)await Dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Versions: this batch's earlier writes, then the unfolded writes, then the table (asked only for the others).
        var scratch = _commitScratch.Cleared();
        var (unfoldedVersions, tableVersions, current) = (scratch.UnfoldedVersions, scratch.TableVersions, scratch.Current);
        foreach (var write in writes)
        {
            if (!unfoldedVersions.ContainsKey(write.GrainId))
            {
                unfoldedVersions.Add(write.GrainId, unfolded.VersionOf(write.GrainId));
            }
        }

        ReadTableVersions(connection, [.. unfoldedVersions.Where(p => p.Value is null).Select(p => p.Key)], tableVersions);
        var matched = new bool[writes.Length];
        for (var i = 0; i < writes.Length; i++)
        {
            var id = writes[i].GrainId;
            var version = current.TryGetValue(id, out var v) ? v : unfoldedVersions[id] ?? tableVersions[id];
            if (matched[i] = version == writes[i].ExpectedVersion)
            {
                current[id] = writes[i].NewVersion;
            }
        }

        // Journal ids and sequence numbers: this batch, the unfolded entries, the table.
        var journal = JournalOfMatched(writes, matched);
        var taken = SqlitePreparedStatements.QueryAll(connection, [.. journal.Select(j => EntryQuery(writes[j.Write].GrainId, j.Entry))]);
        var (inBatch, seqsInBatch) = (scratch.IdsInBatch, scratch.SeqsInBatch);
        var found = new List<(int Write, string EntryId)>();
        for (var k = 0; k < journal.Length; k++)
        {
            var (write, entry) = journal[k];
            var id = writes[write].GrainId;
            var (idUnfolded, seqUnfolded) = unfolded.Holds(id, entry.Stream, entry.EntryId, entry.Seq);
            var idTaken = (taken[k] & 1) != 0 || idUnfolded || !inBatch.Add((id, entry.Stream, entry.EntryId));
            var seqTaken = (taken[k] & 2) != 0 || seqUnfolded || !seqsInBatch.Add((id, entry.Stream, entry.Seq));
            if (entry.Idempotent && idTaken)
            {
                found.Add((write, entry.EntryId));
            }
            else if (idTaken || seqTaken)
            {
                throw new SqliteException(
                    $"UNIQUE constraint failed: journal entry {entry.EntryId} (seq {entry.Seq}) of {id} in stream {entry.Stream} is already journaled", 19);
            }
        }

        if (Duplicates(writes.Length, found) is { } duplicates)
        {
            return (false, Outcomes(matched, duplicates));
        }

        // A commit of a busy writer goes whole through the log; otherwise a grain neither unfolded nor written lately is
        // written straight to the tables (RecentWrites says why).
        var recent = _recent!;
        recent.Advance();
        var committed = writes.Where((_, i) => matched[i]).ToArray();
        var busy = committed.Length >= _busyCommitWrites;
        var route = committed.ToLookup(w => busy || unfoldedVersions[w.GrainId] is not null || recent.Contains(w.GrainId));
        var logged = route[true].ToArray();
        WriteCheckedRows(connection, [.. route[false].Select(w => new CheckedRows(w.GrainId, w.ExpectedVersion, StateStatement(w), w.Journal))],
            "although it was when checked");
        long seq = 0;
        if (logged.Length > 0)
        {
            var body = CommitLogCodec.Encode(logged, _logBody);
            seq = SqlitePreparedStatements.QueryAll(connection, [new SqlStatement(Scripts["append_commit_log"], [("@body", body)])])[0]!.Value;
            if (_logBody.Capacity > KeptLogBodyBytes)
            {
                _logBody.SetLength(0);
                _logBody.Capacity = 0;
            }
        }

        await SqlExecution.ExecuteAllAsync(connection, transaction,
            [.. OutboxOfMatched(writes, matched).Select(o => OutboxStatement(o.GrainId, o.Message))], cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var write in logged)
        {
            unfolded.Apply(write, seq, tableVersions.GetValueOrDefault(write.GrainId));
        }

        foreach (var write in committed)
        {
            recent.Add(write.GrainId);
        }

        if (seq > 0)
        {
            Interlocked.Exchange(ref _lastLogSeq, seq);
        }

        return (true, Outcomes(matched, duplicates: null));
    }

    /// <summary>
    /// The collections a logged commit checks its writes with, kept from one commit to the next (the write turn uses them
    /// one commit at a time): at a few thousand writes a commit each was a new large object, and the large object heap's
    /// budget sets off full collections (docs/performance.md).
    /// </summary>
    private sealed class CommitScratch
    {
        public Dictionary<GrainId, long?> UnfoldedVersions { get; } = [];

        public Dictionary<GrainId, long> TableVersions { get; } = [];

        public Dictionary<GrainId, long> Current { get; } = [];

        public HashSet<(GrainId, string, string)> IdsInBatch { get; } = [];

        public HashSet<(GrainId, string, long)> SeqsInBatch { get; } = [];

        public CommitScratch Cleared()
        {
            UnfoldedVersions.Clear();
            TableVersions.Clear();
            Current.Clear();
            IdsInBatch.Clear();
            SeqsInBatch.Clear();
            return this;
        }
    }

    /// <summary>A grain's state statement, checked against <see cref="ExpectedVersion"/>, and its journal entries (as objects, packed, or both), all checked already.</summary>
    private readonly record struct CheckedRows(GrainId GrainId, long ExpectedVersion, SqlStatement State, IReadOnlyList<JournalEntry> Entries, PackedJournal? Packed = null);

    /// <summary>
    /// Rows whose versions, journal ids and sequence numbers are checked already, written to the tables inside the open
    /// transaction: a commit's writes made straight to the tables, and a fold slice.
    /// </summary>
    /// <exception cref="InconsistentStateException">A state row no longer holds the version checked (a defect); <paramref name="whenStale"/> says what that means.</exception>
    private void WriteCheckedRows(SqliteConnection connection, CheckedRows[] rows, string whenStale)
    {
        if (rows.Length == 0)
        {
            return;
        }

        var states = SqlitePreparedStatements.ExecuteAll(connection, [.. rows.Select(r => r.State)]);
        if (Array.IndexOf(states, 0) is var stale and >= 0)
        {
            throw new InconsistentStateException(
                $"State of {rows[stale].GrainId} is no longer at version {rows[stale].ExpectedVersion} in the table, {whenStale}.");
        }

        // Checked already: every entry is inserted as a plain row (a repeat would be a defect, refused by the constraints).
        using var journal = new SqliteRowStatement(connection, Scripts["append_journal"], JournalParameters);
        foreach (var row in rows)
        {
            foreach (var entry in row.Entries)
            {
                journal.Text(0, row.GrainId.Type);
                journal.Text(1, row.GrainId.Key);
                journal.Text(2, entry.Stream);
                journal.Int64(3, entry.Seq);
                journal.Text(4, entry.EntryId);
                journal.Int64(5, entry.RecordedAt.ToUnixTimeMilliseconds());
                journal.Blob(6, entry.Payload.Span);
                journal.Step();
            }

            if (row.Packed is not { } packed)
            {
                continue;
            }

            // An unfolded grain's entries (a fold), bound as the UTF-8 they are packed in.
            foreach (var entry in packed)
            {
                journal.Text(0, row.GrainId.Type);
                journal.Text(1, row.GrainId.Key);
                journal.Utf8(2, entry.Stream);
                journal.Int64(3, entry.Seq);
                journal.Utf8(4, entry.EntryId);
                journal.Int64(5, entry.RecordedAt.ToUnixTimeMilliseconds());
                journal.Blob(6, entry.Payload.Span);
                journal.Step();
            }
        }
    }

    /// <summary>The parameters of the append_journal script, in the order <see cref="WriteCheckedRows"/> binds them.</summary>
    private static readonly string[] JournalParameters = ["@grain_type", "@grain_key", "@stream", "@seq", "@entry_id", "@recorded_at", "@payload"];

    /// <summary>
    /// Folds up to <paramref name="slice"/> grains whose first unfolded write is in a log row at or before
    /// <paramref name="upToSeq"/> into the tables, in one transaction between two group commits; the transaction that
    /// folds the last of them also deletes the rows up to <paramref name="upToSeq"/>. Returns the grains folded (0: none
    /// left up to there).
    /// </summary>
    public Task<int> FoldAsync(long upToSeq, int slice, CancellationToken cancellationToken) => FoldSizedAsync(upToSeq, () => slice, cancellationToken);

    /// <summary>As above, the slice's size asked for once the write turn is taken.</summary>
    private Task<int> FoldSizedAsync(long upToSeq, Func<int> slice, CancellationToken cancellationToken) => Guard(async () =>
    {
        await EnsureReadyAsync(cancellationToken).ConfigureAwait(false);
        if (_unfolded is not { } unfolded)
        {
            return 0;
        }

        await _writeTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var grains = unfolded.TakeSlice(upToSeq, slice());
            if (grains.Length == 0)
            {
                return 0;
            }

            await using var connection = (SqliteConnection)await Dialect.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await RunAsync(connection, "fold_sync", cancellationToken).ConfigureAwait(false);
            try
            {
                var folded = await FoldSliceAsync(connection, unfolded, grains, upToSeq, cancellationToken).ConfigureAwait(false);
                _pacer!.SliceTook(folded, Stopwatch.GetElapsedTime(started));
                return folded;
            }
            catch
            {
                unfolded.AbandonCycle();
                throw;
            }
            finally
            {
                await RunAsync(connection, "commit_sync", CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _writeTurn.Release();
        }
    });

    private async Task<int> FoldSliceAsync(SqliteConnection connection, UnfoldedWrites unfolded, UnfoldedGrain[] grains, long upToSeq, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        WriteCheckedRows(connection,
            [.. grains.Select(g => new CheckedRows(g.GrainId, g.TableVersion, FoldedStateStatement(g), [], g.Journal))],
            "so its unfolded writes were not folded");
        if (!unfolded.HasMoreInSlices(upToSeq))
        {
            await using var truncate = SqlExecution.Command(connection, Scripts["truncate_commit_log"], ("@seq", upToSeq));
            truncate.Transaction = (SqliteTransaction)transaction;
            await truncate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        unfolded.Folded(grains);
        return grains.Length;
    }

    private async Task RunAsync(SqliteConnection connection, string script, CancellationToken cancellationToken)
    {
        await using var command = SqlExecution.Command(connection, Scripts[script]);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Folds everything committed so far, slice by slice: <paramref name="slice"/> grains at a time, back to back (a clean
    /// stop leaves an empty log), or, with null, paced by <see cref="FoldPacer"/>: slices sized to keep pace and spread
    /// over the fold interval.
    /// </summary>
    public async Task<FoldResult> FoldAllAsync(int? slice, CancellationToken cancellationToken)
    {
        var upTo = LastLogSeq;
        var started = Stopwatch.GetTimestamp();
        Func<int> size = slice is { } fixedSize ? () => fixedSize : () => _pacer!.NextSlice(Stopwatch.GetElapsedTime(started), _unfolded!.PendingInCycle(upTo));
        int folded, grains = 0, slices = 0;
        while ((folded = await FoldSizedAsync(upTo, size, cancellationToken).ConfigureAwait(false)) > 0)
        {
            grains += folded;
            slices++;
            if (slice is null && _pacer!.PauseBeforeNextSlice(Stopwatch.GetElapsedTime(started), grains, _unfolded!.PendingInCycle(upTo)) is { Ticks: > 0 } pause)
            {
                // The clock the pace is measured by (Stopwatch), not the store's: a test's manual clock would never let it end.
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            }
        }

        return new FoldResult(grains, slices, upTo);
    }

    /// <summary>The grain's latest state over the version the table holds; the due-time index is touched only if a write moved it.</summary>
    private SqlStatement FoldedStateStatement(UnfoldedGrain grain) => StateStatement(
        grain.GrainId, grain.Partition, grain.TableVersion, grain.Version, grain.Payload, grain.WrittenAt, grain.DueAt, keepsDueAt: !grain.DueChanged);

    /// <summary>Adds the version grain_state holds for each of <paramref name="grainIds"/> (0: no row) to <paramref name="versions"/>.</summary>
    private void ReadTableVersions(SqliteConnection connection, GrainId[] grainIds, Dictionary<GrainId, long> versions)
    {
        var stored = SqlitePreparedStatements.QueryAll(connection, [.. grainIds.Select(VersionQuery)]);
        for (var i = 0; i < grainIds.Length; i++)
        {
            versions[grainIds[i]] = stored[i] ?? 0;
        }
    }

    private SqlStatement VersionQuery(GrainId grainId) =>
        new(Scripts["state_version"], [("@grain_type", grainId.Type), ("@grain_key", grainId.Key)]);

    private SqlStatement EntryQuery(GrainId grainId, JournalEntry entry) => new(Scripts["journal_entry_taken"],
        [("@grain_type", grainId.Type), ("@grain_key", grainId.Key), ("@stream", entry.Stream), ("@entry_id", entry.EntryId), ("@seq", entry.Seq)]);

    /// <summary>
    /// At a clean stop: everything folded, then the file let go for good (a store asked for anything afterwards answers
    /// unavailable instead of taking the file again). A store that cannot be reached keeps its log for the next start.
    /// </summary>
    private async ValueTask ReleaseCommitLogAsync()
    {
        if (_owner is null)
        {
            _released = true;
            return;
        }

        try
        {
            await FoldAllAsync(int.MaxValue, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            // The rows stay in the log: the next start replays them.
        }
        finally
        {
            await _writeTurn.WaitAsync().ConfigureAwait(false);
            try
            {
                _released = true;
                await _owner.DisposeAsync().ConfigureAwait(false);
                _owner = null;
            }
            finally
            {
                _writeTurn.Release();
            }
        }
    }
}
