using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>
/// Reads and validates one event from JSON. Every problem is reported with the field it concerns;
/// the same rules apply to HTTP and broker input.
/// </summary>
public sealed class TransactionEventReader(EventRules rules, TimeProvider time)
{
    private static readonly string KnownTypes = string.Join(", ", TransactionTypes.Names);

    /// <summary>One list per thread, cleared for each event: most events have no error, and a list each was garbage.</summary>
    [ThreadStatic]
    private static List<FieldError>? t_errors;

    private readonly LabelCache _channels = new();
    private readonly LabelCache _industries = new();
    private readonly LabelCache _regions = new();

    public EventRules Rules => rules;

    /// <remarks>
    /// Ingest reads thousands of events a second, and what it allocates sets how often the collector runs (each run copies
    /// the batches in flight): field names are matched as UTF-8 without strings, the currency, type and timestamps are
    /// read without strings, and channels, industries and regions come from a <see cref="LabelCache"/> each.
    /// </remarks>
    public EventReadResult Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Invalid(null, new FieldError("$", $"an event must be a JSON object, not {Describe(element.ValueKind)}"));
        }

        var errors = t_errors ??= [];
        errors.Clear();
        var seen = EventField.None;
        string? eventId = null, customerId = null, currency = null, channel = null;
        TransactionType? type = null;
        DateTimeOffset? occurredAt = null;
        decimal? amount = null;
        int? score = null;
        DateTimeOffset? endsAt = null, expiresAt = null, firstContactAt = null;
        string? industry = null, region = null;
        Dictionary<string, JsonElement>? extra = null;
        HashSet<string>? otherNames = null;

        foreach (var property in element.EnumerateObject())
        {
            var field = EventFields.Of(property);
            if (field == EventField.None)
            {
                // Not a field of ours: kept as an extra attribute, once.
                var name = property.Name;
                if (!(otherNames ??= new HashSet<string>(StringComparer.Ordinal)).Add(name))
                {
                    errors.Add(new FieldError(name, "appears more than once"));
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    (extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = property.Value.Clone();
                }

                continue;
            }

            if ((seen & field) != 0)
            {
                errors.Add(new FieldError(EventFields.NameOf(field), "appears more than once"));
                continue;
            }

            seen |= field;
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (field)
            {
                case EventField.EventId:
                    eventId = ReadText(value, "eventId", EventRules.MaxEventIdLength, errors);
                    break;
                case EventField.CustomerId:
                    customerId = ReadText(value, "customerId", EventRules.MaxCustomerIdLength, errors);
                    if (customerId is not null && !CustomerIds.IsValid(customerId))
                    {
                        errors.Add(new FieldError("customerId", CustomerIds.Rule));
                        customerId = null;
                    }
                    break;
                case EventField.Type:
                    if (TransactionTypes.TryRead(value, out var known))
                    {
                        type = known;
                    }
                    else if (ReadText(value, "type", 64, errors) is { } typeName)
                    {
                        errors.Add(new FieldError("type", $"unknown type '{typeName}'; known types: {KnownTypes}"));
                    }
                    break;
                case EventField.OccurredAt:
                    occurredAt = ReadTimestamp(value, "occurredAt", errors, notInFuture: true);
                    break;
                case EventField.EndsAt:
                    endsAt = ReadTimestamp(value, "endsAt", errors, notInFuture: false);
                    break;
                case EventField.ExpiresAt:
                    expiresAt = ReadTimestamp(value, "expiresAt", errors, notInFuture: false);
                    break;
                case EventField.FirstContactAt:
                    firstContactAt = ReadTimestamp(value, "firstContactAt", errors, notInFuture: true);
                    break;
                case EventField.Industry:
                    industry = ReadLabel(_industries, value, "industry", EventRules.MaxLabelLength, errors);
                    break;
                case EventField.Region:
                    region = ReadLabel(_regions, value, "region", EventRules.MaxLabelLength, errors);
                    break;
                case EventField.Amount:
                    amount = ReadAmount(value, errors);
                    break;
                case EventField.Currency:
                    if (value.ValueKind == JsonValueKind.String && value.ValueEquals(rules.Currency))
                    {
                        currency = rules.Currency;
                    }
                    else if ((currency = ReadText(value, "currency", 3, errors)) is not null)
                    {
                        errors.Add(new FieldError("currency", $"amounts must be in {rules.Currency}, not '{currency}'"));
                    }
                    break;
                case EventField.Channel:
                    channel = ReadLabel(_channels, value, "channel", EventRules.MaxChannelLength, errors);
                    break;
                case EventField.Score:
                    score = ReadScore(value, errors);
                    break;
            }
        }

        Require(eventId, EventField.EventId, seen, errors);
        Require(customerId, EventField.CustomerId, seen, errors);
        Require(type, EventField.Type, seen, errors);
        Require(occurredAt, EventField.OccurredAt, seen, errors);

        if (type is { } t)
        {
            if (t.RequiresAmount())
            {
                Require(amount, EventField.Amount, seen, errors, $" for type {t.ToWireName()}");
            }

            if (amount < 0 && !t.AllowsNegativeAmount())
            {
                errors.Add(new FieldError("amount", $"must not be negative for type {t.ToWireName()}"));
            }

            switch (t)
            {
                case TransactionType.CreditScore:
                    Require(score, EventField.Score, seen, errors, " for type credit_score");
                    break;
                case TransactionType.Subscription:
                    Require(endsAt, EventField.EndsAt, seen, errors, " for type subscription");
                    break;
                case TransactionType.Warranty:
                    Require(expiresAt, EventField.ExpiresAt, seen, errors, " for type warranty");
                    break;
                case TransactionType.Profile when industry is null && region is null && firstContactAt is null
                    && !errors.Exists(e => e.Field is "industry" or "region" or "firstContactAt"):
                    errors.Add(new FieldError("industry", "a profile event needs at least one of industry, region, firstContactAt"));
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return Invalid(eventId, [.. errors]);
        }

        var transactionEvent = new TransactionEvent
        {
            EventId = eventId!,
            CustomerId = customerId!,
            Type = type!.Value,
            OccurredAt = occurredAt!.Value,
            Amount = amount,
            Currency = currency ?? (amount is null ? null : rules.Currency),
            Channel = channel,
            Score = score,
            EndsAt = endsAt,
            ExpiresAt = expiresAt,
            Industry = industry,
            Region = region,
            FirstContactAt = firstContactAt,
            Extra = extra,
        };
        return new EventReadResult(transactionEvent, eventId, []);
    }

    private static EventReadResult Invalid(string? eventId, params FieldError[] errors) => new(null, eventId, errors);

    private static void Require<T>(T? value, EventField field, EventField seen, List<FieldError> errors, string context = "")
    {
        if (value is not null)
        {
            return;
        }

        // A field that was present but invalid already has its own error.
        var name = EventFields.NameOf(field);
        foreach (var error in errors)
        {
            if (error.Field == name)
            {
                return;
            }
        }

        errors.Add(new FieldError(name, ((seen & field) != 0 ? "must not be null" : "is required") + context));
    }

    /// <summary>A short label (channel, industry, region): checked like any text, the same instance for the same value. A field's cache holds only labels that passed its own checks.</summary>
    private static string? ReadLabel(LabelCache labels, JsonElement value, string field, int maxLength, List<FieldError> errors) =>
        labels.Find(value) ?? (ReadText(value, field, maxLength, errors) is { } text ? labels.Add(text) : null);

    private static string? ReadText(JsonElement value, string field, int maxLength, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(field, $"must be a string, not {Describe(value.ValueKind)}"));
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            errors.Add(new FieldError(field, "must not be empty"));
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(new FieldError(field, $"must be at most {maxLength} characters"));
            return null;
        }

        if (text.Any(char.IsControl))
        {
            errors.Add(new FieldError(field, "must not contain control characters"));
            return null;
        }

        return text;
    }

    private DateTimeOffset? ReadTimestamp(JsonElement value, string field, List<FieldError> errors, bool notInFuture)
    {
        const string Expected = "must be an ISO 8601 timestamp with an offset, e.g. 2026-11-22T10:00:00Z";
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(field, Expected));
            return null;
        }

        if (!HasExplicitOffset(value) || !value.TryGetDateTimeOffset(out var timestamp))
        {
            errors.Add(new FieldError(field, Expected));
            return null;
        }

        var latest = time.GetUtcNow() + rules.MaxFutureSkew;
        if (notInFuture && timestamp > latest)
        {
            errors.Add(new FieldError(field, $"lies in the future (later than {latest.ToString("O", CultureInfo.InvariantCulture)})"));
            return null;
        }

        return timestamp.ToUniversalTime();
    }

    /// <summary>Whether the timestamp names its offset (<c>Z</c> or <c>+hh:mm</c>): read from the raw UTF-8, or from the text when it is escaped.</summary>
    private static bool HasExplicitOffset(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        return raw.Length >= 2 && raw[0] == (byte)'"' && !raw.Contains((byte)'\\')
            ? HasExplicitOffset(raw[1..^1])
            : HasExplicitOffset(Encoding.UTF8.GetBytes(value.GetString()!));
    }

    private static bool HasExplicitOffset(ReadOnlySpan<byte> text)
    {
        var timeStart = text.IndexOfAny((byte)'T', (byte)'t');
        return timeStart >= 0 && (text[^1] is (byte)'Z' or (byte)'z' || text[timeStart..].IndexOfAny((byte)'+', (byte)'-') > 0);
    }

    private decimal? ReadAmount(JsonElement value, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new FieldError("amount", $"must be a JSON number, not {Describe(value.ValueKind)}"));
            return null;
        }

        if (!value.TryGetDecimal(out var amount) || Math.Abs(amount) > rules.MaxAmount)
        {
            errors.Add(new FieldError("amount", $"must be a finite decimal no larger than {rules.MaxAmount.ToString(CultureInfo.InvariantCulture)} in magnitude"));
            return null;
        }

        return amount;
    }

    private static int? ReadScore(JsonElement value, List<FieldError> errors)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var score)
            || score is < EventRules.MinScore or > EventRules.MaxScore)
        {
            errors.Add(new FieldError("score", $"must be a whole number from {EventRules.MinScore} to {EventRules.MaxScore}"));
            return null;
        }

        return score;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
