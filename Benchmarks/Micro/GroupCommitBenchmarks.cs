using BenchmarkDotNet.Attributes;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>
/// One group-commit transaction on the embedded store (a SQLite file, WAL, synchronous=FULL), durable when it returns,
/// shaped like a warm ingest: <c>Writes</c> different customers out of 100,000 stored, each write a state of 564 bytes
/// (the average stored state weighted by how often it is written, measured on 2026-11-24), one event journaled under
/// its id (165 bytes) and one outbox message (350 bytes, a tier change). Divide by <c>Writes</c> for the one writer's
/// time per write.
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private const int Customers = 100_000;

    // Picks customers spread over the key space, distinct within a batch (the step is prime to the customer count).
    private const int Step = 7_919;

    private readonly byte[] _state = Filled(564);
    private readonly byte[] _event = Filled(165);
    private readonly byte[] _message = Filled(350);
    private readonly long[] _versions = new long[Customers];
    private string _directory = null!;
    private SqlGrainStorage _storage = null!;
    private long _next;
    private long _entry;

    [Params(1, 100, 2000)]
    public int Writes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("ca-bench-").FullName;
        _storage = RuntimeServiceCollectionExtensions.CreateStorage(
            new StorageOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "bench.db")}" }, TimeProvider.System);
        await _storage.MigrateAsync(CancellationToken.None);
        for (var first = 0; first < Customers; first += 10_000)
        {
            await _storage.WriteBatchAsync([.. Enumerable.Range(first, 10_000).Select(Write)], CancellationToken.None);
        }

        await _storage.CheckpointAsync(LogCheckpoint.Restart, CancellationToken.None);
    }

    [Benchmark(Description = "commit a batch of state writes")]
    public Task CommitBatchAsync()
    {
        var writes = new StateWrite[Writes];
        for (var i = 0; i < Writes; i++)
        {
            writes[i] = Write((int)(_next++ * Step % Customers));
        }

        return _storage.WriteBatchAsync(writes, CancellationToken.None);
    }

    /// <summary>
    /// The log copied into the database file and started again after every iteration, as the gateway's checkpointer
    /// does in the background, so that iterations measure commits and not an ever longer log.
    /// </summary>
    [IterationCleanup]
    public void Checkpoint() => _storage.CheckpointAsync(LogCheckpoint.Restart, CancellationToken.None).GetAwaiter().GetResult();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private StateWrite Write(int customer)
    {
        var now = DateTimeOffset.UtcNow;
        var version = _versions[customer]++;
        var eventId = $"e{_entry++}";
        return new StateWrite(new GrainId("customer", $"C{customer:D8}"), customer % 64, version, _state, now,
            [new JournalEntry("events", version + 1, eventId, now, _event, Idempotent: true)],
            Outbox: [new OutboxMessage(Guid.CreateVersion7().ToString("N"), "tier", "membership", now, _message)]);
    }

    private static byte[] Filled(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
