using System.Globalization;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerActors.Gateway.Api;

/// <summary>Live customer state and history.</summary>
public static class CustomersApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/customers").WithTags("Customers");
        group.MapGet("/{id}", GetCustomerAsync)
            .WithName("GetCustomer")
            .WithSummary("A customer's live state: tiers, tags, risk flags and aggregates, each explained");
        group.MapGet("/{id}/events", GetEventsAsync)
            .WithName("GetCustomerEvents")
            .WithSummary("Accepted events, newest first; page with ?limit= and ?before=<seq> (nextBefore of the previous page)");
        return routes;
    }

    internal static async Task<Results<Ok<CustomerView>, ProblemHttpResult, ValidationProblem>> GetCustomerAsync(string id, IGrainFactory grains)
    {
        if (!CustomerIds.IsValid(id))
        {
            return InvalidId();
        }

        var view = await grains.GetGrain<ICustomerGrain>(id).GetViewAsync().ConfigureAwait(false);
        return view is null ? UnknownCustomer(id) : TypedResults.Ok(view);
    }

    internal static async Task<Results<Ok<EventPage>, ProblemHttpResult, ValidationProblem>> GetEventsAsync(
        string id, string? limit, string? before, IGrainFactory grains)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!CustomerIds.IsValid(id))
        {
            errors["id"] = [CustomerIds.Rule];
        }

        var pageSize = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            errors["limit"] = [$"must be a whole number from 1 to {MaxPageSize}"];
        }

        long? beforeSeq = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1)
            {
                beforeSeq = parsed;
            }
            else
            {
                errors["before"] = ["must be a positive whole number: the nextBefore of the previous page"];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await grains.GetGrain<ICustomerGrain>(id).GetEventsAsync(pageSize, beforeSeq).ConfigureAwait(false);
        return page is null ? UnknownCustomer(id) : TypedResults.Ok(page);
    }

    private static ValidationProblem InvalidId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [CustomerIds.Rule] });

    private static ProblemHttpResult UnknownCustomer(string id) => TypedResults.Problem(
        $"No events have been accepted for customer '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown customer");
}
