using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Serialization;

/// <summary>
/// Writes the bodies of <see cref="JsonOk{T}"/> with the app's JSON options split in two. The writer applies the app's
/// encoder (ASP.NET Core's is <c>UnsafeRelaxedJsonEscaping</c>); the serializer gets the same options without it.
/// System.Text.Json runs the generated serializers of <see cref="GatewayJsonContext"/> in their fast path only for
/// options without a custom encoder, and only when every contract in the type's graph comes from a compatible
/// resolver: with the app's options as they are, every response went through the metadata-driven converters. The
/// bytes are the same, since the writer, not the serializer, escapes strings. Should the app's options change in a way
/// the generated code cannot honour (a naming policy, a converter), System.Text.Json falls back to the converters.
/// </summary>
internal sealed class ResponseSerializer
{
    public ResponseSerializer(IOptions<JsonOptions> app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Value.SerializerOptions;
        Options = new JsonSerializerOptions(options) { Encoder = null };

        // First in the chain, so that it also supplies the contracts of the values inside (strings, numbers,
        // dictionaries). Resolvers the framework puts first (OpenAPI's, problem details') have generated settings of
        // their own, and one such contract in a type's graph turns the fast path off for the whole type.
        Options.TypeInfoResolverChain.Remove(GatewayJsonContext.Default);
        Options.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default);
        Options.MakeReadOnly();
        WriterOptions = new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth };
    }

    /// <summary>The serializer's options: the app's contracts and settings, without the encoder.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>The writer's options: the app's encoder, indentation and depth.</summary>
    public JsonWriterOptions WriterOptions { get; }

    /// <summary>Writes the JSON of a <see cref="CustomerView"/> from a stored view (<see cref="CustomerViewJson"/>), with the writer's options.</summary>
    public void Write(IBufferWriter<byte> output, StoredCustomerView view)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        CustomerViewJson.Write(writer, view);
    }

    /// <summary>Writes <paramref name="value"/> as JSON into <paramref name="output"/> (not flushed beyond the writer).</summary>
    public void Write<T>(IBufferWriter<byte> output, T value)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));
    }
}
