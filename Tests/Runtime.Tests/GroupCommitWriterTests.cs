using System.Text;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Storage;
using CustomerActors.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Tests;

public sealed class GroupCommitWriterTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static StateWrite Write(string key) =>
        new(new GrainId("test", key), 0, 0, Encoding.UTF8.GetBytes(key), DateTimeOffset.UtcNow, []);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_next_batch_goes_to_the_store_while_one_is_under_way_only_when_the_store_takes_several(int commitsInFlight)
    {
        await using var inner = RuntimeServiceCollectionExtensions.CreateStorage(
            new StorageOptions { ConnectionString = _directory.SqliteConnectionString(), CommitLog = false }, TimeProvider.System);
        await inner.MigrateAsync(CancellationToken.None);
        var gate = new TaskCompletionSource();
        var storage = new FaultyStorage(inner) { Gate = gate.Task, CommitsInFlight = commitsInFlight };
        await using var writer = new GroupCommitWriter(storage, Options.Create(new StorageOptions()), NullLogger<GroupCommitWriter>.Instance);

        var first = writer.WriteAsync(Write("first"));
        await Eventually.TrueAsync(() => storage.Gate is null, "the first commit waits at the gate");
        var second = writer.WriteAsync(Write("second"));

        // One at a time, the second waits behind the held commit; two at a time, it is committed meanwhile.
        var patience = TimeSpan.FromSeconds(commitsInFlight > 1 ? 30 : 1);
        Assert.Equal(commitsInFlight > 1, await Task.WhenAny(second, Task.Delay(patience)) == second);
        Assert.False(first.IsCompleted);

        gate.SetResult();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        await second.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([1, 1], storage.BatchSizes);
    }
}
