using System.ComponentModel.DataAnnotations;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// RabbitMQ as a way in (transaction events) and out (alerts, tier changes), bound from <c>Streams:RabbitMq</c>.
/// Off unless <see cref="ConnectionString"/> is set. Exchange and queue names are fixed: producers and
/// consumers rely on them.
/// </summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "Streams:RabbitMq";

    /// <summary>Hash exchange (<see cref="RabbitMqConnections.EventsExchangeType"/>) producers publish events to, routing key = customer id.</summary>
    public const string EventsExchange = "customer-events";

    /// <summary>Where messages that cannot be processed go, with the reason in headers.</summary>
    public const string DeadLetterQueue = "customer-events.dead-letter";

    /// <summary>Topic exchange alerts (<c>alert.&lt;severity&gt;.&lt;rule&gt;</c>) and tier changes (<c>tier.&lt;scheme&gt;.&lt;from&gt;.&lt;to&gt;</c>) are published to.</summary>
    public const string AlertsExchange = "customer-alerts";

    /// <summary>AMQP URI (<c>amqp://user:password@host:5672/vhost</c>). Empty: RabbitMQ is not used. Never logged.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Durable quorum queues behind the events exchange: <c>customer-events.p0</c> ... </summary>
    [Range(1, 1024)]
    public int Partitions { get; set; } = 8;

    /// <summary>
    /// Unacknowledged messages the broker hands each partition's consumer at once. 2,500 since 2026-11-24: with one event
    /// per message, steps of up to 2,500 fill the group commits better than 1,000 (7-23% more events/s over three seeds;
    /// 5,000 gave no more; docs/performance.md).
    /// </summary>
    [Range(1, 65535)]
    public int Prefetch { get; set; } = 2500;

    /// <summary>Consume the events exchange (false: publish only).</summary>
    public bool Consume { get; set; } = true;

    /// <summary>Publish alerts and tier changes to <see cref="AlertsExchange"/>.</summary>
    public bool Publish { get; set; } = true;

    /// <summary>Attempts at a message that fails for a reason other than the store being down, before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxProcessingAttempts { get; set; } = 5;

    /// <summary>First delay before reconnecting or retrying the store; doubled each time up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(ConnectionString);

    public static string PartitionQueue(int partition) => $"{EventsExchange}.p{partition}";
}
