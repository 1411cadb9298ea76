using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace CustomerActors.Gateway.Api;

/// <summary>
/// A server-sent events response that opens at once (headers flushed before the first event, so clients see
/// the stream is live) and writes each item as it comes, flushed, with its id for <c>Last-Event-ID</c>.
/// </summary>
internal sealed class EventStreamResult(IAsyncEnumerable<SseItem<string>> items) : IResult, IEndpointMetadataProvider
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            await SseFormatter.WriteAsync(items, response.Body, static (item, writer) => writer.Write(Encoding.UTF8.GetBytes(item.Data)), httpContext.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/event-stream"]));
    }
}
