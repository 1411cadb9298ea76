using System.Globalization;
using System.Text.Json;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>
/// Reads and validates one event from JSON. Every problem is reported with the field it concerns;
/// the same rules apply to HTTP and broker input.
/// </summary>
public sealed class TransactionEventReader(EventRules rules, TimeProvider time)
{
    private static readonly string KnownTypes = string.Join(", ", TransactionTypes.Names);

    public EventRules Rules => rules;

    public EventReadResult Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Invalid(null, new FieldError("$", $"an event must be a JSON object, not {Describe(element.ValueKind)}"));
        }

        var errors = new List<FieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? eventId = null, customerId = null, currency = null, channel = null;
        TransactionType? type = null;
        DateTimeOffset? occurredAt = null;
        decimal? amount = null;
        int? score = null;
        DateTimeOffset? endsAt = null, expiresAt = null, firstContactAt = null;
        string? industry = null, region = null;
        Dictionary<string, JsonElement>? extra = null;

        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors.Add(new FieldError(property.Name, "appears more than once"));
                continue;
            }

            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (property.Name)
            {
                case "eventId":
                    eventId = ReadText(value, "eventId", EventRules.MaxEventIdLength, errors);
                    break;
                case "customerId":
                    customerId = ReadText(value, "customerId", EventRules.MaxCustomerIdLength, errors);
                    if (customerId is not null && !CustomerIds.IsValid(customerId))
                    {
                        errors.Add(new FieldError("customerId", CustomerIds.Rule));
                        customerId = null;
                    }
                    break;
                case "type":
                    var typeName = ReadText(value, "type", 64, errors);
                    if (typeName is not null)
                    {
                        if (TransactionTypes.TryParse(typeName, out var parsed))
                        {
                            type = parsed;
                        }
                        else
                        {
                            errors.Add(new FieldError("type", $"unknown type '{typeName}'; known types: {KnownTypes}"));
                        }
                    }
                    break;
                case "occurredAt":
                    occurredAt = ReadTimestamp(value, "occurredAt", errors, notInFuture: true);
                    break;
                case "endsAt":
                    endsAt = ReadTimestamp(value, "endsAt", errors, notInFuture: false);
                    break;
                case "expiresAt":
                    expiresAt = ReadTimestamp(value, "expiresAt", errors, notInFuture: false);
                    break;
                case "firstContactAt":
                    firstContactAt = ReadTimestamp(value, "firstContactAt", errors, notInFuture: true);
                    break;
                case "industry":
                    industry = ReadText(value, "industry", EventRules.MaxLabelLength, errors);
                    break;
                case "region":
                    region = ReadText(value, "region", EventRules.MaxLabelLength, errors);
                    break;
                case "amount":
                    amount = ReadAmount(value, errors);
                    break;
                case "currency":
                    currency = ReadText(value, "currency", 3, errors);
                    if (currency is not null && !string.Equals(currency, rules.Currency, StringComparison.Ordinal))
                    {
                        errors.Add(new FieldError("currency", $"amounts must be in {rules.Currency}, not '{currency}'"));
                    }
                    break;
                case "channel":
                    channel = ReadText(value, "channel", EventRules.MaxChannelLength, errors);
                    break;
                case "score":
                    score = ReadScore(value, errors);
                    break;
                default:
                    (extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[property.Name] = value.Clone();
                    break;
            }
        }

        Require(eventId, "eventId", seen, errors);
        Require(customerId, "customerId", seen, errors);
        Require(type, "type", seen, errors);
        Require(occurredAt, "occurredAt", seen, errors);

        if (type is { } t)
        {
            if (t.RequiresAmount())
            {
                Require(amount, "amount", seen, errors, $" for type {t.ToWireName()}");
            }

            if (amount < 0 && !t.AllowsNegativeAmount())
            {
                errors.Add(new FieldError("amount", $"must not be negative for type {t.ToWireName()}"));
            }

            switch (t)
            {
                case TransactionType.CreditScore:
                    Require(score, "score", seen, errors, " for type credit_score");
                    break;
                case TransactionType.Subscription:
                    Require(endsAt, "endsAt", seen, errors, " for type subscription");
                    break;
                case TransactionType.Warranty:
                    Require(expiresAt, "expiresAt", seen, errors, " for type warranty");
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

    private static void Require<T>(T? value, string field, HashSet<string> seen, List<FieldError> errors, string context = "")
    {
        // A field that was present but invalid already has its own error.
        if (value is null && !errors.Exists(e => e.Field == field))
        {
            errors.Add(new FieldError(field, (seen.Contains(field) ? "must not be null" : "is required") + context));
        }
    }

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

        var text = value.GetString()!;
        if (!HasExplicitOffset(text) || !value.TryGetDateTimeOffset(out var timestamp))
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

    private static bool HasExplicitOffset(string text)
    {
        var timeStart = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (timeStart < 0)
        {
            return false;
        }

        return text.EndsWith('Z') || text.EndsWith('z') || text.IndexOfAny(['+', '-'], timeStart) > 0;
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
