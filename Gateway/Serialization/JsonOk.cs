using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Serialization;

/// <summary>
/// A 200 response whose JSON body is written in one pass straight into the response pipe, by the generated
/// serializer (<see cref="GatewayJsonContext"/>) when the app's JSON options allow it. <c>TypedResults.Ok</c>
/// serializes through the streaming path, which gives the generated code up for good once one body exceeded
/// 8 KB (a busy customer's state does); same options, same bytes. The body is buffered in the pipe until the one
/// flush at the end: bounded by what these responses can hold (a state, or a page of at most 1,000 items).
/// </summary>
internal sealed class JsonOk<T>(T value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";

    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        var writerOptions = new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth };
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, writerOptions))
        {
            JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
    }
}

/// <summary>Factory for <see cref="JsonOk{T}"/>.</summary>
internal static class JsonResults
{
    public static JsonOk<T> Ok<T>(T value) => new(value);
}
