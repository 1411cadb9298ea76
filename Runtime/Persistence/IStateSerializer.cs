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
}

/// <summary>State as source-generated JSON.</summary>
public sealed class JsonStateSerializer<TState>(JsonTypeInfo<TState> typeInfo) : IStateSerializer<TState>
    where TState : class
{
    public byte[] Serialize(TState state) => JsonSerializer.SerializeToUtf8Bytes(state, typeInfo);

    public TState Deserialize(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize(payload, typeInfo) ?? throw new InvalidDataException("Stored state is null.");
}
