using System.Text;
using BenchmarkDotNet.Attributes;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>
/// One group-commit transaction on the embedded store (a SQLite file, WAL, synchronous=FULL): <c>Writes</c>
/// customers' states of 4 KB (the measured average) and one journal row each, durable when it returns.
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private readonly byte[] _payload = Encoding.UTF8.GetBytes("{\"state\":\"" + new string('x', 4_000) + "\"}");
    private string _directory = null!;
    private SqlGrainStorage _storage = null!;
    private long[] _versions = null!;
    private long _entry;

    [Params(1, 100, 1000)]
    public int Writes { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("ca-bench-").FullName;
        _storage = RuntimeServiceCollectionExtensions.CreateStorage(
            new StorageOptions { ConnectionString = $"Data Source={Path.Combine(_directory, "bench.db")}" }, TimeProvider.System);
        await _storage.MigrateAsync(CancellationToken.None);
        _versions = new long[Writes];
    }

    [Benchmark(Description = "commit a batch of state writes")]
    public async Task CommitBatchAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var writes = new StateWrite[Writes];
        for (var i = 0; i < Writes; i++)
        {
            var entry = $"e{_entry++}";
            writes[i] = new StateWrite(new GrainId("bench", $"C{i:D8}"), 0, _versions[i], _payload, now,
                [new JournalEntry("events", _versions[i] + 1, entry, now, Encoding.UTF8.GetBytes($"\"{entry}\""))]);
            _versions[i]++;
        }

        await _storage.WriteBatchAsync(writes, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _storage.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
