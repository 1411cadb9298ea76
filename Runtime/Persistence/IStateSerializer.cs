using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CustomerActors.Runtime.Persistence;

/// <summary>Turns a grain's state into the bytes stored (and kept resident between turns) and back.</summary>
public interface IStateSerializer<TState>
    where TState : class
{
    byte[] Serialize(TState state);

    /// <summary>Reads a stored payload; throws <see cref="InvalidDataException"/> or <see cref="JsonException"/> when it is malformed.</summary>
    TState Deserialize(ReadOnlySpan<byte> payload);

    /// <summary>
    /// Reads a stored payload that its caller keeps, unchanged, for as long as the state read from it lives (as a grain's
    /// persistent state keeps what it last read or wrote): the state may then refer to parts of it instead of copying
    /// them out. The same as <see cref="Deserialize"/> unless a serializer does that.
    /// </summary>
    TState DeserializeKept(ReadOnlyMemory<byte> payload) => Deserialize(payload.Span);
}

/// <summary>State as source-generated JSON.</summary>
public sealed class JsonStateSerializer<TState>(JsonTypeInfo<TState> typeInfo) : IStateSerializer<TState>
    where TState : class
{
    public byte[] Serialize(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, typeInfo);

    public TState Deserialize(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize(payload, typeInfo) ?? throw new InvalidDataException("Stored state is null.");
}
