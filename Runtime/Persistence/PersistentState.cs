using System.Text.Json.Serialization.Metadata;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Runtime.Persistence;

internal sealed class PersistentState<TState>(
    IGrainContext context,
    IStateSerializer<TState> serializer,
    Func<TState> createDefault,
    IGrainStorage storage,
    GroupCommitWriter writer,
    TimeProvider time) : IPersistentState<TState>
    where TState : class
{
    public TState State { get; set; } = createDefault();

    public long Version { get; private set; }

    public bool RecordExists => Version > 0;

    public DateTimeOffset? DueAt { get; set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadStateAsync(context.GrainId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            State = createDefault();
            Version = 0;
            DueAt = null;
            return;
        }

        State = serializer.Deserialize(stored.Payload);
        Version = stored.Version;
        DueAt = stored.DueAt;
    }

    public async Task WriteStateAsync(IReadOnlyList<JournalEntry>? journal = null, CancellationToken cancellationToken = default, IReadOnlyList<OutboxMessage>? outbox = null)
    {
        var write = new StateWrite(
            context.GrainId,
            context.Partition,
            Version,
            serializer.Serialize(State),
            time.GetUtcNow(),
            journal ?? [],
            DueAt,
            outbox);
        try
        {
            await writer.WriteAsync(write).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Storage may or may not hold this write (a commit can fail after reaching the disk); either way the
            // in-memory state is no longer known to match it. The activation reloads before its next turn.
            context.InvalidateState();
            throw;
        }

        Version = write.NewVersion;
    }
}

/// <summary>Creates a grain's persistent state; grains receive it through their constructor.</summary>
public sealed class PersistentStateFactory(IGrainStorage storage, GroupCommitWriter writer, TimeProvider time)
{
    /// <summary>State stored as source-generated JSON.</summary>
    public IPersistentState<TState> Create<TState>(IGrainContext context, JsonTypeInfo<TState> typeInfo, Func<TState> createDefault)
        where TState : class =>
        Create(context, new JsonStateSerializer<TState>(typeInfo), createDefault);

    /// <summary>State stored in the form <paramref name="serializer"/> gives it.</summary>
    public IPersistentState<TState> Create<TState>(IGrainContext context, IStateSerializer<TState> serializer, Func<TState> createDefault)
        where TState : class =>
        new PersistentState<TState>(context, serializer, createDefault, storage, writer, time);
}
