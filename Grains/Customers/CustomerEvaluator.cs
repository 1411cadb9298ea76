using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Grains.Policy.Rules.Risk;
using CustomerActors.Grains.Policy.Rules.Tags;
using CustomerActors.Grains.Policy.Rules.Tiers;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// Applies an event to a customer's state and re-evaluates every tier, tag and risk flag. Pure: the same state,
/// event, policy and time always give the same result; no runtime needed to test it. The result lists each
/// decision that changed and each alert raised.
/// </summary>
public static class CustomerEvaluator
{
    public const string Tier = "tier";
    public const string Tag = "tag";
    public const string RiskFlag = "riskFlag";
    public const string TimeReason = "time";
    public const string PolicyReason = "policy";

    /// <summary>Flags whose rules remember the event that met them: that event met again raises a new alert.</summary>
    private static readonly string[] EventDrivenFlags = [LargeTransactionRule.Flag, VelocityRule.Flag];

    public static EvaluationResult Apply(CustomerState state, TransactionEvent transactionEvent, CustomerPolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(transactionEvent);
        ArgumentNullException.ThrowIfNull(policy);

        state.Facts.Apply(transactionEvent, policy.Risk.LowBalance.Threshold, now);
        state.EventCount++;
        if (state.LastEventAt is null || transactionEvent.OccurredAt > state.LastEventAt)
        {
            state.LastEventAt = transactionEvent.OccurredAt;
        }

        return Evaluate(state, policy, now, transactionEvent, transactionEvent.EventId);
    }

    /// <summary>Re-evaluates as of <paramref name="now"/> without a new event: <paramref name="reason"/> is <c>time</c> or <c>policy</c>.</summary>
    public static EvaluationResult Evaluate(CustomerState state, CustomerPolicy policy, DateTimeOffset now, string reason) =>
        Evaluate(state, policy, now, trigger: null, reason);

    private static EvaluationResult Evaluate(CustomerState state, CustomerPolicy policy, DateTimeOffset now, TransactionEvent? trigger, string reason)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(policy);
        var context = new RuleContext(state.Facts, policy, now, trigger);

        // Evidence first: event-driven risk rules remember the event that met them.
        Remember(state.RiskEvidence, LargeTransactionRule.Flag, LargeTransactionRule.Remember(context, state.RiskEvidence.GetValueOrDefault(LargeTransactionRule.Flag)));
        Remember(state.RiskEvidence, VelocityRule.Flag, VelocityRule.Remember(context, state.RiskEvidence.GetValueOrDefault(VelocityRule.Flag)));

        var credit = CreditTierRule.Evaluate(context);
        var lowBalance = LowBalanceRule.Evaluate(context);
        var activityLevel = ActivityLevelRule.Evaluate(context);
        // On the stack: an outcome is a value now, and the three lists live only through this evaluation.
        ReadOnlySpan<(string Name, RuleOutcome? Outcome)> tiers =
        [
            ("membership", MembershipTierRule.Evaluate(context, lowBalanceHolds: lowBalance is not null)),
            ("credit", credit),
            ("activityLevel", activityLevel),
            ("service", ServiceTierRule.Evaluate(context, activityLevel)),
        ];
        ReadOnlySpan<(string Name, RuleOutcome? Outcome)> tags =
        [
            ("purchaseFrequency", PurchaseFrequencyTagRule.Evaluate(context)),
            ("activity", ActivityTagRule.Evaluate(context)),
            ("transactionFrequency", TransactionFrequencyTagRule.Evaluate(context)),
            ("monthlyContribution", MonthlyContributionTagRule.Evaluate(context)),
            ("tenure", TenureTagRule.Evaluate(context)),
            ("churnRisk", ChurnRiskTagRule.Evaluate(context)),
            ("renewalWarning", ExpiryWarningTagRules.Renewal(context)),
            ("warrantyExpiring", ExpiryWarningTagRules.Warranty(context)),
            ("industry", ProfileTagRules.Industry(context)),
            ("region", ProfileTagRules.Region(context)),
        ];
        ReadOnlySpan<(string Name, RuleOutcome? Outcome)> flags =
        [
            (LargeTransactionRule.Flag, LargeTransactionRule.Evaluate(context, state.RiskEvidence.GetValueOrDefault(LargeTransactionRule.Flag))),
            (VelocityRule.Flag, VelocityRule.Evaluate(context, state.RiskEvidence.GetValueOrDefault(VelocityRule.Flag))),
            (WindowCountRiskRules.FailedPaymentsFlag, WindowCountRiskRules.FailedPayments(context)),
            (LowCreditRule.Flag, LowCreditRule.Evaluate(context, credit)),
            (LowBalanceRule.Flag, lowBalance),
            (WindowCountRiskRules.ComplaintsFlag, WindowCountRiskRules.Complaints(context)),
        ];

        var changes = new List<DecisionChange>();
        var alerts = new List<RaisedAlert>();
        var decide = new Decider(policy, now, trigger?.EventId, reason, changes);
        decide.All(Tier, state.Tiers, tiers);
        decide.All(Tag, state.Tags, tags);
        decide.All(RiskFlag, state.RiskFlags, flags);

        // An event-driven flag already held, met again by this event: new evidence is a new alert.
        foreach (var flag in EventDrivenFlags)
        {
            if (trigger is not null && state.RiskEvidence.GetValueOrDefault(flag)?.EventId == trigger.EventId
                && state.RiskFlags.TryGetValue(flag, out var held) && !changes.Exists(c => c.Kind == RiskFlag && c.Name == flag))
            {
                alerts.Add(new RaisedAlert(held.Value, held.Rule, flag, reason, policy.Version, now, held.Inputs));
            }
        }

        foreach (var change in changes)
        {
            if (change.Kind == RiskFlag && change.Before is null && change.After is { } severity)
            {
                alerts.Add(new RaisedAlert(severity, change.Rule, change.Name, reason, policy.Version, now, change.Inputs));
            }
            else if (change.Kind == Tier && change.Name == "membership" && IsDowngrade(change) && policy.Alerts.DowngradeFrom.Contains(change.Before!))
            {
                alerts.Add(new RaisedAlert(policy.Alerts.DowngradeSeverity, change.Rule, "membershipDowngrade", reason, policy.Version, now,
                    new Dictionary<string, decimal>(change.Inputs, StringComparer.Ordinal)
                    {
                        ["fromLevel"] = PolicyNames.RankIn(PolicyNames.MembershipTiers, change.Before!),
                        ["toLevel"] = PolicyNames.RankIn(PolicyNames.MembershipTiers, change.After!),
                    }));
            }
        }

        state.Aggregates = context.Aggregates;
        state.PolicyVersion = policy.Version;
        state.NextDueAt = EarliestChange(context, EarliestChange(context, EarliestChange(context, LowBalanceRule.HoldsFrom(context), tiers), tags), flags);
        context.Recycle();
        return new EvaluationResult(changes, alerts);
    }

    private static bool IsDowngrade(DecisionChange change)
    {
        return change.Before is not null && change.After is not null
            && PolicyNames.RankIn(PolicyNames.MembershipTiers, change.After) < PolicyNames.RankIn(PolicyNames.MembershipTiers, change.Before);
    }

    private static void Remember(Dictionary<string, RiskEvidence> evidence, string flag, RiskEvidence? value)
    {
        if (value is null)
        {
            evidence.Remove(flag);
        }
        else
        {
            evidence[flag] = value;
        }
    }

    /// <summary>The earlier of <paramref name="earliest"/> and the moments at which time alone changes an outcome (past ones ignored).</summary>
    private static DateTimeOffset? EarliestChange(RuleContext context, DateTimeOffset? earliest, ReadOnlySpan<(string Name, RuleOutcome? Outcome)> outcomes)
    {
        foreach (var (_, outcome) in outcomes)
        {
            earliest = context.Earliest(earliest, outcome?.ChangesAt);
        }

        return earliest;
    }

    /// <summary>Records outcomes as decisions: a changed value starts a new "since" and is a change; an unchanged one keeps its since.</summary>
    private sealed class Decider(CustomerPolicy policy, DateTimeOffset now, string? eventId, string reason, List<DecisionChange> changes)
    {
        public void All(string kind, Dictionary<string, Decision> decisions, ReadOnlySpan<(string Name, RuleOutcome? Outcome)> outcomes)
        {
            foreach (var (name, outcome) in outcomes)
            {
                One(kind, name, decisions, outcome);
            }
        }

        private void One(string kind, string name, Dictionary<string, Decision> decisions, RuleOutcome? outcome)
        {
            decisions.TryGetValue(name, out var current);
            if (outcome is not { } decided)
            {
                if (current is not null)
                {
                    decisions.Remove(name);
                    changes.Add(new DecisionChange(kind, name, current.Value, null, current.Rule, reason, policy.Version, now, current.Inputs));
                }

                return;
            }

            if (current is not null && current.Value == decided.Value)
            {
                if (current.Rule != decided.Rule || current.PolicyVersion != policy.Version || !decided.Inputs.SameAs(current.Inputs))
                {
                    decisions[name] = current with { Rule = decided.Rule, Inputs = decided.Inputs.Keep(), PolicyVersion = policy.Version };
                }

                return;
            }

            var inputs = decided.Inputs.Keep();
            decisions[name] = new Decision(decided.Value, decided.Rule, inputs, now, policy.Version, eventId);
            changes.Add(new DecisionChange(kind, name, current?.Value, decided.Value, decided.Rule, reason, policy.Version, now, inputs));
        }
    }
}
