using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Gateway.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerActors.Gateway.Api;

/// <summary>Live customer state and history.</summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/customers").WithTags("Customers");
        group.MapGet("/{id}", GetCustomerAsync)
            .WithName("GetCustomer")
            .WithSummary("A customer's live state: tiers, tags, risk flags and aggregates, each explained");
        group.MapGet("/{id}/events", GetEventsAsync)
            .WithName("GetCustomerEvents")
            .WithSummary("Accepted events, newest first; page with ?limit= and ?before=<seq> (nextBefore of the previous page)");
        group.MapGet("/{id}/changes", GetChangesAsync)
            .WithName("GetCustomerChanges")
            .WithSummary("Every tier, tag and flag change with before, after, rule, reason (event id, time or policy), policy version and time; newest first");
        return routes;
    }

    internal static async Task<Results<CustomerViewOk, ProblemHttpResult, ValidationProblem>> GetCustomerAsync(string id, IGrainFactory grains)
    {
        if (!CustomerIds.IsValid(id))
        {
            return InvalidId();
        }

        // The stored form, written as JSON after the grain's turn: no view objects built only to be serialized.
        var view = await grains.GetGrain<ICustomerGrain>(id).GetStoredViewAsync().ConfigureAwait(false);
        return view is null ? UnknownCustomer(id) : new CustomerViewOk(view);
    }

    internal static async Task<Results<JsonOk<EventPage>, ProblemHttpResult, ValidationProblem>> GetEventsAsync(
        string id, string? limit, string? before, IGrainFactory grains)
    {
        var query = new QueryParameters();
        var (size, cursor) = ReadPaging(query, id, limit, before);
        if (!query.IsValid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        var page = await grains.GetGrain<ICustomerGrain>(id).GetEventsAsync(size, cursor).ConfigureAwait(false);
        return page is null ? UnknownCustomer(id) : JsonResults.Ok(page);
    }

    internal static async Task<Results<JsonOk<ChangePage>, ProblemHttpResult, ValidationProblem>> GetChangesAsync(
        string id, string? limit, string? before, IGrainFactory grains)
    {
        var query = new QueryParameters();
        var (size, cursor) = ReadPaging(query, id, limit, before);
        if (!query.IsValid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }

        var page = await grains.GetGrain<ICustomerGrain>(id).GetChangesAsync(size, cursor).ConfigureAwait(false);
        return page is null ? UnknownCustomer(id) : JsonResults.Ok(page);
    }

    private static (int Size, long? Before) ReadPaging(QueryParameters query, string id, string? limit, string? before)
    {
        query.Require(CustomerIds.IsValid(id), "id", CustomerIds.Rule);
        return (query.PageSize(limit), query.Position("before", before));
    }

    private static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [CustomerIds.Rule] });

    private static ProblemHttpResult UnknownCustomer(string id) => TypedResults.Problem(
        $"No events have been accepted for customer '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer");
}
