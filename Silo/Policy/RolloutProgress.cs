namespace CustomerActors.Silo.Policy;

/// <summary>
/// Progress of re-evaluating every stored customer after a policy change: how many were looked at, how many
/// changed, how many failed (they catch up at their next event or due time).
/// </summary>
public sealed record RolloutProgress
{
    public required string Id { get; init; }
    public required int PolicyVersion { get; init; }
    /// <summary><c>running</c>, <c>completed</c>, <c>superseded</c> (a newer policy took over) or <c>failed</c>.</summary>
    public required string Status { get; init; }
    public required long Customers { get; init; }
    public required long Changed { get; init; }
    public required long Failed { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }

    public static string IdOf(int policyVersion) => $"v{policyVersion}";
}
