using System.Text.Json.Serialization.Metadata;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Runtime.Persistence;

internal sealed class PersistentState<TState>(
    IGrainContext context,
    IStateSerializer<TState> serializer,
    Func<TState> createDefault,
    PersistentStateFactory shared) : IPersistentState<TState>
    where TState : class
{
    private TState? _state;

    /// <summary>The state as last read or written, in its stored form: what stays resident between turns.</summary>
    private byte[]? _stored;

    /// <summary>The due moment of the stored row at <see cref="Version"/>.</summary>
    private DateTimeOffset? _storedDueAt;

    public TState State
    {
        get => _state ??= _stored is null ? createDefault() : serializer.DeserializeKept(_stored);
        set => _state = value;
    }

    public long Version { get; private set; }

    public bool RecordExists => Version > 0;

    public DateTimeOffset? DueAt { get; set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await shared.Storage.ReadStateAsync(context.GrainId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            _state = null;
            _stored = null;
            Version = 0;
            DueAt = null;
            _storedDueAt = null;
            return;
        }

        _state = null;   // decoded on first use: a lookup reads what it shows from the stored form (TryGetStored)
        _stored = stored.Payload;
        Version = stored.Version;
        DueAt = stored.DueAt;
        _storedDueAt = stored.DueAt;
    }

    public Task WriteStateAsync(IReadOnlyList<JournalEntry>? journal = null, CancellationToken cancellationToken = default, IReadOnlyList<OutboxMessage>? outbox = null) =>
        WriteAsync(journal, outbox, release: false, cancellationToken);

    public Task WriteStateAndReleaseAsync(IReadOnlyList<JournalEntry>? journal = null, IReadOnlyList<OutboxMessage>? outbox = null, CancellationToken cancellationToken = default) =>
        WriteAsync(journal, outbox, release: true, cancellationToken);

    private async Task WriteAsync(IReadOnlyList<JournalEntry>? journal, IReadOnlyList<OutboxMessage>? outbox, bool release, CancellationToken cancellationToken)
    {
        var payload = serializer.Serialize(State);
        if (release)
        {
            // Until the write is durable State decodes what storage held before it; on success, what was written.
            _state = null;
        }

        var write = new StateWrite(
            context.GrainId,
            context.Partition,
            Version,
            payload,
            shared.Time.GetUtcNow(),
            journal ?? [],
            DueAt,
            outbox)
        {
            KeepsDueAt = RecordExists && DueAt == _storedDueAt,
        };
        try
        {
            await shared.Writer.WriteAsync(write).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Storage may or may not hold this write (a commit can fail after reaching the disk); either way the
            // in-memory state is no longer known to match it. The activation reloads before its next turn.
            context.InvalidateState();
            throw;
        }

        Version = write.NewVersion;
        _stored = payload;
        _storedDueAt = write.DueAt;
    }

    public void Release() => _state = null;

    public bool TryGetStored(out ReadOnlyMemory<byte> stored)
    {
        var available = _state is null && _stored is not null;
        stored = available ? _stored : default;
        return available;
    }
}

/// <summary>Creates a grain's persistent state; grains receive it through their constructor.</summary>
/// <remarks>
/// Each state refers to this factory for the services all of them share, rather than to each service: one reference
/// instead of three in every resident customer.
/// </remarks>
public sealed class PersistentStateFactory(IGrainStorage storage, GroupCommitWriter writer, TimeProvider time)
{
    internal IGrainStorage Storage { get; } = storage;

    internal GroupCommitWriter Writer { get; } = writer;

    internal TimeProvider Time { get; } = time;

    /// <summary>State stored as source-generated JSON.</summary>
    public IPersistentState<TState> Create<TState>(IGrainContext context, JsonTypeInfo<TState> typeInfo, Func<TState> createDefault)
        where TState : class =>
        Create(context, new JsonStateSerializer<TState>(typeInfo), createDefault);

    /// <summary>State stored in the form <paramref name="serializer"/> gives it.</summary>
    public IPersistentState<TState> Create<TState>(IGrainContext context, IStateSerializer<TState> serializer, Func<TState> createDefault)
        where TState : class =>
        new PersistentState<TState>(context, serializer, createDefault, this);
}
