using System.ComponentModel.DataAnnotations;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Silo.Ingestion;

/// <summary>Event input settings, bound from the <c>Events</c> configuration section.</summary>
public sealed class EventOptions
{
    public const string SectionName = "Events";

    /// <summary>ISO 4217 code all amounts are in.</summary>
    [Required]
    [RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "CNY";

    /// <summary>How far in the future an event's <c>occurredAt</c> may be.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most events in one request or message.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 10_000;

    public EventRules ToRules() => new() { Currency = Currency, MaxFutureSkew = MaxFutureSkew };
}
