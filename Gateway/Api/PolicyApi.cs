using CustomerActors.Grains.Policy;
using CustomerActors.Silo.Policy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CustomerActors.Gateway.Api;

/// <summary>The customer policy: read, preview a change (dry run), change it live, follow its rollout.</summary>
public static class PolicyApi
{
    /// <summary>Largest policy document accepted.</summary>
    public const int MaxDocumentBytes = 1 << 20;

    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/policy").WithTags("Policy");
        group.MapGet("/", GetPolicy)
            .WithName("GetPolicy")
            .WithSummary("The active policy document, its version inside it: edit it and PUT it back");
        group.MapPut("/", PutPolicyAsync)
            .WithName("PutPolicy")
            .WithSummary("Validate, store and activate a new version without a restart; its version must be the active one (the one you read)")
            .Accepts<string>("application/json");
        group.MapPost("/dry-run", DryRunAsync)
            .WithName("DryRunPolicy")
            .WithSummary("How many stored customers a candidate policy would move, per tier, tag and flag, with examples; changes nothing")
            .Accepts<string>("application/json");
        group.MapGet("/versions", ListVersionsAsync).WithName("ListPolicyVersions");
        group.MapGet("/versions/{version:int}", GetVersionAsync).WithName("GetPolicyVersion");
        group.MapGet("/rollouts/{id}", GetRolloutAsync)
            .WithName("GetPolicyRollout")
            .WithSummary("Progress of re-evaluating every stored customer after a change (id: v<version>)");
        return routes;
    }

    internal static ContentHttpResult GetPolicy(CustomerPolicyProvider policy) =>
        TypedResults.Text(PolicyDocument.Serialize(policy.Current), "application/json");

    internal static async Task<Results<Accepted<PolicyChangeResponse>, ValidationProblem, ProblemHttpResult>> PutPolicyAsync(
        HttpRequest request, PolicyService policies, CancellationToken cancellationToken)
    {
        var (json, problem) = await ReadDocumentAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var change = await policies.ChangeAsync(json!, cancellationToken).ConfigureAwait(false);
        if (change.Errors.Count > 0)
        {
            return Invalid(change.Errors);
        }

        if (change.Conflict is not null)
        {
            return TypedResults.Problem(change.Conflict, statusCode: StatusCodes.Status409Conflict, title: "Policy changed meanwhile");
        }

        var location = $"/v1/policy/rollouts/{change.RolloutId}";
        return TypedResults.Accepted(location, new PolicyChangeResponse(change.Activated!.Version, change.RolloutId!, location));
    }

    internal static async Task<Results<Ok<DryRunReport>, ValidationProblem, ProblemHttpResult>> DryRunAsync(
        HttpRequest request, PolicyDryRun dryRun, CancellationToken cancellationToken)
    {
        var (json, problem) = await ReadDocumentAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var (candidate, errors) = PolicyDocument.Parse(json!);
        return candidate is null
            ? Invalid(errors)
            : TypedResults.Ok(await dryRun.RunAsync(candidate, cancellationToken).ConfigureAwait(false));
    }

    internal static async Task<Ok<IReadOnlyList<PolicyVersionInfo>>> ListVersionsAsync(PolicyService policies, CustomerPolicyProvider provider, CancellationToken cancellationToken)
    {
        var versions = await policies.ListVersionsAsync(cancellationToken).ConfigureAwait(false);
        var active = provider.Current.Version;
        return TypedResults.Ok<IReadOnlyList<PolicyVersionInfo>>([.. versions.Select(v => new PolicyVersionInfo(v.Version, v.CreatedAt, v.Version == active))]);
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetVersionAsync(int version, PolicyService policies, CancellationToken cancellationToken) =>
        await policies.ReadVersionAsync(version, cancellationToken).ConfigureAwait(false) is { } stored
                && PolicyDocument.Parse(stored.Body).Document is { } document
            ? TypedResults.Text(PolicyDocument.Serialize(document.Policy), "application/json")
            : TypedResults.Problem($"There is no policy version {version}.", statusCode: StatusCodes.Status404NotFound, title: "Unknown policy version");

    internal static async Task<Results<Ok<RolloutProgress>, ProblemHttpResult>> GetRolloutAsync(string id, PolicyService policies, CancellationToken cancellationToken) =>
        await policies.GetRolloutAsync(id, cancellationToken).ConfigureAwait(false) is { } progress
            ? TypedResults.Ok(progress)
            : TypedResults.Problem($"There is no rollout '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown rollout");

    private static async Task<(string? Json, ProblemHttpResult? Problem)> ReadDocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var buffer = new char[MaxDocumentBytes + 1];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > MaxDocumentBytes)
        {
            return (null, TypedResults.Problem($"A policy document is at most {MaxDocumentBytes} characters.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Policy too large"));
        }

        return read == 0
            ? (null, TypedResults.Problem("The body must be a policy document (GET /v1/policy gives the active one).", statusCode: StatusCodes.Status400BadRequest, title: "Empty body"))
            : (new string(buffer, 0, read), null);
    }

    /// <summary>Every error, keyed by its JSON path.</summary>
    private static ValidationProblem Invalid(IReadOnlyList<PolicyError> errors) => TypedResults.ValidationProblem(
        errors.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal),
        title: "The policy is not valid; the active policy is unchanged");
}

/// <summary>The version a change activated and where to follow its rollout.</summary>
public sealed record PolicyChangeResponse(int Version, string RolloutId, string Rollout);

/// <summary>A stored policy version.</summary>
public sealed record PolicyVersionInfo(int Version, DateTimeOffset CreatedAt, bool Active);
