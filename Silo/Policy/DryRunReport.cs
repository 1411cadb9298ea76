namespace CustomerActors.Silo.Policy;

/// <summary>How many customers a decision change would affect, with up to 20 of them as examples.</summary>
public sealed record ChangeCount(string? From, string? To, long Count, IReadOnlyList<string> Examples);

/// <summary>
/// What a candidate policy would change, compared with the active policy at the same moment, over every
/// stored customer. Grouped by decision (tiers.membership, tags.churnRisk, riskFlags.velocity, ...).
/// </summary>
public sealed record DryRunReport(
    int ActivePolicyVersion,
    int CandidatePolicyVersion,
    DateTimeOffset EvaluatedAt,
    long Customers,
    IReadOnlyDictionary<string, IReadOnlyList<ChangeCount>> Changes,
    double ElapsedMilliseconds);
