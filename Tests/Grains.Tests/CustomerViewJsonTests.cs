using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;

namespace CustomerActors.Grains.Tests;

public class CustomerViewJsonTests
{
    /// <summary>Characters each encoder treats its own way: quotes, markup, control characters, accents, CJK.</summary>
    private const string Awkward = "électronique \"grand public\" <b>&'x'\t\u0001 会员";

    /// <summary>Evaluated again 100 days on: time alone has changed decisions (no event id) and set a due time.</summary>
    private static readonly DateTimeOffset Later = Scenario.Now.AddDays(100);

    public static TheoryData<int, int, string, bool> States => new()
    {
        { 1, 1, "East China", false },
        { 2, 40, Awkward, false },
        { 2, 40, Awkward, true },
        { 3, 600, "East China", true },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void The_json_written_from_the_stored_form_is_the_serializers_json_of_the_view(int seed, int events, string region, bool relaxed)
    {
        var stored = CustomerStateCodec.Instance.Serialize(CustomerStates.Busy(seed, events, region, Later));
        var encoder = relaxed ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : null;
        var view = CustomerStateCodec.ReadSummary(stored)!.ToView("C+<1>", 7, 42);

        var written = Write(new StoredCustomerView("C+<1>", 7, 42, stored), encoder);

        Assert.Equal(JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = encoder }), written);
    }

    [Theory]
    [InlineData("emoji \U0001F600 and a lone surrogate \uD800 end")]
    [InlineData("\u2028 line separators \u2029, a NUL \u0000, a backslash \\ and a slash /")]
    [InlineData("")]
    public void Any_text_is_written_as_the_serializer_writes_it(string region)
    {
        foreach (var relaxed in new[] { false, true })
        {
            var stored = CustomerStateCodec.Instance.Serialize(CustomerStates.Busy(seed: 9, events: 20, region, Later));
            var encoder = relaxed ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : null;
            var view = CustomerStateCodec.ReadSummary(stored)!.ToView(region, 1, 2);

            var written = Write(new StoredCustomerView(region, 1, 2, stored), encoder);

            Assert.Equal(JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = encoder }), written);
        }
    }

    [Fact]
    public void Thirty_seeded_customers_are_each_written_as_the_serializer_writes_them()
    {
        for (var seed = 10; seed < 40; seed++)
        {
            var stored = CustomerStateCodec.Instance.Serialize(CustomerStates.Busy(seed, events: seed * 7, laterAt: seed % 2 == 0 ? Later : null));
            var view = CustomerStateCodec.ReadSummary(stored)!.ToView($"C{seed}", seed, seed);

            Assert.Equal(JsonSerializer.Serialize(view, JsonSerializerOptions.Web), Write(new StoredCustomerView($"C{seed}", seed, seed, stored), encoder: null));
        }
    }

    [Fact]
    public void The_views_every_part_is_shown_flags_decisions_set_by_time_and_absent_values_included()
    {
        // What the comparison above covers, so that it cannot pass on a thin state.
        var state = CustomerStates.Busy(seed: 2, events: 40, Awkward, Later);

        using var json = JsonDocument.Parse(Write(new StoredCustomerView("C1", 0, 1, CustomerStateCodec.Instance.Serialize(state)), encoder: null));

        var root = json.RootElement;
        Assert.NotEmpty(root.GetProperty("riskFlags").EnumerateArray());
        Assert.Equal(Awkward, root.GetProperty("tags").GetProperty("region").GetProperty("value").GetString());
        var decisions = root.GetProperty("tiers").EnumerateObject().Concat(root.GetProperty("tags").EnumerateObject()).Select(p => p.Value).ToList();
        Assert.Contains(decisions, d => d.GetProperty("eventId").ValueKind == JsonValueKind.Null);
        Assert.Contains(decisions, d => d.GetProperty("eventId").ValueKind == JsonValueKind.String);
        Assert.Contains(decisions, d => d.GetProperty("inputs").EnumerateObject().Any());
        Assert.Equal(state.PolicyVersion, root.GetProperty("policyVersion").GetInt32());
        Assert.Equal(state.NextDueAt, root.GetProperty("nextDueAt").GetDateTimeOffset());
    }

    [Fact]
    public void The_lookup_part_alone_writes_what_the_whole_stored_state_writes()
    {
        var state = CustomerStates.Busy(seed: 4, events: 100, Awkward);

        var part = CustomerStateCodec.SerializeLookupPart(state, state.Aggregates!);

        Assert.True(CustomerViewJson.CanWrite(part));
        Assert.Equal(
            Write(new StoredCustomerView("C1", 3, 9, CustomerStateCodec.Instance.Serialize(state)), encoder: null),
            Write(new StoredCustomerView("C1", 3, 9, part), encoder: null));
    }

    [Fact]
    public void A_lookup_part_shows_the_aggregates_it_was_given_for_a_state_without_its_own()
    {
        var state = CustomerStates.Busy(seed: 5, events: 10) with { Aggregates = null };
        var aggregates = new CustomerAggregates { AsOf = Scenario.Now, SpendLast12Months = 12.50m, CreditScore = 640 };

        var part = CustomerStateCodec.SerializeLookupPart(state, aggregates);

        Assert.Equal(aggregates, CustomerStateCodec.ReadSummary(part)!.Aggregates);
        using var json = JsonDocument.Parse(Write(new StoredCustomerView("C1", 0, 1, part), encoder: null));
        Assert.Equal("12.50", json.RootElement.GetProperty("aggregates").GetProperty("spendLast12Months").GetRawText());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("aggregates").GetProperty("balance").ValueKind);
    }

    [Fact]
    public void Only_a_state_stored_in_format_2_with_its_aggregates_is_written_as_it_is()
    {
        var state = CustomerStates.Busy(seed: 6, events: 5);

        Assert.True(CustomerViewJson.CanWrite(CustomerStateCodec.Instance.Serialize(state)));
        Assert.False(CustomerViewJson.CanWrite(CustomerStateCodec.Instance.Serialize(state with { Aggregates = null })));
        Assert.False(CustomerViewJson.CanWrite(JsonSerializer.SerializeToUtf8Bytes(state, GrainsJsonContext.Default.CustomerState)));
        Assert.False(CustomerViewJson.CanWrite([0x43, 0x53, 0x00, 0x01, 0x00]));   // format 1's header
        Assert.False(CustomerViewJson.CanWrite([]));
    }

    [Fact]
    public void A_damaged_state_fails_before_anything_is_written()
    {
        var stored = CustomerStateCodec.SerializeLookupPart(CustomerStates.Busy(seed: 7, events: 30), CustomerStates.Busy(seed: 7, events: 30).Aggregates!);

        // Cut anywhere, the data ends early: in the identity, the aggregates, a decision, or the due time at the end.
        foreach (var length in new[] { 2, 12, stored.Length / 3, stored.Length / 2, stored.Length - 1 })
        {
            var output = new ArrayBufferWriter<byte>();
            using var writer = new Utf8JsonWriter(output);

            Assert.Throws<InvalidDataException>(() => CustomerViewJson.Write(writer, new StoredCustomerView("C1", 0, 1, stored.AsMemory(0, length))));
            Assert.Equal(0, writer.BytesPending + writer.BytesCommitted);
        }
    }

    [Fact]
    public void A_stored_string_that_is_not_utf8_fails_before_anything_is_written()
    {
        var stored = CustomerStateCodec.Instance.Serialize(CustomerStates.Busy(seed: 8, events: 5, region: "Region X"));
        var at = stored.AsSpan().IndexOf("Region X"u8);
        Assert.True(at > 0);
        stored[at + 7] = 0xFF;
        var output = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(output);

        Assert.Throws<InvalidDataException>(() => CustomerViewJson.Write(writer, new StoredCustomerView("C1", 0, 1, stored)));
        Assert.Equal(0, writer.BytesPending + writer.BytesCommitted);
    }

    private static string Write(StoredCustomerView view, JavaScriptEncoder? encoder)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = encoder }))
        {
            CustomerViewJson.Write(writer, view);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
