namespace CustomerActors.Silo.Webhooks;

/// <summary>
/// Webhook subscribers, bound from the <c>Webhooks</c> configuration section. Targets come only from
/// configuration: nothing a client sends can add one.
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

#pragma warning disable CA2227 // Bound from configuration.
    public Dictionary<string, WebhookSubscriber> Subscribers { get; set; } = new(StringComparer.Ordinal);
#pragma warning restore CA2227

    /// <summary>First retry delay; each further retry doubles it, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per message before it is recorded as failed and delivery moves on.</summary>
    public int MaxAttempts { get; set; } = 12;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

public sealed class WebhookSubscriber
{
    /// <summary>Absolute http(s) URL that receives a JSON POST per message.</summary>
    public string Url { get; set; } = "";

    /// <summary>HMAC-SHA256 key of the signature header; at least 16 characters. Never logged.</summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// Which messages: <c>alert</c>, <c>tier</c>; unset means both. (No default list here: configuration binding
    /// overlays array elements by index, so a default would leak into a shorter configured list.)
    /// </summary>
#pragma warning disable CA1819 // Bound from configuration.
    public string[]? Topics { get; set; }
#pragma warning restore CA1819

    public static IReadOnlyList<string> AllTopics { get; } = ["alert", "tier"];

    public IReadOnlyList<string> EffectiveTopics => Topics is { Length: > 0 } topics ? topics : AllTopics;
}
