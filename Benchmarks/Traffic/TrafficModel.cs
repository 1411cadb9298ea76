using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace CustomerActors.Benchmarks.Traffic;

/// <summary>
/// Synthetic but realistic transaction traffic from a seed: <c>customers</c> customers with skewed activity
/// (customer rank r is picked with probability falling like a power law, so a few customers are very busy and
/// most are quiet), a mix of event types like a retail bank's stream, unique event ids, and event times spread
/// over the past year. The same seed gives the same stream.
/// </summary>
public sealed class TrafficModel(int customers, int seed, string runId, bool seeding = false)
{
    /// <summary>Type mix (cumulative weights out of 100).</summary>
    private static readonly (int Upto, string Type)[] Mix =
    [
        (30, "purchase"), (33, "refund"), (43, "payment"), (45, "payment_failed"), (55, "deposit"),
        (62, "withdrawal"), (67, "balance"), (97, "login"), (100, "credit_score"),
    ];

    private readonly Random _random = new(seed);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private long _sequence;
    private int _nextSeeded;

    public int Customers => customers;

    /// <summary>A customer id by activity rank: about 1% of customers receive a third of the events.</summary>
    /// <remarks>When seeding, customers are taken in order instead, so that <c>customers</c> events store every customer once.</remarks>
    public string NextCustomer() => seeding
        ? CustomerId(_nextSeeded++ % customers)
        : CustomerId((int)(customers * Math.Pow(_random.NextDouble(), 3)));

    public static string CustomerId(int index) => "C" + index.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>Writes the next event as one JSON object.</summary>
    public void WriteEvent(Utf8JsonWriter writer, string customerId, string? type = null, decimal? amount = null, string? eventId = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        type ??= NextType();
        writer.WriteStartObject();
        writer.WriteString("eventId", eventId ?? $"{runId}-{_sequence++}");
        writer.WriteString("customerId", customerId);
        writer.WriteString("type", type);
        writer.WriteString("occurredAt", _now.AddSeconds(-_random.Next(60, 365 * 24 * 3600)));
        writer.WriteString("channel", _random.Next(3) switch { 0 => "app", 1 => "web", _ => "branch" });
        switch (type)
        {
            case "login":
                break;
            case "credit_score":
                writer.WriteNumber("score", _random.Next(450, 850));
                break;
            default:
                writer.WriteNumber("amount", amount ?? NextAmount());
                writer.WriteString("currency", "CNY");
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>A batch body: a JSON array of <paramref name="count"/> events.</summary>
    public byte[] NextBatch(int count)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 220);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < count; i++)
            {
                WriteEvent(writer, NextCustomer());
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One event as a JSON body.</summary>
    public byte[] Single(string customerId, string type, decimal amount, string eventId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteEvent(writer, customerId, type, amount, eventId);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private string NextType()
    {
        var roll = _random.Next(100);
        foreach (var (upto, type) in Mix)
        {
            if (roll < upto)
            {
                return type;
            }
        }

        return "purchase";
    }

    /// <summary>Log-normal amounts (median about 400), two decimals, below the 50,000 large-transaction line.</summary>
    private decimal NextAmount()
    {
        var normal = Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
        var amount = Math.Min(Math.Exp(6 + (1.2 * normal)), 40_000);
        return Math.Round((decimal)amount, 2);
    }
}
