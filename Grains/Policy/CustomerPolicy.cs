namespace CustomerActors.Grains.Policy;

/// <summary>
/// The customer policy: every threshold the rules use, as data. Loaded from JSON (the shipped defaults are
/// <c>Grains/Policy/default-policy.json</c>); every decision records <see cref="Version"/>.
/// </summary>
public sealed record CustomerPolicy
{
    public required int Version { get; init; }
    public required TagPolicies Tags { get; init; }
    public required TierPolicies Tiers { get; init; }
    public required RiskPolicies Risk { get; init; }
    public required AlertPolicy Alerts { get; init; }
}

public sealed record TagPolicies
{
    public required PurchaseFrequencyPolicy PurchaseFrequency { get; init; }
    public required ActivityPolicy Activity { get; init; }
    public required TransactionFrequencyPolicy TransactionFrequency { get; init; }
    public required MonthlyContributionPolicy MonthlyContribution { get; init; }
    public required TenurePolicy Tenure { get; init; }
    public required ChurnRiskPolicy ChurnRisk { get; init; }
    public required RenewalWarningPolicy RenewalWarning { get; init; }
    public required WarrantyExpiringPolicy WarrantyExpiring { get; init; }
    public required CustomTagPolicy Custom { get; init; }
}

public sealed record PurchaseFrequencyPolicy(int WindowMonths, int HighFrom, int MediumFrom);
public sealed record ActivityPolicy(int WindowDays, int ActiveFrom, int NormalFrom);
public sealed record TransactionFrequencyPolicy(int WindowDays, int MediumFrom, int HighAbove);
public sealed record MonthlyContributionPolicy(decimal MediumFrom, decimal HighFrom);
public sealed record TenurePolicy(int MiddleFromYears, int LongAboveYears);
public sealed record ChurnRiskPolicy(int DaysWithoutOrder);
public sealed record RenewalWarningPolicy(int DaysBeforeEnd);
public sealed record WarrantyExpiringPolicy(int DaysBeforeExpiry);
public sealed record CustomTagPolicy(IReadOnlyList<string> Allowed, int MaxPerCustomer);

public sealed record TierPolicies
{
    public required MembershipPolicy Membership { get; init; }
    public required CreditPolicy Credit { get; init; }
    public required ActivityLevelPolicy ActivityLevel { get; init; }
    public required ServicePolicy Service { get; init; }
}

/// <summary>regular &lt; SilverFrom &lt;= silver &lt; GoldFrom &lt;= gold &lt;= DiamondAbove &lt; diamond.</summary>
public sealed record MembershipPolicy(decimal SilverFrom, decimal GoldFrom, decimal DiamondAbove);

/// <summary>A &gt;= AFrom; B &gt;= BFrom; C &gt;= CFrom; D below.</summary>
public sealed record CreditPolicy(int AFrom, int BFrom, int CFrom);

/// <summary>Logins in the window: low &lt; MediumFrom &lt;= medium &lt; HighFrom &lt;= high &lt; VeryHighFrom &lt;= veryHigh.</summary>
public sealed record ActivityLevelPolicy(int WindowDays, int MediumFrom, int HighFrom, int VeryHighFrom);

public sealed record ServicePolicy(VipServicePolicy Vip, AdvancedServicePolicy Advanced);
public sealed record VipServicePolicy(int CreditAbove, decimal SpendAbove, string ActivityAtLeast);
public sealed record AdvancedServicePolicy(int CreditFrom, decimal SpendFrom, string ActivityAtLeast);

public sealed record RiskPolicies
{
    public required LargeTransactionPolicy LargeTransaction { get; init; }
    public required VelocityPolicy Velocity { get; init; }
    public required FailedPaymentsPolicy FailedPayments { get; init; }
    public required LowCreditPolicy LowCredit { get; init; }
    public required LowBalancePolicy LowBalance { get; init; }
    public required ComplaintsPolicy Complaints { get; init; }
}

public sealed record LargeTransactionPolicy(decimal AbsoluteFrom, decimal MultipleOfAverage, int MinTransactions, int HoldDays, string Severity);
public sealed record VelocityPolicy(int Transactions, int WithinMinutes, int HoldDays, string Severity);
public sealed record FailedPaymentsPolicy(int Count, int WithinDays, string Severity);
public sealed record LowCreditPolicy(IReadOnlyList<string> Grades, string Severity);
public sealed record LowBalancePolicy(decimal Threshold, int Days, int DowngradeLevels, string Severity);
public sealed record ComplaintsPolicy(int Count, int WithinDays, string Severity);

public sealed record AlertPolicy(IReadOnlyList<string> DowngradeFrom, string DowngradeSeverity);
