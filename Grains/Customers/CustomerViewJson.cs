using System.Buffers.Binary;
using System.Text.Json;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// Writes a lookup's JSON (<see cref="CustomerView"/> under the web defaults: camelCase names, nulls written, every
/// map in its stored order) straight from a customer's stored form, without building the view's decisions,
/// dictionaries and input maps only to serialize them: those were about half of what a lookup allocated. The bytes are
/// the ones the serializer writes for <see cref="ICustomerGrain.GetViewAsync"/>'s view with the same writer; the grains'
/// and the gateway's tests compare the two (states the policy built, stored now, as JSON by an earlier version, without
/// aggregates; text each encoder escapes its own way).
/// </summary>
/// <remarks>
/// Reads the lookup part of format 2 (<see cref="CustomerStateCodec.SerializeLookupPart"/>) in two passes. The first
/// reads it all without writing: a damaged state fails before anything is written, and it finds the due time and
/// policy version, which the JSON shows before the decisions and the stored form keeps after them. Strings are copied
/// as UTF-8 and escaped by the writer, with its encoder, as the serializer's strings are.
/// </remarks>
public static class CustomerViewJson
{
    private static readonly JsonEncodedText CustomerId = JsonEncodedText.Encode("customerId");
    private static readonly JsonEncodedText Partition = JsonEncodedText.Encode("partition");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText EventCount = JsonEncodedText.Encode("eventCount");
    private static readonly JsonEncodedText LastEventAt = JsonEncodedText.Encode("lastEventAt");
    private static readonly JsonEncodedText PolicyVersion = JsonEncodedText.Encode("policyVersion");
    private static readonly JsonEncodedText NextDueAt = JsonEncodedText.Encode("nextDueAt");
    private static readonly JsonEncodedText Tiers = JsonEncodedText.Encode("tiers");
    private static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText RiskFlags = JsonEncodedText.Encode("riskFlags");
    private static readonly JsonEncodedText Aggregates = JsonEncodedText.Encode("aggregates");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Decision = JsonEncodedText.Encode("decision");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
    private static readonly JsonEncodedText Inputs = JsonEncodedText.Encode("inputs");
    private static readonly JsonEncodedText Since = JsonEncodedText.Encode("since");
    private static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
    private static readonly JsonEncodedText AsOf = JsonEncodedText.Encode("asOf");
    private static readonly JsonEncodedText OrdersLast6Months = JsonEncodedText.Encode("ordersLast6Months");
    private static readonly JsonEncodedText LoginsLast30Days = JsonEncodedText.Encode("loginsLast30Days");
    private static readonly JsonEncodedText TransactionsThisMonth = JsonEncodedText.Encode("transactionsThisMonth");
    private static readonly JsonEncodedText FailedPaymentsLast30Days = JsonEncodedText.Encode("failedPaymentsLast30Days");
    private static readonly JsonEncodedText SpendLast12Months = JsonEncodedText.Encode("spendLast12Months");
    private static readonly JsonEncodedText AverageMonthlyContribution = JsonEncodedText.Encode("averageMonthlyContribution");
    private static readonly JsonEncodedText Balance = JsonEncodedText.Encode("balance");
    private static readonly JsonEncodedText BalanceAt = JsonEncodedText.Encode("balanceAt");
    private static readonly JsonEncodedText LowBalanceSince = JsonEncodedText.Encode("lowBalanceSince");
    private static readonly JsonEncodedText LastOrderAt = JsonEncodedText.Encode("lastOrderAt");
    private static readonly JsonEncodedText CreditScore = JsonEncodedText.Encode("creditScore");
    private static readonly JsonEncodedText FirstEventAt = JsonEncodedText.Encode("firstEventAt");

    /// <summary>Whether <paramref name="state"/> can be written as it is: format 2 with aggregates stored.</summary>
    public static bool CanWrite(ReadOnlySpan<byte> state)
    {
        if (state.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(state) != CustomerStateCodec.Version)
        {
            return false;
        }

        var reader = CustomerStateCodec.NewReader(state);
        reader.ExpectHeader(CustomerStateCodec.Version, "customer state");
        _ = reader.ReadVarInt();   // event count
        _ = reader.ReadVarInt();   // change count
        _ = reader.ReadOptionalTimestamp();
        return reader.ReadBool();  // aggregates stored
    }

    /// <summary>Writes the view of <paramref name="view"/>; throws <see cref="InvalidDataException"/>, before writing anything, if its state is damaged or cannot be written (<see cref="CanWrite"/>).</summary>
    public static void Write(Utf8JsonWriter writer, StoredCustomerView view)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(view);
        var state = view.State.Span;
        var (nextDueAt, policyVersion) = Transcode(state, writer: null, default, default);

        writer.WriteStartObject();
        writer.WriteString(CustomerId, view.CustomerId);
        writer.WriteNumber(Partition, view.Partition);
        writer.WriteNumber(Version, view.Version);
        Transcode(state, writer, nextDueAt, policyVersion);
        writer.WriteEndObject();
    }

    /// <summary>Reads the lookup part; with a writer, writes its properties (the ones after the identity) on the way.</summary>
    private static (DateTimeOffset? NextDueAt, int PolicyVersion) Transcode(
        ReadOnlySpan<byte> state, Utf8JsonWriter? writer, DateTimeOffset? nextDueAt, int policyVersion)
    {
        var reader = CustomerStateCodec.NewReader(state);
        reader.ExpectHeader(CustomerStateCodec.Version, "customer state");
        var eventCount = reader.ReadVarInt();
        _ = reader.ReadVarInt();   // change count
        var lastEventAt = reader.ReadOptionalTimestamp();
        if (!reader.ReadBool())
        {
            throw new InvalidDataException("The customer state has no aggregates stored; a lookup needs them.");
        }

        // The JSON shows the aggregates last: read them again from here at the end. A copy of the reader is safe here
        // because the aggregates hold no strings, so the copy never reads or adds a string the other one knows.
        var atAggregates = reader;
        TranscodeAggregates(ref reader, writer: null);
        if (writer is not null)
        {
            writer.WriteNumber(EventCount, eventCount);
            WriteOptional(writer, LastEventAt, lastEventAt);
            writer.WriteNumber(PolicyVersion, policyVersion);
            WriteOptional(writer, NextDueAt, nextDueAt);
        }

        writer?.WritePropertyName(Tiers);
        TranscodeDecisionMap(ref reader, writer);
        writer?.WritePropertyName(Tags);
        TranscodeDecisionMap(ref reader, writer);
        writer?.WritePropertyName(RiskFlags);
        TranscodeRiskFlags(ref reader, writer);
        if (writer is not null)
        {
            writer.WritePropertyName(Aggregates);
            TranscodeAggregates(ref atAggregates, writer);
        }

        return (reader.ReadOptionalTimestamp(), reader.ReadInt32());
    }

    private static void TranscodeDecisionMap(ref CompactReader reader, Utf8JsonWriter? writer)
    {
        var count = reader.ReadCount();
        writer?.WriteStartObject();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadRequiredUtf8();
            writer?.WritePropertyName(name);
            TranscodeDecision(ref reader, writer);
        }

        writer?.WriteEndObject();
    }

    /// <summary>The risk flags as <see cref="RiskFlag"/>s: a list of name and decision, in the stored order.</summary>
    private static void TranscodeRiskFlags(ref CompactReader reader, Utf8JsonWriter? writer)
    {
        var count = reader.ReadCount();
        writer?.WriteStartArray();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadRequiredUtf8();
            writer?.WriteStartObject();
            writer?.WriteString(Name, name);
            writer?.WritePropertyName(Decision);
            TranscodeDecision(ref reader, writer);
            writer?.WriteEndObject();
        }

        writer?.WriteEndArray();
    }

    /// <summary>One decision, its fields in the order <see cref="CustomerStateCodec"/> stores them, which is also the JSON's.</summary>
    private static void TranscodeDecision(ref CompactReader reader, Utf8JsonWriter? writer)
    {
        // Read into locals, never inside a writer?.Write(...) call: without a writer its arguments are not evaluated.
        writer?.WriteStartObject();
        var value = reader.ReadRequiredUtf8();
        writer?.WriteString(Value, value);
        var rule = reader.ReadRequiredUtf8();
        writer?.WriteString(Rule, rule);
        var inputs = reader.ReadCount();
        writer?.WriteStartObject(Inputs);
        for (var i = 0; i < inputs; i++)
        {
            var name = reader.ReadRequiredUtf8();
            var input = reader.ReadDecimal();
            writer?.WriteNumber(name, input);
        }

        writer?.WriteEndObject();
        var since = reader.ReadTimestamp();
        var policyVersion = reader.ReadInt32();
        writer?.WriteString(Since, since);
        writer?.WriteNumber(PolicyVersion, policyVersion);
        if (reader.TryReadUtf8(out var eventId))
        {
            writer?.WriteString(EventId, eventId);
        }
        else
        {
            writer?.WriteNull(EventId);
        }

        writer?.WriteEndObject();
    }

    /// <summary>The aggregates' fields (after their presence flag), in the order the codec stores them, which is also the JSON's.</summary>
    private static void TranscodeAggregates(ref CompactReader reader, Utf8JsonWriter? writer)
    {
        var asOf = reader.ReadTimestamp();
        writer?.WriteStartObject();
        writer?.WriteString(AsOf, asOf);
        TranscodeInt32(ref reader, writer, OrdersLast6Months);
        TranscodeInt32(ref reader, writer, LoginsLast30Days);
        TranscodeInt32(ref reader, writer, TransactionsThisMonth);
        TranscodeInt32(ref reader, writer, FailedPaymentsLast30Days);
        var spend = reader.ReadDecimal();
        writer?.WriteNumber(SpendLast12Months, spend);
        var contribution = reader.ReadDecimal();
        writer?.WriteNumber(AverageMonthlyContribution, contribution);
        var balance = reader.ReadOptionalDecimal();
        WriteOptional(writer, Balance, balance);

        TranscodeOptionalTimestamp(ref reader, writer, BalanceAt);
        TranscodeOptionalTimestamp(ref reader, writer, LowBalanceSince);
        TranscodeOptionalTimestamp(ref reader, writer, LastOrderAt);
        var score = reader.ReadOptionalInt();
        WriteOptional(writer, CreditScore, score);

        TranscodeOptionalTimestamp(ref reader, writer, FirstEventAt);
        writer?.WriteEndObject();
    }

    private static void TranscodeInt32(ref CompactReader reader, Utf8JsonWriter? writer, JsonEncodedText name)
    {
        var value = reader.ReadInt32();
        writer?.WriteNumber(name, value);
    }

    private static void TranscodeOptionalTimestamp(ref CompactReader reader, Utf8JsonWriter? writer, JsonEncodedText name)
    {
        var value = reader.ReadOptionalTimestamp();
        if (writer is not null)
        {
            WriteOptional(writer, name, value);
        }
    }

    /// <summary>A number or null; an int goes through as a decimal of scale 0, which has the same digits.</summary>
    private static void WriteOptional(Utf8JsonWriter? writer, JsonEncodedText name, decimal? value)
    {
        if (writer is null)
        {
            return;
        }

        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteOptional(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } moment)
        {
            writer.WriteString(name, moment);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
