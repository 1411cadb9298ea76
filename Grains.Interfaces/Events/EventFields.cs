using System.Text;
using System.Text.Json;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>The fields of an event's JSON, as flags: a reader marks the ones it has seen in one word.</summary>
[Flags]
internal enum EventField
{
    None = 0,
    EventId = 1 << 0,
    CustomerId = 1 << 1,
    Type = 1 << 2,
    OccurredAt = 1 << 3,
    EndsAt = 1 << 4,
    ExpiresAt = 1 << 5,
    FirstContactAt = 1 << 6,
    Industry = 1 << 7,
    Region = 1 << 8,
    Amount = 1 << 9,
    Currency = 1 << 10,
    Channel = 1 << 11,
    Score = 1 << 12,
}

/// <summary>Names the JSON properties of <see cref="TransactionEvent"/>, matched as UTF-8 without making a string of each.</summary>
internal static class EventFields
{
    private static readonly (EventField Field, string Name, byte[] Utf8)[] All =
    [
        .. new[]
        {
            (EventField.EventId, "eventId"), (EventField.CustomerId, "customerId"), (EventField.Type, "type"),
            (EventField.OccurredAt, "occurredAt"), (EventField.Amount, "amount"), (EventField.Currency, "currency"),
            (EventField.Channel, "channel"), (EventField.Score, "score"), (EventField.EndsAt, "endsAt"),
            (EventField.ExpiresAt, "expiresAt"), (EventField.FirstContactAt, "firstContactAt"), (EventField.Industry, "industry"),
            (EventField.Region, "region"),
        }.Select(f => (f.Item1, f.Item2, Encoding.UTF8.GetBytes(f.Item2))),
    ];

    /// <summary>The field the property names (escaped names compare as their text), or <see cref="EventField.None"/> for any other.</summary>
    public static EventField Of(JsonProperty property)
    {
        foreach (var (field, _, utf8) in All)
        {
            if (property.NameEquals(utf8))
            {
                return field;
            }
        }

        return EventField.None;
    }

    public static string NameOf(EventField field)
    {
        foreach (var (candidate, name, _) in All)
        {
            if (candidate == field)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(field), field, "Not one event field.");
    }
}
