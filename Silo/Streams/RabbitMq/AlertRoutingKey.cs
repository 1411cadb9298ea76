using System.Text.Json;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// Routing keys on <c>customer-alerts</c>: <c>alert.&lt;severity&gt;.&lt;rule&gt;</c> (rule ids contain dots:
/// <c>alert.high.risk.velocity.movementsInWindow</c>) and <c>tier.&lt;scheme&gt;.&lt;from&gt;.&lt;to&gt;</c>
/// (<c>none</c> where a customer had or has no tier), so that consumers bind <c>alert.high.#</c> or <c>tier.membership.#</c>.
/// </summary>
public static class AlertRoutingKey
{
    public const string None = "none";

    public static string For(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var document = JsonDocument.Parse(message.Payload);
        var root = document.RootElement;
        return message.Topic switch
        {
            "alert" => $"alert.{message.Label}.{Text(root, "rule")}",
            "tier" => $"tier.{message.Label}.{Text(root, "from")}.{Text(root, "to")}",
            _ => $"{message.Topic}.{message.Label}",
        };
    }

    private static string Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : None;
}
