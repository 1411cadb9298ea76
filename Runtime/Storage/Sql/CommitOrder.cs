using System.Runtime.InteropServices;
using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// The order of group commits under way at once (PostgreSQL with <see cref="StorageOptions.CommitsInFlight"/> above 1).
/// Each batch takes a place when it is handed over: its outbox messages and its commit wait for <see cref="Place.Before"/>,
/// done once every batch handed over earlier is done, so batches commit in the order they were handed over and outbox
/// positions become visible in order. A batch that writes a grain some batch under way also writes starts only after
/// those before it are done (<see cref="Place.SharesGrains"/>): two transactions under way never wait for each other's
/// rows, so a later one can never hold a row an earlier one needs while it waits for that earlier one to commit.
/// </summary>
internal sealed class CommitOrder
{
    private readonly Lock _lock = new();
    private readonly Dictionary<GrainId, int> _grainsInFlight = [];
    private Task _lastDone = Task.CompletedTask;

    /// <summary>Takes the next place, for <paramref name="writes"/>; the caller leaves it (<see cref="Place.LeaveAsync"/>) when the batch is done.</summary>
    public Place Enter(IReadOnlyList<StateWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var shares = false;
            foreach (var write in writes)
            {
                shares |= _grainsInFlight.ContainsKey(write.GrainId);
            }

            foreach (var write in writes)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(_grainsInFlight, write.GrainId, out _)++;
            }

            var before = _lastDone;
            _lastDone = done.Task;
            return new Place(this, writes, before, done, shares);
        }
    }

    private void Release(IReadOnlyList<StateWrite> writes)
    {
        lock (_lock)
        {
            foreach (var write in writes)
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_grainsInFlight, write.GrainId);
                if (--count == 0)
                {
                    _grainsInFlight.Remove(write.GrainId);
                }
            }
        }
    }

    /// <summary>One batch's place in the order.</summary>
    public sealed class Place
    {
        private readonly CommitOrder _order;
        private readonly IReadOnlyList<StateWrite> _writes;
        private readonly TaskCompletionSource _done;

        internal Place(CommitOrder order, IReadOnlyList<StateWrite> writes, Task before, TaskCompletionSource done, bool sharesGrains)
        {
            _order = order;
            _writes = writes;
            Before = before;
            _done = done;
            SharesGrains = sharesGrains;
        }

        /// <summary>Done when every batch handed over before this one is done (committed, refused or failed). Never faults.</summary>
        public Task Before { get; }

        /// <summary>A batch under way when this one took its place writes one of the same grains: start after <see cref="Before"/>.</summary>
        public bool SharesGrains { get; }

        /// <summary>The batch is done (its transaction committed or rolled back): the next may commit once those before it are done too.</summary>
        public async Task LeaveAsync()
        {
            _order.Release(_writes);
            await Before.ConfigureAwait(false);
            _done.SetResult();
        }
    }
}
