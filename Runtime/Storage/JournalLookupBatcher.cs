using System.Threading.Channels;
using CustomerActors.Runtime.Persistence;

namespace CustomerActors.Runtime.Storage;

/// <summary>
/// Group lookup, the read-side twin of <see cref="GroupCommitWriter"/>: grains checking their journals for
/// event ids (the duplicate check) queue their lookups, and all lookups queued while the previous query ran
/// go to the store as one query. The answers are the same as one query per grain (each grain still looks in
/// its own turn, after its own earlier writes committed); only the number of round trips changes.
/// </summary>
public sealed class JournalLookupBatcher : IAsyncDisposable
{
    /// <summary>Entry ids in one query at most (SQLite's JSON and PostgreSQL's arrays take far more; this keeps a query short).</summary>
    private const int MaxIdsPerQuery = 20_000;

    private readonly IGrainStorage _storage;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public JournalLookupBatcher(IGrainStorage storage)
    {
        _storage = storage;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Which of <paramref name="lookup"/>'s entry ids its grain's journal stream holds.</summary>
    public Task<IReadOnlySet<string>> FindAsync(JournalLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var pending = new Pending(lookup);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new StorageUnavailableException("The journal lookup has stopped.");
        }

        return pending.Completion.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var ids = 0;
            while (ids < MaxIdsPerQuery && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                ids += pending.Lookup.EntryIds.Count;
            }

            await LookUpAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task LookUpAsync(List<Pending> batch)
    {
        try
        {
            var found = await _storage.FindJournalEntriesAsync([.. batch.Select(p => p.Lookup)], CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(found[i]);
            }
        }
#pragma warning disable CA1031 // Not swallowed: every caller in the batch gets the failure as its result.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class Pending(JournalLookup lookup)
    {
        public JournalLookup Lookup { get; } = lookup;

        public TaskCompletionSource<IReadOnlySet<string>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
