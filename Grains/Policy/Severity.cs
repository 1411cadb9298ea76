namespace CustomerActors.Grains.Policy;

/// <summary>Alert severities and activity levels, as the policy spells them.</summary>
public static class PolicyNames
{
    public static IReadOnlyList<string> Severities { get; } = ["low", "medium", "high", "critical"];

    /// <summary>Activity levels from lowest to highest.</summary>
    public static IReadOnlyList<string> ActivityLevels { get; } = ["low", "medium", "high", "veryHigh"];

    public static IReadOnlyList<string> CreditGrades { get; } = ["A", "B", "C", "D"];

    /// <summary>Membership tiers from lowest to highest.</summary>
    public static IReadOnlyList<string> MembershipTiers { get; } = ["regular", "silver", "gold", "diamond"];

    /// <summary>Where <paramref name="name"/> stands in <paramref name="names"/> (lowest first), or -1; no copy of the list (it is asked on every evaluation).</summary>
    public static int RankIn(IReadOnlyList<string> names, string name)
    {
        ArgumentNullException.ThrowIfNull(names);
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
