using System.Text.Json;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Tests;

public class CustomerStateCodecTests
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 40)]
    [InlineData(3, 600)]
    public void A_state_reads_back_exactly_as_it_was_written(int seed, int events)
    {
        var state = Busy(seed, events);

        var decoded = CustomerStateCodec.Instance.Deserialize(CustomerStateCodec.Instance.Serialize(state));

        Assert.Equal(Json(state), Json(decoded));
    }

    [Fact]
    public void Decimal_scales_offsets_and_sub_millisecond_ticks_survive()
    {
        var customer = new Scenario()
            .Event(TransactionType.Deposit, new DateTimeOffset(2026, 11, 21, 8, 0, 0, TimeSpan.FromHours(8)).AddTicks(1234567), 100.500m)
            .Event(TransactionType.Purchase, Now.AddDays(-3).AddTicks(7), 123456789012345678901.23m)
            .Event(TransactionType.Refund, Now.AddDays(-2), 0.0000000000000000000000000001m);

        var decoded = CustomerStateCodec.Instance.Deserialize(CustomerStateCodec.Instance.Serialize(customer.State));

        Assert.Equal(Json(customer.State), Json(decoded));
        Assert.Equal(TimeSpan.FromHours(8), decoded.Facts.BalanceAt!.Value.Offset);
        Assert.Equal("100.500", decoded.Facts.Balance!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_state_stored_as_json_by_an_earlier_version_is_still_read()
    {
        var state = Busy(seed: 4, events: 30);

        var decoded = CustomerStateCodec.Instance.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state, GrainsJsonContext.Default.CustomerState));

        Assert.Equal(Json(state), Json(decoded));
    }

    [Fact]
    public void The_stored_form_is_a_fraction_of_the_json()
    {
        var state = Busy(seed: 5, events: 3);

        var compact = CustomerStateCodec.Instance.Serialize(state).Length;
        var json = Json(state).Length;

        Assert.True(compact * 4 < json, $"{compact} bytes stored against {json} bytes of JSON");
    }

    [Fact]
    public void Damaged_bytes_are_rejected_as_invalid_data_never_misread()
    {
        var bytes = CustomerStateCodec.Instance.Serialize(Busy(seed: 6, events: 10));

        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Instance.Deserialize(bytes.AsSpan(0, bytes.Length / 2)));
        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Instance.Deserialize([.. bytes, 0]));
        bytes[2] ^= 0xFF;
        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Instance.Deserialize(bytes));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 40)]
    [InlineData(3, 600)]
    public void A_lookup_summary_read_from_the_stored_form_is_what_the_whole_state_holds(int seed, int events)
    {
        var state = Busy(seed, events);

        var summary = CustomerStateCodec.ReadSummary(CustomerStateCodec.Instance.Serialize(state));

        Assert.NotNull(summary);
        Assert.Equal((state.EventCount, state.LastEventAt, state.PolicyVersion, state.NextDueAt),
            (summary.EventCount, summary.LastEventAt, summary.PolicyVersion, summary.NextDueAt));
        Assert.Equal(Json(state with { Facts = new CustomerFacts(), RiskEvidence = [] }),
            Json(state with
            {
                Facts = new CustomerFacts(),
                RiskEvidence = [],
                Aggregates = summary.Aggregates,
                Tiers = new Dictionary<string, Interfaces.Customers.Decision>(summary.Tiers),
                Tags = new Dictionary<string, Interfaces.Customers.Decision>(summary.Tags),
                RiskFlags = new Dictionary<string, Interfaces.Customers.Decision>(summary.RiskFlags),
            }));
    }

    [Fact]
    public void A_state_the_stored_form_cannot_summarize_alone_is_left_to_the_whole_state()
    {
        var state = Busy(seed: 7, events: 5);

        Assert.Null(CustomerStateCodec.ReadSummary(JsonSerializer.SerializeToUtf8Bytes(state, GrainsJsonContext.Default.CustomerState)));
        Assert.Null(CustomerStateCodec.ReadSummary(CustomerStateCodec.Instance.Serialize(state with { Aggregates = null })));
    }

    [Fact]
    public void A_lookup_summary_stops_before_the_evidence_and_the_facts()
    {
        // Format 2 stores what a lookup shows first. Keep only that part (what the state shares with itself stored
        // without evidence and facts; its evidence count differs): the summary is still read whole, the state is not.
        var state = Busy(seed: 8, events: 200);
        Assert.NotEmpty(state.RiskEvidence);
        var bytes = CustomerStateCodec.Instance.Serialize(state);
        var withoutFacts = CustomerStateCodec.Instance.Serialize(state with { Facts = new CustomerFacts(), RiskEvidence = [] });
        var front = bytes[..bytes.AsSpan().CommonPrefixLength(withoutFacts)];

        var summary = CustomerStateCodec.ReadSummary(front);

        Assert.True(front.Length < bytes.Length / 4, $"{front.Length} of {bytes.Length} bytes");
        Assert.NotNull(summary);
        Assert.Equal(state.Aggregates, summary.Aggregates);
        Assert.Equal(state.PolicyVersion, summary.PolicyVersion);
        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.Instance.Deserialize(front));
    }

    [Fact]
    public void A_state_stored_in_format_1_is_still_read_whole_and_summarized()
    {
        // Written by the codec of 2026-11-23 (format 1: the facts first) for Busy(seed: 9, events: 4). Event ids come
        // from a counter shared by the tests, so they are compared without their numbers.
        var stored = Convert.FromBase64String(Format1Busy9);
        var state = Busy(seed: 9, events: 4);

        var decoded = CustomerStateCodec.Instance.Deserialize(stored);
        var summary = CustomerStateCodec.ReadSummary(stored);

        Assert.Equal(WithoutEventNumbers(Json(state)), WithoutEventNumbers(Json(decoded)));
        Assert.NotNull(summary);
        Assert.Equal(state.Aggregates, summary.Aggregates);
        Assert.Equal(WithoutEventNumbers(Json(decoded with { Facts = new CustomerFacts(), RiskEvidence = [] })), WithoutEventNumbers(Json(decoded with
        {
            Facts = new CustomerFacts(),
            RiskEvidence = [],
            Tiers = new Dictionary<string, Interfaces.Customers.Decision>(summary.Tiers),
            Tags = new Dictionary<string, Interfaces.Customers.Decision>(summary.Tags),
            RiskFlags = new Dictionary<string, Interfaces.Customers.Decision>(summary.RiskFlags),
        })));
        Assert.Throws<InvalidDataException>(() => CustomerStateCodec.ReadSummary([.. stored, 0]));
        Assert.NotEqual(stored, CustomerStateCodec.Instance.Serialize(decoded));   // written again in format 2
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 600)]
    public void A_state_read_in_place_leaves_its_inputs_in_the_stored_form_and_writes_back_the_same_bytes(int seed, int events)
    {
        var stored = CustomerStateCodec.Instance.Serialize(Busy(seed, events));

        var inPlace = CustomerStateCodec.Instance.DeserializeKept(stored);

        Assert.Contains(inPlace.Tiers.Values, decision => decision.Inputs is StoredDecimalMap);
        Assert.Equal(Json(CustomerStateCodec.Instance.Deserialize(stored)), Json(inPlace));
        Assert.Equal(stored, CustomerStateCodec.Instance.Serialize(inPlace));
    }

    [Fact]
    public void Events_applied_to_a_state_read_in_place_change_and_store_what_they_do_on_a_decoded_one()
    {
        var stored = CustomerStateCodec.Instance.Serialize(CustomerStates.Busy(seed: 10, events: 300, region: "未知 region"));
        var inPlace = CustomerStateCodec.Instance.DeserializeKept(stored);
        var decoded = CustomerStateCodec.Instance.Deserialize(stored);
        TransactionEvent[] events =
        [
            Events.Of(TransactionType.Purchase, Now.AddMinutes(1), 250_000m),
            Events.Of(TransactionType.Login, Now.AddMinutes(2)),
            Events.Of(TransactionType.CreditScore, Now.AddMinutes(3), score: 480),
            Events.Of(TransactionType.Deposit, Now.AddMinutes(4), 12.50m),
        ];

        foreach (var e in events)
        {
            var policy = PolicyDocument.Default.Policy;
            Assert.Equal(
                Describe(CustomerEvaluator.Apply(decoded, e, policy, Now.AddMinutes(5))),
                Describe(CustomerEvaluator.Apply(inPlace, e, policy, Now.AddMinutes(5))));
        }

        Assert.Equal(CustomerStateCodec.Instance.Serialize(decoded), CustomerStateCodec.Instance.Serialize(inPlace));
    }

    private static string Describe(EvaluationResult result) =>
        JsonSerializer.Serialize(result.Changes.ToArray(), GrainsJsonContext.Default.DecisionChangeArray)
        + string.Join(';', result.Alerts.Select(a => $"{a.Severity} {a.Rule} {a.Subject} {a.Reason} {a.PolicyVersion} {a.At:O} "
            + string.Join(',', a.Evidence.Select(input => $"{input.Key}={input.Value}"))));

    private const string Format1Busy9 = "Q1MAARIAAYCQx4Krv8i+IwSmwQIAAAIAAIK1wpkCArXCmQJiAAACAAAAAAKt/REYAAAAAgAAAAAAtgICAAIGAADg1AMA4NQDAYKt/REB/p+h9aeegwEAAQABgKCh9aeegwEAAAH+j7rN5Ki6AgE0bWFudWZhY3R1cmluZyAvIGNvbXB1dGVyIGFuZCBjb21tdW5pY2F0aW9uIGVxdWlwbWVudAEKRWFzdCBDaGluYQH+/5eKq6iDAgGAgJiKq6iDAgABgICE6+772AID/r+1zPOwyAGAsMq5wb8mgKCh9aeegwEBgPCF2iwCAAIGAsvYVAKxhwcBgq39EQH+j6fP1J6DAQEAAYCgofWnnoMBAAH+j7rN5Ki6AgMCFi4FZgLL2FRlAJBOWADQhgNXAKCNBl0AAYCAwKeRqboCAgEDZS01BB4wBVsAAG4AHl4ABVoACmoAFAACAQNlLTEFFjEHUIABZgLL2FRGAABrALwFbADQhgNHANgESACQTgACegoGHzIEYwABbwAGWgADXgABAAIBA2UtMgcnMwRbAABuAB5FAAViAAEAAnoIHjQEaAABbgAeXgAKWQAyAAJ6CR41A0sCsYcHXgCIJ1oAkE4AAnkKKzYDVADaBV8AAVwAAwACegspNwJVAABWAFoAAnoMKTgBbQAeAAJ6DSk5AlMAJ20AHgACeg53OgAAAnoPeDsAAAJ6AxAgPAJJAODUA0QA0IYDAAJ7FB9BBE2Crf0RZwDoB1EAHlIApwEAAgEDZS0zEh8/AxIAA08AA3AAHgACAQNlLTkBEP7vhdosewJJAODUA0QA0IYDAYDwgZHMiQcC";

    /// <summary>A customer with every kind of fact and decision: all event types, profile, flags with evidence.</summary>
    private static CustomerState Busy(int seed, int events) => CustomerStates.Busy(seed, events);

    private static string WithoutEventNumbers(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"e-[0-9]+\"", "\"e-#\"");

    private static string Json(CustomerState state) => JsonSerializer.Serialize(state, GrainsJsonContext.Default.CustomerState);
}
