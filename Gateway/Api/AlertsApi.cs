using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Storage;
using CustomerActors.Silo.Alerts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerActors.Gateway.Api;

/// <summary>Alerts for risk teams: list and filter, acknowledge, resolve, and a live stream with resume.</summary>
public static class AlertsApi
{
    /// <summary>How long the stream waits for a commit before looking at storage anyway (other processes write too).</summary>
    public static readonly TimeSpan StreamPollInterval = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/alerts").WithTags("Alerts");
        group.MapGet("/", ListAsync)
            .WithName("ListAlerts")
            .WithSummary("Alerts oldest first; filter by status, severity, customer and time range; page with ?after=<nextAfter>");
        group.MapGet("/stream", Stream)
            .WithName("StreamAlerts")
            .WithSummary("Server-sent events: every alert (event: alert) and tier change (event: tier) as it commits; resumes after Last-Event-ID without gaps");
        group.MapGet("/{id}", GetAsync).WithName("GetAlert");
        group.MapPost("/{id}/acknowledge", (string id, AlertAction? body, AlertStore alerts, CancellationToken ct) =>
                ChangeStatusAsync(id, AlertStatuses.Acknowledged, body, alerts, ct))
            .WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge an alert: {\"by\": \"who\", \"note\": \"optional\"}");
        group.MapPost("/{id}/resolve", (string id, AlertAction? body, AlertStore alerts, CancellationToken ct) =>
                ChangeStatusAsync(id, AlertStatuses.Resolved, body, alerts, ct))
            .WithName("ResolveAlert")
            .WithSummary("Resolve an alert: {\"by\": \"who\", \"note\": \"optional\"}");
        return routes;
    }

    internal static async Task<Results<Ok<AlertPage>, ValidationProblem>> ListAsync(
        string? status, string? severity, string? customer, string? from, string? to, string? after, string? limit,
        AlertStore alerts, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var filter = new AlertFilter(
            query.OneOf("status", status, AlertStatuses.All),
            query.OneOf("severity", severity, PolicyNames.Severities),
            customer,
            query.Timestamp("from", from),
            query.Timestamp("to", to));
        query.Require(customer is null || CustomerIds.IsValid(customer), "customer", CustomerIds.Rule);
        var afterSeq = query.Position("after", after, allowZero: true) ?? 0;
        var size = query.PageSize(limit);
        if (!query.IsValid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        return TypedResults.Ok(await alerts.ListAsync(filter, afterSeq, size, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<Results<Ok<AlertView>, ProblemHttpResult>> GetAsync(string id, AlertStore alerts, CancellationToken cancellationToken) =>
        await alerts.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } alert ? TypedResults.Ok(alert) : UnknownAlert(id);

    internal static async Task<Results<Ok<AlertView>, ProblemHttpResult, ValidationProblem>> ChangeStatusAsync(
        string id, string status, AlertAction? body, AlertStore alerts, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        query.Require(body?.By is { Length: > 0 and <= 128 }, "by", "is required: who acts on the alert (1-128 characters)");
        query.Require(body?.Note is null or { Length: <= 1000 }, "note", "must be at most 1000 characters");
        if (!query.IsValid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        return await alerts.ChangeStatusAsync(id, status, body!.By!, body.Note, cancellationToken).ConfigureAwait(false) is { } alert
            ? TypedResults.Ok(alert)
            : UnknownAlert(id);
    }

    internal static Results<EventStreamResult, ValidationProblem> Stream(
        HttpRequest request, string? after, IGrainStorage storage, CommitSignal committed, CancellationToken cancellationToken)
    {
        var query = new QueryParameters();
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        var start = query.Position("Last-Event-ID", lastEventId.Length > 0 ? lastEventId : null, allowZero: true)
            ?? query.Position("after", after, allowZero: true);
        if (!query.IsValid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        return new EventStreamResult(ReadAsync(start, storage, committed, cancellationToken));
    }

    /// <summary>
    /// Messages after <paramref name="start"/> in commit order, then each new one as it commits. A new
    /// stream without a position starts at the end (only what happens from now on).
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> ReadAsync(
        long? start, IGrainStorage storage, CommitSignal committed, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = start ?? await storage.LastOutboxSeqAsync(cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            // Take the signal before reading, so a commit between the read and the wait is not missed.
            var next = committed.NextAsync(cancellationToken);
            var messages = await storage.ReadOutboxAsync(new OutboxQuery(position, 500), cancellationToken).ConfigureAwait(false);
            foreach (var message in messages)
            {
                position = message.Seq;
                yield return new SseItem<string>(Encoding.UTF8.GetString(message.Payload), message.Topic)
                {
                    EventId = message.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            }

            if (messages.Count == 0)
            {
                await Task.WhenAny(next, Task.Delay(StreamPollInterval, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    private static ProblemHttpResult UnknownAlert(string id) =>
        TypedResults.Problem($"There is no alert '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown alert");
}

/// <summary>Who acknowledges or resolves an alert, and an optional note.</summary>
public sealed record AlertAction(string? By, string? Note);
