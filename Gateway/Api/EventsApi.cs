using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Silo.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CustomerActors.Gateway.Api;

/// <summary><c>POST /v1/events</c>: transaction events in, as a JSON array (or one object) or NDJSON.</summary>
public static class EventsApi
{
    public const string NdjsonContentType = "application/x-ndjson";

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/events").WithTags("Events");
        group.MapPost("/", PostEventsAsync)
            .WithName("PostEvents")
            .WithSummary("Ingest a batch of transaction events")
            .WithDescription("A JSON array of events (or one event object), or NDJSON (Content-Type: application/x-ndjson), up to Events:MaxBatchSize events. "
                + "Answers only after accepted events and their effects are durable. Invalid events are listed and never block valid ones.")
            .Accepts<TransactionEvent[]>("application/json", NdjsonContentType)
            .Produces<IngestResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    internal static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> PostEventsAsync(
        HttpRequest request,
        EventBatchParser parser,
        EventIngestor ingestor,
        IOptions<EventOptions> options,
        CancellationToken cancellationToken)
    {
        var ndjson = false;
        if (request.ContentType is { Length: > 0 } contentType)
        {
            if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
            {
                return UnsupportedMediaType(contentType);
            }

            var type = mediaType.MediaType.Value ?? "";
            ndjson = type.Equals(NdjsonContentType, StringComparison.OrdinalIgnoreCase) || type.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase);
            var json = type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
            if (!ndjson && !json)
            {
                return UnsupportedMediaType(contentType);
            }
        }

        PooledBody body;
        try
        {
            body = await PooledBody.ReadAsync(request.Body, request.ContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            return BodyProblem(ex.StatusCode, "Request body rejected", ex.Message);
        }

        using (body)
        {
            if (body.Length == 0)
            {
                return BodyProblem(StatusCodes.Status400BadRequest, "Empty body", "the body must hold at least one event");
            }

            var maxEvents = options.Value.MaxBatchSize;
            var (batch, failure) = ndjson ? parser.ParseNdjson(body.Memory, maxEvents) : parser.ParseJson(body.Memory, maxEvents);
            if (failure is not null)
            {
                return failure.Kind switch
                {
                    BatchFailureKind.TooManyEvents => BodyProblem(StatusCodes.Status413PayloadTooLarge, "Too many events", failure.Message),
                    BatchFailureKind.NotJson => BodyProblem(StatusCodes.Status400BadRequest, "Body is not valid JSON", failure.Message),
                    _ => BodyProblem(StatusCodes.Status400BadRequest, "Body is not a batch of events", failure.Message),
                };
            }

            // The parsed batch holds its own strings (and cloned extra attributes): nothing refers to the buffer.
            return TypedResults.Ok(await ingestor.IngestAsync(batch!, EventIngestor.Http).ConfigureAwait(false));
        }
    }

    private static ProblemHttpResult UnsupportedMediaType(string contentType) => BodyProblem(
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported content type",
        $"'{contentType}' is not accepted; send application/json (an array of events) or {NdjsonContentType} (one event per line)",
        field: "Content-Type");

    /// <summary>A problem about the body as a whole; <c>errors</c> names the field like the per-event errors do.</summary>
    private static ProblemHttpResult BodyProblem(int status, string title, string detail, string field = "body") =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?>
        {
            ["errors"] = new[] { new FieldError(field, detail) },
        });
}
