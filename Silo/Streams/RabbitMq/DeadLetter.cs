using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// A message the platform could not fully process, published unchanged to <c>customer-events.dead-letter</c>
/// with why in headers: <c>x-reason-kind</c> (<see cref="NotJson"/>, <see cref="InvalidMessage"/>,
/// <see cref="InvalidEvent"/>, <see cref="ProcessingFailed"/>), <c>x-reason</c> (text naming each event and
/// field), and where it came from.
/// </summary>
internal sealed record DeadLetter(ReceivedMessage Message, string Queue, string Kind, string Reason)
{
    public const string NotJson = "not_json";
    public const string InvalidMessage = "invalid_message";
    public const string InvalidEvent = "invalid_event";
    public const string ProcessingFailed = "processing_failed";

    public const string ReasonHeader = "x-reason";
    public const string ReasonKindHeader = "x-reason-kind";

    /// <summary>Longest reason kept in the header; the rest is cut with a note (headers have a frame-size budget).</summary>
    private const int MaxReasonLength = 8_000;

    public BasicProperties Properties(DateTimeOffset now) => new()
    {
        Persistent = true,
        MessageId = Message.MessageId,
        ContentType = "application/json",
        Timestamp = new AmqpTimestamp(now.ToUnixTimeSeconds()),
        Headers = new Dictionary<string, object?>
        {
            [ReasonKindHeader] = Kind,
            [ReasonHeader] = Reason.Length <= MaxReasonLength ? Reason : string.Concat(Reason.AsSpan(0, MaxReasonLength), " ... (cut)"),
            ["x-original-exchange"] = RabbitMqOptions.EventsExchange,
            ["x-original-routing-key"] = Message.RoutingKey,
            ["x-original-queue"] = Queue,
            ["x-dead-lettered-at"] = now.ToString("O", CultureInfo.InvariantCulture),
        },
    };

    public static string Describe(int index, string? eventId, IEnumerable<Grains.Interfaces.Events.FieldError> errors)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"event {index}");
        if (eventId is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({eventId})");
        }

        text.Append(": ").AppendJoin("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
        return text.ToString();
    }
}
