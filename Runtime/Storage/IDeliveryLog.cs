namespace CustomerActors.Runtime.Storage;

/// <summary>The state of one outbox message's delivery to one subscriber.</summary>
public sealed record Delivery(
    string MessageId,
    long Seq,
    string Topic,
    string Status,
    int Attempts,
    int? LastStatus,
    string? LastError,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>Durable record of deliveries to subscribers (webhooks) and of broker publishers' positions: survives restarts, resumes where it stopped.</summary>
public interface IDeliveryLog
{
    /// <summary>The outbox position after which the subscriber's delivery resumes.</summary>
    Task<long> CursorAsync(string subscriber, CancellationToken cancellationToken);

    Task RecordAsync(string subscriber, Delivery delivery, CancellationToken cancellationToken);

    Task<Delivery?> ReadAsync(string subscriber, string messageId, CancellationToken cancellationToken);

    /// <summary>The outbox position through which a broker publisher has had every message confirmed (0: none yet).</summary>
    Task<long> PublishCursorAsync(string publisher, CancellationToken cancellationToken);

    /// <summary>Records that every outbox message through <paramref name="seq"/> is confirmed; never moves back.</summary>
    Task SavePublishCursorAsync(string publisher, long seq, CancellationToken cancellationToken);

    Task<IReadOnlyList<Delivery>> ListAsync(string subscriber, string? status, long afterSeq, int limit, CancellationToken cancellationToken);
}
