using System.Buffers;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace CustomerActors.Gateway.Serialization;

/// <summary>
/// A 200 response whose JSON body is written in one pass straight into the response pipe, by the generated
/// serializer (<see cref="GatewayJsonContext"/>) in its fast path (see <see cref="ResponseSerializer"/>).
/// <c>TypedResults.Ok</c> serializes through the streaming path, which gives the generated code up for good once one
/// body exceeded 8 KB (a busy customer's state does); same options, same bytes. The body is buffered in the pipe until
/// the one flush at the end: bounded by what these responses can hold (a state, or a page of at most 1,000 items).
/// </summary>
internal sealed class JsonOk<T>(T value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) =>
        JsonResults.WriteAsync(httpContext, value, static (serializer, body, value) => serializer.Write(body, value));

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
    }
}

/// <summary>Factory for <see cref="JsonOk{T}"/>, and how the 200 JSON responses here write their bodies.</summary>
internal static class JsonResults
{
    private const string ContentType = "application/json; charset=utf-8";

    public static JsonOk<T> Ok<T>(T value) => new(value);

    /// <summary>A 200 JSON response whose body <paramref name="write"/> puts into the response pipe, flushed once at the end.</summary>
    public static async Task WriteAsync<TBody>(HttpContext httpContext, TBody body, Action<ResponseSerializer, IBufferWriter<byte>, TBody> write)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(write);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        write(httpContext.RequestServices.GetRequiredService<ResponseSerializer>(), response.BodyWriter, body);

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
    }
}
