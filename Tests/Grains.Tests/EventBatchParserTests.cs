using System.Text;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.TestSupport;

namespace CustomerActors.Grains.Tests;

public class EventBatchParserTests
{
    private static readonly EventBatchParser Parser = new(new TransactionEventReader(new EventRules(), new ManualTimeProvider()));

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private const string Valid = """{"eventId":"a","customerId":"C1","type":"login","occurredAt":"2026-11-22T09:00:00Z"}""";

    [Fact]
    public void A_body_that_is_not_json_fails_naming_the_line_and_byte()
    {
        var (batch, failure) = Parser.ParseJson(Utf8("[\n" + Valid + ",\n{\"eventId\": }]"), 10);

        Assert.Null(batch);
        Assert.Equal(BatchFailureKind.NotJson, failure!.Kind);
        Assert.Contains("line 3", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_keeps_every_item_in_order_valid_or_not()
    {
        var (batch, _) = Parser.ParseJson(Utf8($"[{Valid}, 42, {Valid}]"), 10);

        Assert.Equal([true, false, true], batch!.Items.Select(i => i.IsValid));
        Assert.Equal([0, 2], batch.ValidEvents.Select(v => v.Index));
    }

    [Fact]
    public void A_single_object_is_a_batch_of_one()
    {
        var (batch, _) = Parser.ParseJson(Utf8(Valid), 10);

        Assert.Single(batch!.Items);
    }

    [Fact]
    public void More_events_than_allowed_fail_as_a_whole()
    {
        var (_, failure) = Parser.ParseJson(Utf8($"[{Valid},{Valid},{Valid}]"), 2);
        var (_, ndjsonFailure) = Parser.ParseNdjson(Utf8($"{Valid}\n{Valid}\n{Valid}\n"), 2);

        Assert.Equal(BatchFailureKind.TooManyEvents, failure!.Kind);
        Assert.Equal(BatchFailureKind.TooManyEvents, ndjsonFailure!.Kind);
    }

    [Fact]
    public void In_ndjson_a_malformed_line_is_rejected_alone_and_blank_lines_are_skipped()
    {
        var (batch, failure) = Parser.ParseNdjson(Utf8($"{Valid}\r\n\n{{oops\n{Valid}"), 10);

        Assert.Null(failure);
        Assert.Equal([true, false, true], batch!.Items.Select(i => i.IsValid));
        Assert.Contains("line 3", batch.Items[1].Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_is_neither_object_nor_array_is_the_wrong_shape()
    {
        Assert.Equal(BatchFailureKind.WrongShape, Parser.ParseJson(Utf8("\"hello\""), 10).Failure!.Kind);
    }
}
