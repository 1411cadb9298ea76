using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Policy.Rules.Risk;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// How a customer's state is stored: a compact binary form (about a sixth of its JSON), lossless: every decimal
/// keeps its scale, every timestamp its ticks and offset, every map its order. States stored as JSON by earlier
/// versions are still read. Field order is the format: change it only with a new <see cref="Version"/>, and keep
/// reading the versions before it.
/// </summary>
public sealed class CustomerStateCodec : IStateSerializer<CustomerState>
{
    /// <summary>"CS" and format version 1: the facts first, then what a lookup shows. Still read, no longer written.</summary>
    private const uint Version1 = 0x4353_0001;

    /// <summary>
    /// "CS" and format version 2, written since 2026-11-24: what a lookup shows first (counts, aggregates, decisions, due
    /// time, policy version), then the risk evidence and the facts, so that <see cref="ReadSummary"/> stops before the
    /// bulk of a busy customer's state instead of reading through it.
    /// </summary>
    internal const uint Version = 0x4353_0002;

    [ThreadStatic]
    private static CompactReadStrings? t_readStrings;

    public static CustomerStateCodec Instance { get; } = new();

    /// <summary>
    /// A reader of a stored state that reuses this thread's list of the strings written out (the decisions' event ids),
    /// instead of growing a new one for every state read. One at a time per thread: every reader here reads to the end
    /// before the next one starts, and none awaits in between.
    /// </summary>
    internal static CompactReader NewReader(ReadOnlySpan<byte> payload) => new(payload, KnownStrings, ReadStrings);

    private static CompactReadStrings ReadStrings => t_readStrings ??= new();

    /// <summary>
    /// Strings written as one byte. Frozen: a string written out of the table is referred back to by a number counted
    /// from the table's end, so even an appended entry would make stored data read wrong. More strings need a new table
    /// and a new format version (see <see cref="StringTable"/>).
    /// </summary>
    /// <remarks>Shared by <see cref="DecisionChangesCodec"/>.</remarks>
    internal static StringTable KnownStrings { get; } = new(
    [
        // decision names
        "membership", "credit", "activityLevel", "service", "purchaseFrequency", "activity", "transactionFrequency",
        "monthlyContribution", "tenure", "churnRisk", "renewalWarning", "warrantyExpiring", "industry", "region",
        "largeTransaction", "velocity", "failedPayments", "lowCredit", "lowBalance", "complaints",
        // values
        "regular", "silver", "gold", "diamond", "A", "B", "C", "D", "low", "medium", "high", "veryHigh", "critical",
        "vip", "advanced", "active", "normal", "inactive", "yes", "no", "under1y", "1to3y", "over3y",
        // rule ids
        "tier.membership.spend12m", "tier.membership.spend12m.lowBalanceDowngrade", "tier.credit.score", "tier.activityLevel.logins",
        "tier.service.composite", "tag.purchaseFrequency.orders", "tag.activity.logins", "tag.transactionFrequency.movements",
        "tag.monthlyContribution.arpu", "tag.tenure.firstContact", "tag.churnRisk.daysWithoutOrder", "tag.renewalWarning.endsAt",
        "tag.warrantyExpiring.expiresAt", "tag.industry.profile", "tag.region.profile", "risk.largeTransaction.absolute",
        "risk.largeTransaction.multipleOfAverage", "risk.velocity.movementsInWindow", "risk.failedPayments.count", "risk.lowCredit.grade",
        "risk.lowBalance.days", "risk.complaints.count",
        // input names
        "aFrom", "absoluteFrom", "activeFrom", "activityLevelRank", "advancedCreditFrom", "advancedSpendFrom", "amount",
        "averageLast12Months", "averageMonthlyContribution", "bFrom", "balance", "cFrom", "count", "creditScore", "days",
        "daysBelow", "daysLeft", "daysSinceFirstContact", "daysSinceLastOrder", "daysWithoutOrder", "diamondAbove", "goldFrom",
        "highAbove", "highFrom", "logins", "longAboveYears", "lowBalanceDowngradeLevels", "mediumFrom", "middleFromYears",
        "movements", "multipleOfAverage", "normalFrom", "orders", "score", "silverFrom", "spendLast12Months", "threshold",
        "transactions", "transactionsLast12Months", "veryHighFrom", "vipCreditAbove", "vipSpendAbove", "warningDays",
        "windowDays", "windowMonths", "withinDays", "withinMinutes",
        // change kinds and reasons other than event ids
        "tier", "tag", "riskFlag", "time", "policy",
    ]);

    public byte[] Serialize(CustomerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var writer = WriteLookupPart(state, state.Aggregates);
        WriteEvidence(writer, state.RiskEvidence);
        WriteFacts(writer, state.Facts);
        return writer.ToArray();
    }

    /// <summary>
    /// The part of format 2 a lookup reads (<see cref="ReadSummary"/>, <see cref="CustomerViewJson"/>) and nothing after
    /// it, with <paramref name="aggregates"/> in place of the state's own: for a state whose stored form cannot answer a
    /// lookup (not stored yet in format 2, or without aggregates). Not a whole state: never stored, never decoded.
    /// </summary>
    public static byte[] SerializeLookupPart(CustomerState state, CustomerAggregates aggregates)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(aggregates);
        return WriteLookupPart(state, aggregates).ToArray();
    }

    private static CompactWriter WriteLookupPart(CustomerState state, CustomerAggregates? aggregates)
    {
        var writer = CompactWriter.Start(KnownStrings, Version);
        writer.WriteVarInt(state.EventCount);
        writer.WriteVarInt(state.ChangeCount);
        writer.WriteOptionalTimestamp(state.LastEventAt);
        WriteAggregates(writer, aggregates);
        WriteDecisions(writer, state.Tiers);
        WriteDecisions(writer, state.Tags);
        WriteDecisions(writer, state.RiskFlags);
        writer.WriteOptionalTimestamp(state.NextDueAt);
        writer.WriteVarInt(state.PolicyVersion);
        return writer;
    }

    public CustomerState Deserialize(ReadOnlySpan<byte> payload) =>
        IsJson(payload) ? DeserializeJson(payload) : Decode(NewReader(payload));

    /// <summary>As <see cref="Deserialize"/>, leaving the decisions' inputs in <paramref name="payload"/> (see <see cref="StoredDecimalMap"/>).</summary>
    public CustomerState DeserializeKept(ReadOnlyMemory<byte> payload) =>
        IsJson(payload.Span) ? DeserializeJson(payload.Span) : Decode(CompactReader.OverKept(payload, KnownStrings, ReadStrings));

    private static bool IsJson(ReadOnlySpan<byte> payload) => payload.Length > 0 && payload[0] == (byte)'{';

    private static CustomerState DeserializeJson(ReadOnlySpan<byte> payload) =>
        new JsonStateSerializer<CustomerState>(GrainsJsonContext.Default.CustomerState).Deserialize(payload);

    private static CustomerState Decode(CompactReader reader)
    {
        var version = reader.ReadHeader("customer state", Version1, Version);
        var state = new CustomerState
        {
            EventCount = reader.ReadVarInt(),
            ChangeCount = reader.ReadVarInt(),
            LastEventAt = reader.ReadOptionalTimestamp(),
        };
        if (version == Version1)
        {
            ReadFacts(ref reader, state.Facts);
        }

        // Into the new state's own (empty) collections: new ones would leave those as garbage on every decode.
        state.Aggregates = ReadAggregates(ref reader);
        ReadDecisions(ref reader, state.Tiers);
        ReadDecisions(ref reader, state.Tags);
        ReadDecisions(ref reader, state.RiskFlags);
        if (version == Version1)
        {
            ReadEvidence(ref reader, state.RiskEvidence);
        }

        state.NextDueAt = reader.ReadOptionalTimestamp();
        state.PolicyVersion = reader.ReadInt32();
        if (version != Version1)
        {
            ReadEvidence(ref reader, state.RiskEvidence);
            ReadFacts(ref reader, state.Facts);
        }

        return reader.AtEnd ? state : throw new InvalidDataException("Customer state has trailing bytes.");
    }

    /// <summary>
    /// What a lookup shows, read straight from the stored form without rebuilding the facts (day-by-day activity,
    /// recent movements: most of a busy customer's state), which the stored aggregates already summarize. Null when
    /// the stored form cannot answer alone: JSON of an earlier version, or no aggregates stored; decode the whole
    /// state then. In format 2 it stops where the lookup's part ends, so it does not check the evidence and facts
    /// behind it: damage there is found by the whole decode, at the state's first use that changes it.
    /// </summary>
    public static CustomerSummary? ReadSummary(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > 0 && payload[0] == (byte)'{')
        {
            return null;
        }

        var reader = NewReader(payload);
        var version = reader.ReadHeader("customer state", Version1, Version);
        var eventCount = reader.ReadVarInt();
        _ = reader.ReadVarInt();   // change count
        var lastEventAt = reader.ReadOptionalTimestamp();
        if (version == Version1)
        {
            SkipFacts(ref reader);
        }

        if (ReadAggregates(ref reader) is not { } aggregates)
        {
            return null;
        }

        var (tiers, tags, riskFlags) = (NewDecisions(), NewDecisions(), NewDecisions());
        ReadDecisions(ref reader, tiers);
        ReadDecisions(ref reader, tags);
        ReadDecisions(ref reader, riskFlags);
        if (version == Version1)
        {
            ReadEvidence(ref reader, new Dictionary<string, RiskEvidence>(StringComparer.Ordinal));
        }

        var nextDueAt = reader.ReadOptionalTimestamp();
        var policyVersion = reader.ReadInt32();
        if (version == Version1 && !reader.AtEnd)
        {
            throw new InvalidDataException("Customer state has trailing bytes.");
        }

        // Version 2: the risk evidence and the facts follow; a lookup has what it shows and stops here.
        return new CustomerSummary(eventCount, lastEventAt, policyVersion, nextDueAt, tiers, tags, riskFlags, aggregates);
    }

    private static void WriteEvidence(CompactWriter writer, Dictionary<string, RiskEvidence> evidence)
    {
        writer.WriteVarUInt((ulong)evidence.Count);
        foreach (var (flag, item) in evidence)
        {
            writer.WriteString(flag);
            writer.WriteTimestamp(item.At);
            writer.WriteString(item.EventId);
            writer.WriteDecimalMap(item.Inputs);
        }
    }

    private static void ReadEvidence(ref CompactReader reader, Dictionary<string, RiskEvidence> evidence)
    {
        var count = reader.ReadCount();
        evidence.EnsureCapacity(count);
        for (var i = 0; i < count; i++)
        {
            var flag = reader.ReadRequiredString();
            evidence[flag] = new RiskEvidence(reader.ReadTimestamp(), reader.ReadRequiredString(), reader.ReadDecimalMapInPlace());
        }
    }

    private static void WriteFacts(CompactWriter writer, CustomerFacts facts)
    {
        writer.WriteVarUInt((ulong)facts.Days.Count);
        var previousDay = 0;
        foreach (var day in facts.Days)
        {
            writer.WriteVarInt(day.Day - previousDay);
            previousDay = day.Day;
            writer.WriteVarInt(day.Orders);
            writer.WriteVarInt(day.Logins);
            writer.WriteVarInt(day.Transactions);
            writer.WriteVarInt(day.FailedPayments);
            writer.WriteVarInt(day.Complaints);
            writer.WriteDecimal(day.Spend);
            writer.WriteDecimal(day.Volume);
        }

        writer.WriteOptionalDecimal(facts.Balance);
        writer.WriteOptionalTimestamp(facts.BalanceAt);
        writer.WriteOptionalTimestamp(facts.BalanceSnapshotAt);
        writer.WriteOptionalTimestamp(facts.LowBalanceSince);
        writer.WriteOptionalTimestamp(facts.LastOrderAt);
        writer.WriteOptionalInt(facts.CreditScore);
        writer.WriteOptionalTimestamp(facts.CreditScoreAt);
        writer.WriteOptionalTimestamp(facts.FirstEventAt);
        writer.WriteString(facts.Industry);
        writer.WriteString(facts.Region);
        writer.WriteOptionalTimestamp(facts.FirstContactAt);
        writer.WriteOptionalTimestamp(facts.ProfileAt);
        writer.WriteOptionalTimestamp(facts.SubscriptionEndsAt);
        writer.WriteOptionalTimestamp(facts.WarrantyExpiresAt);
        writer.WriteVarUInt((ulong)facts.RecentMovements.Count);
        foreach (var movement in facts.RecentMovements)
        {
            writer.WriteTimestamp(movement);
        }
    }

    /// <summary>
    /// Room for a few more days and one more movement than read: a call adds a day for an event on a day not yet kept,
    /// and a full list grown by one element is a copy at twice the size (for a busy customer, kilobytes per call).
    /// </summary>
    private const int DaysToGrow = 4;

    private static void ReadFacts(ref CompactReader reader, CustomerFacts facts)
    {
        var dayCount = reader.ReadCount();
        facts.Days.Capacity = dayCount + DaysToGrow;
        var day = 0;
        for (var i = 0; i < dayCount; i++)
        {
            day += reader.ReadInt32();
            int orders = reader.ReadInt32(), logins = reader.ReadInt32(), transactions = reader.ReadInt32();
            int failedPayments = reader.ReadInt32(), complaints = reader.ReadInt32();
            facts.Days.Add(new DayActivity(day, orders, logins, transactions, failedPayments, reader.ReadDecimal(), reader.ReadDecimal(), complaints));
        }

        facts.Balance = reader.ReadOptionalDecimal();
        facts.BalanceAt = reader.ReadOptionalTimestamp();
        facts.BalanceSnapshotAt = reader.ReadOptionalTimestamp();
        facts.LowBalanceSince = reader.ReadOptionalTimestamp();
        facts.LastOrderAt = reader.ReadOptionalTimestamp();
        facts.CreditScore = reader.ReadOptionalInt();
        facts.CreditScoreAt = reader.ReadOptionalTimestamp();
        facts.FirstEventAt = reader.ReadOptionalTimestamp();
        facts.Industry = reader.ReadString();
        facts.Region = reader.ReadString();
        facts.FirstContactAt = reader.ReadOptionalTimestamp();
        facts.ProfileAt = reader.ReadOptionalTimestamp();
        facts.SubscriptionEndsAt = reader.ReadOptionalTimestamp();
        facts.WarrantyExpiresAt = reader.ReadOptionalTimestamp();
        var movements = reader.ReadCount();
        facts.RecentMovements.Capacity = movements + 1;
        for (var i = 0; i < movements; i++)
        {
            facts.RecentMovements.Add(reader.ReadTimestamp());
        }
    }

    /// <summary>Reads past the facts as <see cref="ReadFacts"/> reads them, keeping nothing (format version 1, where they come first).</summary>
    private static void SkipFacts(ref CompactReader reader)
    {
        var dayCount = reader.ReadCount();
        for (var i = 0; i < dayCount; i++)
        {
            for (var field = 0; field < 6; field++)
            {
                _ = reader.ReadVarInt();   // day (as a difference), orders, logins, transactions, failed payments, complaints
            }

            _ = reader.ReadDecimal();   // spend
            _ = reader.ReadDecimal();   // volume
        }

        _ = reader.ReadOptionalDecimal();     // balance
        _ = reader.ReadOptionalTimestamp();   // balance at
        _ = reader.ReadOptionalTimestamp();   // balance snapshot at
        _ = reader.ReadOptionalTimestamp();   // low balance since
        _ = reader.ReadOptionalTimestamp();   // last order at
        _ = reader.ReadOptionalInt();         // credit score
        _ = reader.ReadOptionalTimestamp();   // credit score at
        _ = reader.ReadOptionalTimestamp();   // first event at
        _ = reader.ReadString();              // industry
        _ = reader.ReadString();              // region
        for (var i = 0; i < 4; i++)
        {
            _ = reader.ReadOptionalTimestamp();   // first contact, profile, subscription end, warranty expiry
        }

        var movements = reader.ReadCount();
        for (var i = 0; i < movements; i++)
        {
            _ = reader.ReadTimestamp();
        }
    }

    private static void WriteAggregates(CompactWriter writer, CustomerAggregates? aggregates)
    {
        writer.WriteBool(aggregates is not null);
        if (aggregates is null)
        {
            return;
        }

        writer.WriteTimestamp(aggregates.AsOf);
        writer.WriteVarInt(aggregates.OrdersLast6Months);
        writer.WriteVarInt(aggregates.LoginsLast30Days);
        writer.WriteVarInt(aggregates.TransactionsThisMonth);
        writer.WriteVarInt(aggregates.FailedPaymentsLast30Days);
        writer.WriteDecimal(aggregates.SpendLast12Months);
        writer.WriteDecimal(aggregates.AverageMonthlyContribution);
        writer.WriteOptionalDecimal(aggregates.Balance);
        writer.WriteOptionalTimestamp(aggregates.BalanceAt);
        writer.WriteOptionalTimestamp(aggregates.LowBalanceSince);
        writer.WriteOptionalTimestamp(aggregates.LastOrderAt);
        writer.WriteOptionalInt(aggregates.CreditScore);
        writer.WriteOptionalTimestamp(aggregates.FirstEventAt);
    }

    private static CustomerAggregates? ReadAggregates(ref CompactReader reader) => !reader.ReadBool() ? null : new CustomerAggregates
    {
        AsOf = reader.ReadTimestamp(),
        OrdersLast6Months = reader.ReadInt32(),
        LoginsLast30Days = reader.ReadInt32(),
        TransactionsThisMonth = reader.ReadInt32(),
        FailedPaymentsLast30Days = reader.ReadInt32(),
        SpendLast12Months = reader.ReadDecimal(),
        AverageMonthlyContribution = reader.ReadDecimal(),
        Balance = reader.ReadOptionalDecimal(),
        BalanceAt = reader.ReadOptionalTimestamp(),
        LowBalanceSince = reader.ReadOptionalTimestamp(),
        LastOrderAt = reader.ReadOptionalTimestamp(),
        CreditScore = reader.ReadOptionalInt(),
        FirstEventAt = reader.ReadOptionalTimestamp(),
    };

    private static void WriteDecisions(CompactWriter writer, Dictionary<string, Decision> decisions)
    {
        writer.WriteVarUInt((ulong)decisions.Count);
        foreach (var (name, decision) in decisions)
        {
            writer.WriteString(name);
            writer.WriteString(decision.Value);
            writer.WriteString(decision.Rule);
            writer.WriteDecimalMap(decision.Inputs);
            writer.WriteTimestamp(decision.Since);
            writer.WriteVarInt(decision.PolicyVersion);
            writer.WriteString(decision.EventId);
        }
    }

    private static Dictionary<string, Decision> NewDecisions() => new(StringComparer.Ordinal);

    private static void ReadDecisions(ref CompactReader reader, Dictionary<string, Decision> decisions)
    {
        var count = reader.ReadCount();
        decisions.EnsureCapacity(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadRequiredString();
            decisions[name] = new Decision(
                Value: reader.ReadRequiredString(),
                Rule: reader.ReadRequiredString(),
                Inputs: reader.ReadDecimalMapInPlace(),
                Since: reader.ReadTimestamp(),
                PolicyVersion: reader.ReadInt32(),
                EventId: reader.ReadString());
        }
    }
}
