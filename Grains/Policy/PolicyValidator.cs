namespace CustomerActors.Grains.Policy;

/// <summary>Checks a structurally valid policy for values that make no sense, naming each by its JSON path.</summary>
public static class PolicyValidator
{
    /// <summary>Rolling windows can reach back at most this far: customers keep 13 months of daily activity.</summary>
    public const int MaxWindowDays = 366;

    public static IReadOnlyList<PolicyError> Validate(CustomerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<PolicyError>();
        void Check(bool ok, string path, string message)
        {
            if (!ok)
            {
                errors.Add(new PolicyError("$." + path, message));
            }
        }

        void Window(int days, string path) => Check(days is >= 1 and <= MaxWindowDays, path, $"must be 1 to {MaxWindowDays} days");
        void Positive(decimal value, string path) => Check(value > 0, path, "must be greater than 0");
        void Ascending(decimal lower, decimal upper, string lowerPath, string upperPath) =>
            Check(lower < upper, upperPath, $"must be greater than {lowerPath} ({lower})");
        void OneOf(string value, IReadOnlyList<string> allowed, string path) =>
            Check(allowed.Contains(value), path, $"must be one of {string.Join(", ", allowed)}");

        Check(policy.Version >= 1, "version", "must be 1 or more");

        var tags = policy.Tags;
        Check(tags.PurchaseFrequency.WindowMonths is >= 1 and <= 12, "tags.purchaseFrequency.windowMonths", "must be 1 to 12 months");
        Positive(tags.PurchaseFrequency.MediumFrom, "tags.purchaseFrequency.mediumFrom");
        Ascending(tags.PurchaseFrequency.MediumFrom, tags.PurchaseFrequency.HighFrom, "mediumFrom", "tags.purchaseFrequency.highFrom");
        Window(tags.Activity.WindowDays, "tags.activity.windowDays");
        Positive(tags.Activity.NormalFrom, "tags.activity.normalFrom");
        Ascending(tags.Activity.NormalFrom, tags.Activity.ActiveFrom, "normalFrom", "tags.activity.activeFrom");
        Window(tags.TransactionFrequency.WindowDays, "tags.transactionFrequency.windowDays");
        Positive(tags.TransactionFrequency.MediumFrom, "tags.transactionFrequency.mediumFrom");
        Check(tags.TransactionFrequency.HighAbove >= tags.TransactionFrequency.MediumFrom, "tags.transactionFrequency.highAbove", "must not be below mediumFrom");
        Positive(tags.MonthlyContribution.MediumFrom, "tags.monthlyContribution.mediumFrom");
        Ascending(tags.MonthlyContribution.MediumFrom, tags.MonthlyContribution.HighFrom, "mediumFrom", "tags.monthlyContribution.highFrom");
        Positive(tags.Tenure.MiddleFromYears, "tags.tenure.middleFromYears");
        Ascending(tags.Tenure.MiddleFromYears, tags.Tenure.LongAboveYears, "middleFromYears", "tags.tenure.longAboveYears");
        Check(tags.ChurnRisk.DaysWithoutOrder is >= 1 and <= 3650, "tags.churnRisk.daysWithoutOrder", "must be 1 to 3650");
        Check(tags.RenewalWarning.DaysBeforeEnd is >= 1 and <= 3650, "tags.renewalWarning.daysBeforeEnd", "must be 1 to 3650");
        Check(tags.WarrantyExpiring.DaysBeforeExpiry is >= 1 and <= 3650, "tags.warrantyExpiring.daysBeforeExpiry", "must be 1 to 3650");
        Check(tags.Custom.MaxPerCustomer is >= 0 and <= 100, "tags.custom.maxPerCustomer", "must be 0 to 100");
        for (var i = 0; i < tags.Custom.Allowed.Count; i++)
        {
            var tag = tags.Custom.Allowed[i];
            Check(!string.IsNullOrWhiteSpace(tag) && tag.Length <= 64, $"tags.custom.allowed[{i}]", "must be 1 to 64 characters");
        }

        var tiers = policy.Tiers;
        Positive(tiers.Membership.SilverFrom, "tiers.membership.silverFrom");
        Ascending(tiers.Membership.SilverFrom, tiers.Membership.GoldFrom, "silverFrom", "tiers.membership.goldFrom");
        Check(tiers.Membership.DiamondAbove >= tiers.Membership.GoldFrom, "tiers.membership.diamondAbove", "must not be below goldFrom");
        Ascending(tiers.Credit.CFrom, tiers.Credit.BFrom, "cFrom", "tiers.credit.bFrom");
        Ascending(tiers.Credit.BFrom, tiers.Credit.AFrom, "bFrom", "tiers.credit.aFrom");
        Window(tiers.ActivityLevel.WindowDays, "tiers.activityLevel.windowDays");
        Positive(tiers.ActivityLevel.MediumFrom, "tiers.activityLevel.mediumFrom");
        Ascending(tiers.ActivityLevel.MediumFrom, tiers.ActivityLevel.HighFrom, "mediumFrom", "tiers.activityLevel.highFrom");
        Ascending(tiers.ActivityLevel.HighFrom, tiers.ActivityLevel.VeryHighFrom, "highFrom", "tiers.activityLevel.veryHighFrom");
        OneOf(tiers.Service.Vip.ActivityAtLeast, PolicyNames.ActivityLevels, "tiers.service.vip.activityAtLeast");
        OneOf(tiers.Service.Advanced.ActivityAtLeast, PolicyNames.ActivityLevels, "tiers.service.advanced.activityAtLeast");

        var risk = policy.Risk;
        Positive(risk.LargeTransaction.AbsoluteFrom, "risk.largeTransaction.absoluteFrom");
        Check(risk.LargeTransaction.MultipleOfAverage > 1, "risk.largeTransaction.multipleOfAverage", "must be greater than 1");
        Check(risk.LargeTransaction.MinTransactions >= 1, "risk.largeTransaction.minTransactions", "must be 1 or more");
        Check(risk.LargeTransaction.HoldDays is >= 1 and <= 3650, "risk.largeTransaction.holdDays", "must be 1 to 3650");
        OneOf(risk.LargeTransaction.Severity, PolicyNames.Severities, "risk.largeTransaction.severity");
        Check(risk.Velocity.Transactions is >= 2 and <= 1000, "risk.velocity.transactions", "must be 2 to 1000");
        Check(risk.Velocity.WithinMinutes is >= 1 and <= 10_080, "risk.velocity.withinMinutes", "must be 1 to 10080 (a week)");
        Check(risk.Velocity.HoldDays is >= 1 and <= 3650, "risk.velocity.holdDays", "must be 1 to 3650");
        OneOf(risk.Velocity.Severity, PolicyNames.Severities, "risk.velocity.severity");
        Check(risk.FailedPayments.Count >= 1, "risk.failedPayments.count", "must be 1 or more");
        Window(risk.FailedPayments.WithinDays, "risk.failedPayments.withinDays");
        OneOf(risk.FailedPayments.Severity, PolicyNames.Severities, "risk.failedPayments.severity");
        for (var i = 0; i < risk.LowCredit.Grades.Count; i++)
        {
            OneOf(risk.LowCredit.Grades[i], PolicyNames.CreditGrades, $"risk.lowCredit.grades[{i}]");
        }

        OneOf(risk.LowCredit.Severity, PolicyNames.Severities, "risk.lowCredit.severity");
        Check(risk.LowBalance.Days is >= 1 and <= 3650, "risk.lowBalance.days", "must be 1 to 3650");
        Check(risk.LowBalance.DowngradeLevels is >= 0 and <= 3, "risk.lowBalance.downgradeLevels", "must be 0 to 3");
        OneOf(risk.LowBalance.Severity, PolicyNames.Severities, "risk.lowBalance.severity");
        Check(risk.Complaints.Count >= 1, "risk.complaints.count", "must be 1 or more");
        Window(risk.Complaints.WithinDays, "risk.complaints.withinDays");
        OneOf(risk.Complaints.Severity, PolicyNames.Severities, "risk.complaints.severity");

        for (var i = 0; i < policy.Alerts.DowngradeFrom.Count; i++)
        {
            OneOf(policy.Alerts.DowngradeFrom[i], PolicyNames.MembershipTiers, $"alerts.downgradeFrom[{i}]");
        }

        OneOf(policy.Alerts.DowngradeSeverity, PolicyNames.Severities, "alerts.downgradeSeverity");
        return errors;
    }
}
