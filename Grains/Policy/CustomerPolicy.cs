namespace CustomerActors.Grains.Policy;

/// <summary>
/// The customer policy: every threshold the rules use, as data. The defaults here follow
/// docs/domain.md; every decision records <see cref="Version"/>.
/// </summary>
public sealed record CustomerPolicy
{
    public int Version { get; init; } = 1;

    public MembershipPolicy Membership { get; init; } = new();

    public LargeTransactionPolicy LargeTransaction { get; init; } = new();

    /// <summary>A balance below this is "low"; the customer's state records since when.</summary>
    public decimal LowBalanceThreshold { get; init; } = 1_000m;

    public static CustomerPolicy Default { get; } = new();
}

/// <summary>
/// Membership tier by net spend over the last 12 months:
/// regular &lt; <see cref="Silver"/> &lt;= silver &lt; <see cref="Gold"/> &lt;= gold &lt;= <see cref="Diamond"/> &lt; diamond.
/// </summary>
public sealed record MembershipPolicy
{
    /// <summary>Spend from which a customer is silver (inclusive).</summary>
    public decimal Silver { get; init; } = 10_000m;

    /// <summary>Spend from which a customer is gold (inclusive).</summary>
    public decimal Gold { get; init; } = 50_000m;

    /// <summary>Spend above which a customer is diamond (exclusive: exactly this much is still gold).</summary>
    public decimal Diamond { get; init; } = 100_000m;
}

/// <summary>A single money movement of at least <see cref="AbsoluteThreshold"/> raises the large-transaction flag.</summary>
public sealed record LargeTransactionPolicy
{
    public decimal AbsoluteThreshold { get; init; } = 50_000m;
}
