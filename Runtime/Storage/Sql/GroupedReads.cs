using System.Collections.Concurrent;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// Reads keyed rows for many callers at once, the way group commit writes them: each caller queues its key, one reader
/// at a time takes everything queued (up to <see cref="MaxBatch"/>) and reads it in one go (SQLite: one connection and
/// one prepared statement; PostgreSQL: one query, one round trip), then answers each caller with its own row. Thousands
/// of grains activated by one ingest batch each took a connection and ran the same statement for one row
/// (docs/performance.md). A batch that fails fails its callers alone; the next batch is read afresh.
/// </summary>
internal sealed class GroupedReads<TKey, TRow>(Func<TKey[], CancellationToken, Task<TRow?[]>> readMany)
    where TRow : class
{
    /// <summary>Keys read in one batch at most.</summary>
    public const int MaxBatch = 1024;

    private readonly ConcurrentQueue<Request> _queue = new();
    private int _reading;
    private long _batches;

    /// <summary>Batches read so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    public Task<TRow?> ReadAsync(TKey key, CancellationToken cancellationToken)
    {
        var request = new Request(key);
        _queue.Enqueue(request);
        if (Interlocked.Exchange(ref _reading, 1) == 0)
        {
            // The reader runs off the caller's turn: its batch is read synchronously, and the caller may be a grain.
            _ = Task.Run(ReadQueuedAsync, CancellationToken.None);
        }

        return request.Completion.Task.WaitAsync(cancellationToken);
    }

    private async Task ReadQueuedAsync()
    {
        while (true)
        {
            var batch = new List<Request>();
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var request))
            {
                batch.Add(request);
            }

            if (batch.Count > 0)
            {
                await ReadBatchAsync(batch).ConfigureAwait(false);
                continue;
            }

            // Nothing queued: stop reading, unless a key was queued after the last look and its caller saw a reader still at it.
            Volatile.Write(ref _reading, 0);
            if (_queue.IsEmpty || Interlocked.Exchange(ref _reading, 1) != 0)
            {
                return;
            }
        }
    }

    private async Task ReadBatchAsync(List<Request> batch)
    {
        Interlocked.Increment(ref _batches);
        try
        {
            var rows = await readMany([.. batch.Select(r => r.Key)], CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(rows[i]);
            }
        }
#pragma warning disable CA1031 // Not swallowed: every caller of the batch receives the exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(ex);
            }
        }
    }

    private sealed class Request(TKey key)
    {
        public TKey Key { get; } = key;

        public TaskCompletionSource<TRow?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
