using CustomerActors.Runtime.Storage;
using CustomerActors.Silo.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Api;

/// <summary>Configured webhook subscribers and the state of every delivery to them.</summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/webhooks").WithTags("Webhooks");
        group.MapGet("/", List)
            .WithName("ListWebhooks")
            .WithSummary("Configured subscribers (from configuration only; secrets never shown)");
        group.MapGet("/{name}/deliveries", ListDeliveriesAsync)
            .WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries in commit order: status (pending, delivered, failed), attempts, last HTTP status and error; page with ?after=");
        return routes;
    }

    internal static Ok<IReadOnlyList<WebhookInfo>> List(IOptions<WebhookOptions> options) =>
        TypedResults.Ok<IReadOnlyList<WebhookInfo>>([.. options.Value.Subscribers.Select(s => new WebhookInfo(s.Key, s.Value.Url, s.Value.EffectiveTopics))]);

    internal static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult, ValidationProblem>> ListDeliveriesAsync(
        string name, string? status, string? after, string? limit, IOptions<WebhookOptions> options, IDeliveryLog deliveries, CancellationToken cancellationToken)
    {
        if (!options.Value.Subscribers.ContainsKey(name))
        {
            return TypedResults.Problem($"No webhook subscriber '{name}' is configured.", statusCode: StatusCodes.Status404NotFound, title: "Unknown webhook");
        }

        var query = new QueryParameters();
        var filter = query.OneOf("status", status, [Delivery.Pending, Delivery.Delivered, Delivery.Failed]);
        var afterSeq = query.Position("after", after, allowZero: true) ?? 0;
        var size = query.PageSize(limit);
        if (!query.IsValid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        var items = await deliveries.ListAsync(name, filter, afterSeq, size, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DeliveryPage(items, items.Count == size ? items[^1].Seq : null));
    }
}

public sealed record WebhookInfo(string Name, string Url, IReadOnlyList<string> Topics);

public sealed record DeliveryPage(IReadOnlyList<Delivery> Items, long? NextAfter);
