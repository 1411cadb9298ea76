using System.Text.Json;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.TestSupport;

namespace CustomerActors.Grains.Tests;

public class TransactionEventReaderTests
{
    private static readonly ManualTimeProvider Clock = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private static readonly TransactionEventReader Reader = new(new EventRules(), Clock);

    private static EventReadResult Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Reader.Read(document.RootElement);
    }

    private static string Field(EventReadResult result, string field) =>
        Assert.Single(result.Errors, e => e.Field == field).Message;

    [Fact]
    public void A_complete_event_is_read_with_an_exact_decimal_amount()
    {
        var result = Read("""{"eventId":"tx-1","customerId":"C001","type":"purchase","amount":1200.50,"currency":"CNY","occurredAt":"2026-11-22T10:00:00Z","channel":"app"}""");

        Assert.True(result.IsValid);
        var e = result.Event!;
        Assert.Equal(1200.50m, e.Amount);
        Assert.Equal(TransactionType.Purchase, e.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal("app", e.Channel);
    }

    [Fact]
    public void Missing_required_fields_are_each_named()
    {
        var result = Read("{}");

        Assert.False(result.IsValid);
        Assert.Equal(["customerId", "eventId", "occurredAt", "type"], result.Errors.Select(e => e.Field).Order());
        Assert.All(result.Errors, e => Assert.Equal("is required", e.Message));
    }

    [Fact]
    public void An_unknown_type_is_rejected_with_the_list_of_known_types()
    {
        var message = Field(Read("""{"eventId":"a","customerId":"C1","type":"teleport","occurredAt":"2026-11-22T10:00:00Z"}"""), "type");

        Assert.Contains("teleport", message, StringComparison.Ordinal);
        Assert.All(TransactionTypes.Names, name => Assert.Contains(name, message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""  "amount":-1  """, "must not be negative")]
    [InlineData("""  "amount":"12.5"  """, "must be a JSON number")]
    [InlineData("""  "amount":1e400  """, "finite decimal")]
    [InlineData("""  "currency":"USD","amount":5  """, "amounts must be in CNY")]
    public void Bad_amounts_are_rejected_naming_the_field(string fragment, string expected)
    {
        var result = Read($$"""{"eventId":"a","customerId":"C1","type":"purchase","occurredAt":"2026-11-22T10:00:00Z",{{fragment}}}""");

        var field = fragment.Contains("currency", StringComparison.Ordinal) ? "currency" : "amount";
        Assert.Contains(expected, Field(result, field), StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_is_required_where_the_type_carries_money()
    {
        Assert.Contains("is required for type purchase", Field(Read("""{"eventId":"a","customerId":"C1","type":"purchase","occurredAt":"2026-11-22T10:00:00Z"}"""), "amount"), StringComparison.Ordinal);
        Assert.True(Read("""{"eventId":"a","customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z"}""").IsValid);
    }

    [Fact]
    public void A_balance_may_be_negative()
    {
        Assert.True(Read("""{"eventId":"a","customerId":"C1","type":"balance","amount":-300,"occurredAt":"2026-11-22T10:00:00Z"}""").IsValid);
    }

    [Theory]
    [InlineData("2026-11-22T10:00:00")]
    [InlineData("yesterday")]
    [InlineData("2026-11-22T12:06:00Z")]
    public void OccurredAt_needs_an_offset_and_must_not_lie_in_the_future(string occurredAt)
    {
        var result = Read($$"""{"eventId":"a","customerId":"C1","type":"login","occurredAt":"{{occurredAt}}"}""");

        Assert.NotNull(Field(result, "occurredAt"));
    }

    [Fact]
    public void OccurredAt_with_an_offset_is_normalised_to_utc()
    {
        var result = Read("""{"eventId":"a","customerId":"C1","type":"login","occurredAt":"2026-11-22T18:00:00+08:00"}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero), result.Event!.OccurredAt);
        Assert.Equal(TimeSpan.Zero, result.Event.OccurredAt.Offset);
    }

    [Theory]
    [InlineData("""  "score":700  """, true)]
    [InlineData("""  "score":1001  """, false)]
    [InlineData("""  "score":700.5  """, false)]
    [InlineData("", false)]
    public void A_credit_score_needs_a_whole_score_from_0_to_1000(string fragment, bool valid)
    {
        var comma = fragment.Length > 0 ? "," : "";
        var result = Read($$"""{"eventId":"a","customerId":"C1","type":"credit_score","occurredAt":"2026-11-22T10:00:00Z"{{comma}}{{fragment}}}""");

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            Assert.NotNull(Field(result, "score"));
        }
    }

    [Fact]
    public void Extra_attributes_are_kept_verbatim()
    {
        var result = Read("""{"eventId":"a","customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z","device":{"os":"ios"},"ip":"10.0.0.1"}""");

        Assert.Equal("ios", result.Event!.Extra!["device"].GetProperty("os").GetString());
        Assert.Equal("10.0.0.1", result.Event.Extra["ip"].GetString());
    }

    [Theory]
    [InlineData("C 001")]
    [InlineData("C/001")]
    [InlineData("")]
    public void Customer_ids_are_limited_to_a_safe_alphabet(string id)
    {
        var result = Read($$"""{"eventId":"a","customerId":"{{id}}","type":"login","occurredAt":"2026-11-22T10:00:00Z"}""");

        Assert.NotNull(Field(result, "customerId"));
    }

    [Fact]
    public void A_repeated_property_is_an_error()
    {
        var result = Read("""{"eventId":"a","eventId":"b","customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z"}""");

        Assert.Equal("appears more than once", Field(result, "eventId"));
        Assert.Equal("a", result.EventId);
    }

    [Fact]
    public void A_property_name_written_with_escapes_is_the_same_field()
    {
        var result = Read("""{"event\u0049d":"a","customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z"}""");
        var repeated = Read("""{"eventId":"a","event\u0049d":"b","customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z"}""");

        Assert.True(result.IsValid);
        Assert.Equal("a", result.Event!.EventId);
        Assert.Equal("appears more than once", Field(repeated, "eventId"));
    }

    [Fact]
    public void A_repeated_extra_attribute_is_an_error_even_when_null()
    {
        var result = Read("""{"eventId":"a","customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z","ip":null,"ip":"10.0.0.1"}""");

        Assert.Equal("appears more than once", Field(result, "ip"));
    }

    [Fact]
    public void A_null_required_field_is_named_as_null_not_as_missing()
    {
        var result = Read("""{"eventId":null,"customerId":"C1","type":"login","occurredAt":"2026-11-22T10:00:00Z"}""");

        Assert.Equal("must not be null", Field(result, "eventId"));
    }

    [Theory]
    [InlineData("""2026-11-22T10:00:00\u005A""", true)]
    [InlineData("""2026-11-22T18:00:00\u002B08:00""", true)]
    [InlineData("""2026-11-22\u005410:00:00""", false)]
    public void A_timestamp_written_with_escapes_is_read_as_its_text(string occurredAt, bool valid)
    {
        var result = Read($$"""{"eventId":"a","customerId":"C1","type":"login","occurredAt":"{{occurredAt}}"}""");

        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void The_type_is_matched_exactly()
    {
        Assert.Contains("unknown type 'Login'", Field(Read("""{"eventId":"a","customerId":"C1","type":"Login","occurredAt":"2026-11-22T10:00:00Z"}"""), "type"), StringComparison.Ordinal);
        Assert.Equal(TransactionType.Login, Read("""{"eventId":"a","customerId":"C1","type":"log\u0069n","occurredAt":"2026-11-22T10:00:00Z"}""").Event!.Type);
        Assert.Equal("must be a string, not a number", Field(Read("""{"eventId":"a","customerId":"C1","type":7,"occurredAt":"2026-11-22T10:00:00Z"}"""), "type"));
    }

    [Fact]
    public void Events_naming_the_same_channel_or_currency_share_one_string()
    {
        var reader = new TransactionEventReader(new EventRules(), Clock);
        TransactionEvent ReadWith(string id)
        {
            using var document = JsonDocument.Parse($$"""{"eventId":"{{id}}","customerId":"C1","type":"purchase","amount":1,"currency":"CNY","occurredAt":"2026-11-22T10:00:00Z","channel":"app","region":"East"}""");
            return reader.Read(document.RootElement).Event!;
        }

        var (first, second) = (ReadWith("a"), ReadWith("b"));

        Assert.Same(first.Channel, second.Channel);
        Assert.Same(first.Region, second.Region);
        Assert.Same(reader.Rules.Currency, first.Currency);
    }

    [Fact]
    public void A_shared_label_is_still_checked_against_its_own_field()
    {
        var reader = new TransactionEventReader(new EventRules(), Clock);
        var tooLong = new string('x', EventRules.MaxChannelLength + 1);
        using var profile = JsonDocument.Parse($$"""{"eventId":"a","customerId":"C1","type":"profile","industry":"{{tooLong}}","occurredAt":"2026-11-22T10:00:00Z"}""");
        using var login = JsonDocument.Parse($$"""{"eventId":"b","customerId":"C1","type":"login","channel":"{{tooLong}}","occurredAt":"2026-11-22T10:00:00Z"}""");

        Assert.True(reader.Read(profile.RootElement).IsValid);
        Assert.Equal($"must be at most {EventRules.MaxChannelLength} characters", Field(reader.Read(login.RootElement), "channel"));
    }

    [Fact]
    public void A_label_cache_keeps_sharing_what_it_holds_once_full()
    {
        var reader = new TransactionEventReader(new EventRules(), Clock);
        string? ChannelOf(string channel)
        {
            using var document = JsonDocument.Parse($$"""{"eventId":"a","customerId":"C1","type":"login","channel":"{{channel}}","occurredAt":"2026-11-22T10:00:00Z"}""");
            return reader.Read(document.RootElement).Event!.Channel;
        }

        var first = ChannelOf("app");
        var others = Enumerable.Range(0, 100).Select(i => ChannelOf($"c{i}")).ToArray();

        Assert.Same(first, ChannelOf("app"));
        Assert.Equal("c99", others[^1]);
        Assert.Equal("c99", ChannelOf("c99"));
    }

    [Fact]
    public void A_non_object_is_rejected_as_a_whole()
    {
        Assert.Equal("$", Assert.Single(Read("[1]").Errors).Field);
    }
}
