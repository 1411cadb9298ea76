using System.Text;
using System.Text.Json;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class TransactionEventCodecTests
{
    /// <summary>Every field the platform knows, with values a careless codec would bend: an offset, a decimal's scale, text beyond ASCII, nested extra attributes.</summary>
    private static readonly TransactionEvent[] Samples =
    [
        new()
        {
            EventId = "evt-1", CustomerId = "C001", Type = TransactionType.Purchase,
            OccurredAt = new DateTimeOffset(2026, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567),
            Amount = 1200.50m, Currency = "CNY", Channel = "app",
        },
        new()
        {
            EventId = "evt-2", CustomerId = "C001", Type = TransactionType.Balance,
            OccurredAt = new DateTimeOffset(2025, 12, 31, 23, 59, 59, TimeSpan.Zero), Amount = -79228162514264337593543950.335m, Currency = "KRW", Channel = "柜台",
        },
        new() { EventId = "evt-3", CustomerId = "C001", Type = TransactionType.CreditScore, OccurredAt = Scenario.Now, Score = -1 },
        new()
        {
            EventId = "evt-4", CustomerId = "C001", Type = TransactionType.Subscription, OccurredAt = Scenario.Now,
            EndsAt = Scenario.Now.AddYears(1).ToOffset(TimeSpan.FromHours(-5)),
        },
        new() { EventId = "evt-5", CustomerId = "C001", Type = TransactionType.Warranty, OccurredAt = Scenario.Now, ExpiresAt = Scenario.Now.AddDays(400) },
        new()
        {
            EventId = "evt-6", CustomerId = "C001", Type = TransactionType.Profile, OccurredAt = Scenario.Now,
            Industry = "制造业", Region = "华东", FirstContactAt = Scenario.Now.AddYears(-3),
            Extra = new Dictionary<string, JsonElement>
            {
                ["store"] = JsonSerializer.SerializeToElement("上海 #12"),
                ["basket"] = JsonDocument.Parse("""{"items":[1,2.50,{"sku":"A-1"}],"gift":true,"note":null}""").RootElement,
            },
        },
        new() { EventId = "evt-7", CustomerId = "C001", Type = TransactionType.Login, OccurredAt = Scenario.Now, Amount = 0.000m },
    ];

    [Fact]
    public void Every_field_reads_back_exactly_as_it_was_accepted()
    {
        foreach (var sample in Samples)
        {
            var decoded = TransactionEventCodec.Deserialize(TransactionEventCodec.Serialize(sample), sample.EventId, sample.CustomerId);

            Assert.Equal(Json(sample), Json(decoded));
            Assert.Equal(sample.OccurredAt.Offset, decoded.OccurredAt.Offset);
        }
    }

    [Fact]
    public void Every_transaction_type_reads_back()
    {
        foreach (var type in Enum.GetValues<TransactionType>())
        {
            var sample = Samples[0] with { Type = type };

            Assert.Equal(type, TransactionEventCodec.Deserialize(TransactionEventCodec.Serialize(sample), "e", "c").Type);
        }
    }

    [Fact]
    public void The_stored_numbers_of_the_transaction_types_never_move()
    {
        // The compact form stores a type as its number: a reordered enum would read journaled events as other types.
        Assert.Equal(
            ["purchase", "refund", "payment", "payment_failed", "deposit", "withdrawal", "balance", "login", "credit_score",
                "subscription", "warranty", "complaint", "profile"],
            Enumerable.Range(0, 13).Select(n => JsonSerializer.Serialize((TransactionType)n, GrainsJsonContext.Default.TransactionType).Trim('"')));
    }

    [Fact]
    public void Events_journaled_as_json_by_earlier_versions_are_still_read()
    {
        foreach (var sample in Samples)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(sample, GrainsJsonContext.Default.TransactionEvent);

            // The ids passed in are the journal row's; a JSON row carries its own, which are the same in a real journal.
            Assert.Equal(Json(sample), Json(TransactionEventCodec.Deserialize(json, sample.EventId, sample.CustomerId)));
        }
    }

    [Fact]
    public void The_payload_is_a_fraction_of_the_json_and_leaves_the_ids_to_the_journal_row()
    {
        var sample = Samples[0] with { EventId = "evt-0190f3a2-7c41-7d3e-9b1a-5e2f8c6d4a10", CustomerId = "customer-000042" };

        var bytes = TransactionEventCodec.Serialize(sample);
        var decoded = TransactionEventCodec.Deserialize(bytes, "journal-entry-id", "grain-key");

        Assert.True(bytes.Length * 5 < Json(sample).Length, $"{bytes.Length} bytes against {Json(sample).Length} of JSON");
        Assert.DoesNotContain("evt-0190", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain("customer-000042", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(("journal-entry-id", "grain-key"), (decoded.EventId, decoded.CustomerId));
    }

    [Fact]
    public void A_damaged_payload_is_rejected_not_misread()
    {
        var bytes = TransactionEventCodec.Serialize(Samples[0]);

        Assert.Throws<InvalidDataException>(() => TransactionEventCodec.Deserialize(bytes.AsSpan(0, bytes.Length - 1), "e", "c"));
        Assert.Throws<InvalidDataException>(() => TransactionEventCodec.Deserialize([.. bytes, 0], "e", "c"));

        // After the 4-byte header: the bit set of fields present, then the type's number.
        byte[] unknownField = [.. bytes[..4], 0xFF, 0x7F, .. bytes[5..]];   // a two-byte bit set naming fields past the last
        Assert.Throws<InvalidDataException>(() => TransactionEventCodec.Deserialize(unknownField, "e", "c"));

        var unknownType = bytes.ToArray();
        unknownType[5] = 99;
        Assert.Throws<InvalidDataException>(() => TransactionEventCodec.Deserialize(unknownType, "e", "c"));
    }

    private static string Json(TransactionEvent e) => JsonSerializer.Serialize(e, GrainsJsonContext.Default.TransactionEvent);
}
