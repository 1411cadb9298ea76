using CustomerActors.Runtime.Diagnostics;
using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// Publishes the outbox (alerts and tier changes, written in the same transaction as the state change that
/// made them) to the topic exchange <c>customer-alerts</c>, in commit order, with publisher confirms. The
/// position is saved only after the broker confirmed every message up to it, so a broker or process failure
/// means republishing (at least once, same <c>message_id</c>), never losing. Nothing that did not commit is
/// ever in the outbox, so nothing is published for it.
/// </summary>
public sealed class RabbitMqOutboxPublisher(
    IOptions<RabbitMqOptions> options,
    RabbitMqConnections connections,
    RabbitMqStatus status,
    IGrainStorage storage,
    IDeliveryLog cursors,
    CommitSignal committed,
    PlatformMetrics metrics,
    TimeProvider time,
    ILogger<RabbitMqOutboxPublisher> logger) : RabbitMqComponent(Component, options, status, time, logger)
{
    public const string Component = "publisher";

    /// <summary>The name under which this publisher's position is stored.</summary>
    public const string CursorName = "rabbitmq:" + RabbitMqOptions.AlertsExchange;

    private const int PageSize = 500;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override bool IsWanted(RabbitMqOptions settings) => settings.Publish;

    private protected override async Task RunSessionAsync(RabbitMqOptions settings, Backoff backoff, CancellationToken stoppingToken)
    {
        await using var connection = await connections.ConnectAsync(Component, stoppingToken).ConfigureAwait(false);
        await using var channel = await RabbitMqConnections.CreateConfirmingChannelAsync(connection, stoppingToken).ConfigureAwait(false);
        await RabbitMqConnections.DeclareAlertsAsync(channel, stoppingToken).ConfigureAwait(false);
        Connected($"publishing to {RabbitMqOptions.AlertsExchange}");
        var cursor = await cursors.PublishCursorAsync(CursorName, stoppingToken).ConfigureAwait(false);
        backoff.Reset();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = committed.NextAsync(stoppingToken);
            var messages = await storage.ReadOutboxAsync(new OutboxQuery(cursor, PageSize), stoppingToken).ConfigureAwait(false);
            if (messages.Count > 0)
            {
                // Published back to back; each task completes when the broker confirms its message.
                var confirms = messages.Select(m => channel.BasicPublishAsync(
                    RabbitMqOptions.AlertsExchange, AlertRoutingKey.For(m), mandatory: false, Properties(m), m.Payload, stoppingToken).AsTask()).ToList();
                await Task.WhenAll(confirms).ConfigureAwait(false);
                cursor = messages[^1].Seq;
                await cursors.SavePublishCursorAsync(CursorName, cursor, CancellationToken.None).ConfigureAwait(false);
                metrics.Published(CursorName, messages.Count);
            }

            metrics.OutboxBacklog(CursorName, await storage.LastOutboxSeqAsync(stoppingToken).ConfigureAwait(false) - cursor);
            if (messages.Count < PageSize)
            {
                await Task.WhenAny(next, Task.Delay(PollInterval, Time, stoppingToken)).ConfigureAwait(false);
            }
        }
    }

    private static BasicProperties Properties(StoredMessage message) => new()
    {
        Persistent = true,
        MessageId = message.MessageId,
        ContentType = "application/json",
        Type = message.Topic,
        Timestamp = new AmqpTimestamp(message.CreatedAt.ToUnixTimeSeconds()),
        Headers = new Dictionary<string, object?> { ["customer-id"] = message.GrainId.Key, ["outbox-seq"] = message.Seq },
    };
}
