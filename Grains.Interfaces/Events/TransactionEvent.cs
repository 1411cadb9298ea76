using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>
/// One validated transaction event. Built by <see cref="TransactionEventReader"/>; attributes the
/// platform does not interpret are kept in <see cref="Extra"/> and stored with the event.
/// </summary>
public sealed record TransactionEvent
{
    public required string EventId { get; init; }
    public required string CustomerId { get; init; }
    public required TransactionType Type { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>Money amount; exact decimal, never binary floating point.</summary>
    public decimal? Amount { get; init; }
    public string? Currency { get; init; }
    public string? Channel { get; init; }
    /// <summary>Credit score, for <see cref="TransactionType.CreditScore"/>.</summary>
    public int? Score { get; init; }
    /// <summary>When the subscription ends, for <see cref="TransactionType.Subscription"/>.</summary>
    public DateTimeOffset? EndsAt { get; init; }
    /// <summary>When the warranty expires, for <see cref="TransactionType.Warranty"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Industry (GB/T 4754 wording), for <see cref="TransactionType.Profile"/>.</summary>
    public string? Industry { get; init; }
    /// <summary>Region, for <see cref="TransactionType.Profile"/>.</summary>
    public string? Region { get; init; }
    /// <summary>First contact with the customer, for <see cref="TransactionType.Profile"/>; tenure counts from it.</summary>
    public DateTimeOffset? FirstContactAt { get; init; }
    /// <summary>Attributes beyond the known fields, kept verbatim and written back beside the known ones.</summary>
    [JsonExtensionData]
#pragma warning disable CA2227 // System.Text.Json extension data needs a settable dictionary (source generation cannot bind it through init).
    public Dictionary<string, JsonElement>? Extra { get; set; }
#pragma warning restore CA2227
}
