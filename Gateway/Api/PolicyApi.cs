using CustomerActors.Grains.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerActors.Gateway.Api;

/// <summary>The customer policy: thresholds and rules as data.</summary>
public static class PolicyApi
{
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/policy").WithTags("Policy");
        group.MapGet("/", GetPolicy)
            .WithName("GetPolicy")
            .WithSummary("The active policy document, its version inside it");
        return routes;
    }

    internal static ContentHttpResult GetPolicy(CustomerPolicyProvider policy) =>
        TypedResults.Text(PolicyDocument.Serialize(policy.Current), "application/json");
}
