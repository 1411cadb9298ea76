using CustomerActors.Runtime.Storage.Sql;

namespace CustomerActors.Runtime.Tests;

public sealed class GroupedReadsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Keys_asked_while_a_batch_is_read_are_read_together_in_the_next_and_each_caller_gets_its_own_row()
    {
        var reader = new FirstBatchHeld(k => k % 3 == 0 ? null : $"row {k}");
        var reads = new GroupedReads<int, string>(reader.ReadAsync);

        var first = reads.ReadAsync(1, CancellationToken.None);
        await reader.FirstBatchStarted.WaitAsync(Patience);
        var rest = Enumerable.Range(2, 99).Select(k => reads.ReadAsync(k, CancellationToken.None)).ToArray();
        reader.ReleaseFirstBatch();

        Assert.Equal("row 1", await first.WaitAsync(Patience));
        var answers = await Task.WhenAll(rest).WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(2, 99).Select(k => k % 3 == 0 ? null : $"row {k}"), answers);
        Assert.Equal(2, reads.Batches);
        Assert.Equal([[1], [.. Enumerable.Range(2, 99)]], reader.Batches);
    }

    [Fact]
    public async Task A_batch_that_fails_fails_its_callers_alone_and_the_next_is_read_afresh()
    {
        var failing = true;
        var reads = new GroupedReads<int, string>((keys, _) => failing
            ? Task.FromException<string?[]>(new InvalidOperationException("store down"))
            : Task.FromResult<string?[]>([.. keys.Select(k => $"row {k}")]));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync(1, CancellationToken.None).WaitAsync(Patience));
        Assert.Equal("store down", failed.Message);

        failing = false;
        Assert.Equal("row 2", await reads.ReadAsync(2, CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task A_batch_holds_at_most_the_largest_group()
    {
        var reader = new FirstBatchHeld(k => $"row {k}");
        var reads = new GroupedReads<int, string>(reader.ReadAsync);

        var first = reads.ReadAsync(0, CancellationToken.None);
        await reader.FirstBatchStarted.WaitAsync(Patience);
        var rest = Enumerable.Range(1, GroupedReads<int, string>.MaxBatch + 10).Select(k => reads.ReadAsync(k, CancellationToken.None)).ToArray();
        reader.ReleaseFirstBatch();
        await Task.WhenAll(rest.Append(first)).WaitAsync(Patience);

        Assert.Equal([1, GroupedReads<int, string>.MaxBatch, 10], reader.Batches.Select(b => b.Length));
    }

    /// <summary>Reads rows with <paramref name="row"/>, records each batch's keys, and holds the first batch until released.</summary>
    private sealed class FirstBatchHeld(Func<int, string?> row)
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<int[]> _batches = [];

        public Task FirstBatchStarted => _started.Task;

        public IReadOnlyList<int[]> Batches
        {
            get
            {
                lock (_batches)
                {
                    return [.. _batches];
                }
            }
        }

        public void ReleaseFirstBatch() => _release.SetResult();

        public async Task<string?[]> ReadAsync(int[] keys, CancellationToken cancellationToken)
        {
            lock (_batches)
            {
                _batches.Add(keys);
            }

            if (_started.TrySetResult())
            {
                await _release.Task;
            }

            return [.. keys.Select(row)];
        }
    }
}
