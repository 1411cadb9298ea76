using System.Text.Json;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Customers;

/// <summary>
/// How an accepted event is journaled: the compact form of <see cref="CustomerStateCodec"/> with a table of its own,
/// about a seventh of the event's JSON. The event id and the customer id are not in it: the journal row holds the one
/// as its entry id and the other as its grain's key, so reading needs both. Events journaled as JSON by earlier versions
/// are still read.
/// </summary>
/// <remarks>
/// Format 1: the header; a bit set of the optional fields present (amount, currency, channel, score, endsAt,
/// expiresAt, industry, region, firstContactAt, extra, in that order); the type as its <see cref="TransactionType"/>
/// number; occurredAt; then each field present, in that order. Extra attributes as their JSON object's UTF-8 bytes.
/// </remarks>
public static class TransactionEventCodec
{
    /// <summary>"TE" and the format version.</summary>
    private const uint Version = 0x5445_0001;

    /// <summary>Strings written as one byte: common currencies and channels. Frozen, like every <see cref="StringTable"/>.</summary>
    private static readonly StringTable KnownStrings = new(
    [
        "CNY", "USD", "EUR", "HKD", "JPY", "GBP", "app", "web", "branch", "mobile", "pos", "atm", "phone", "online",
    ]);

    [Flags]
    private enum Fields : uint
    {
        None = 0,
        Amount = 1 << 0,
        Currency = 1 << 1,
        Channel = 1 << 2,
        Score = 1 << 3,
        EndsAt = 1 << 4,
        ExpiresAt = 1 << 5,
        Industry = 1 << 6,
        Region = 1 << 7,
        FirstContactAt = 1 << 8,
        Extra = 1 << 9,
        All = (1 << 10) - 1,
    }

    public static byte[] Serialize(TransactionEvent transactionEvent)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        var e = transactionEvent;
        var present = (e.Amount is null ? 0 : Fields.Amount) | (e.Currency is null ? 0 : Fields.Currency) | (e.Channel is null ? 0 : Fields.Channel)
            | (e.Score is null ? 0 : Fields.Score) | (e.EndsAt is null ? 0 : Fields.EndsAt) | (e.ExpiresAt is null ? 0 : Fields.ExpiresAt)
            | (e.Industry is null ? 0 : Fields.Industry) | (e.Region is null ? 0 : Fields.Region)
            | (e.FirstContactAt is null ? 0 : Fields.FirstContactAt) | (e.Extra is { Count: > 0 } ? Fields.Extra : 0);

        var writer = CompactWriter.Start(KnownStrings, Version);
        writer.WriteVarUInt((ulong)present);
        writer.WriteVarUInt((ulong)e.Type);
        writer.WriteTimestamp(e.OccurredAt);
        if (e.Amount is { } amount)
        {
            writer.WriteDecimal(amount);
        }

        WriteIfPresent(writer, e.Currency);
        WriteIfPresent(writer, e.Channel);
        if (e.Score is { } score)
        {
            writer.WriteVarInt(score);
        }

        WriteIfPresent(writer, e.EndsAt);
        WriteIfPresent(writer, e.ExpiresAt);
        WriteIfPresent(writer, e.Industry);
        WriteIfPresent(writer, e.Region);
        WriteIfPresent(writer, e.FirstContactAt);
        if ((present & Fields.Extra) != 0)
        {
            writer.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(e.Extra, GrainsJsonContext.Default.DictionaryStringJsonElement));
        }

        return writer.ToArray();
    }

    /// <param name="eventId">The journal entry's id.</param>
    /// <param name="customerId">The key of the grain whose journal holds the entry.</param>
    /// <exception cref="InvalidDataException">The payload is damaged or of an unknown format.</exception>
    public static TransactionEvent Deserialize(ReadOnlySpan<byte> payload, string eventId, string customerId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(customerId);
        if (payload.TrimStart(" \t\r\n"u8) is [(byte)'{', ..])
        {
            return JsonSerializer.Deserialize(payload, GrainsJsonContext.Default.TransactionEvent)
                ?? throw new InvalidDataException("A journaled event is null.");
        }

        var reader = new CompactReader(payload, KnownStrings);
        reader.ExpectHeader(Version, "journaled event");
        var present = (Fields)checked((uint)reader.ReadVarUInt());
        if ((present & ~Fields.All) != 0)
        {
            throw new InvalidDataException($"A journaled event names unknown fields 0x{(uint)present:X}.");
        }

        var type = (TransactionType)checked((int)reader.ReadVarUInt());
        if (!Enum.IsDefined(type))
        {
            throw new InvalidDataException($"A journaled event has an unknown type {(int)type}.");
        }

        var result = new TransactionEvent
        {
            EventId = eventId,
            CustomerId = customerId,
            Type = type,
            OccurredAt = reader.ReadTimestamp(),
            Amount = (present & Fields.Amount) != 0 ? reader.ReadDecimal() : null,
            Currency = ReadIfPresent(ref reader, present, Fields.Currency),
            Channel = ReadIfPresent(ref reader, present, Fields.Channel),
            Score = (present & Fields.Score) != 0 ? reader.ReadInt32() : null,
            EndsAt = ReadTimestampIfPresent(ref reader, present, Fields.EndsAt),
            ExpiresAt = ReadTimestampIfPresent(ref reader, present, Fields.ExpiresAt),
            Industry = ReadIfPresent(ref reader, present, Fields.Industry),
            Region = ReadIfPresent(ref reader, present, Fields.Region),
            FirstContactAt = ReadTimestampIfPresent(ref reader, present, Fields.FirstContactAt),
            Extra = (present & Fields.Extra) != 0 ? ReadExtra(reader.ReadBytes()) : null,
        };

        return reader.AtEnd ? result : throw new InvalidDataException("A journaled event has trailing bytes.");
    }

    private static void WriteIfPresent(CompactWriter writer, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(value);
        }
    }

    private static void WriteIfPresent(CompactWriter writer, DateTimeOffset? value)
    {
        if (value is { } moment)
        {
            writer.WriteTimestamp(moment);
        }
    }

    private static string? ReadIfPresent(ref CompactReader reader, Fields present, Fields field) =>
        (present & field) != 0 ? reader.ReadRequiredString() : null;

    private static DateTimeOffset? ReadTimestampIfPresent(ref CompactReader reader, Fields present, Fields field) =>
        (present & field) != 0 ? reader.ReadTimestamp() : null;

    private static Dictionary<string, JsonElement> ReadExtra(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, GrainsJsonContext.Default.DictionaryStringJsonElement)
                ?? throw new InvalidDataException("A journaled event's extra attributes are null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("A journaled event's extra attributes are damaged.", ex);
        }
    }
}
