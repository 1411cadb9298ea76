using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// Opens connections and declares the topology, idempotently: the consistent-hash events exchange, its
/// partition queues (durable, quorum, single active consumer), the dead-letter queue and the alerts exchange.
/// Connections do not recover by themselves: the consumer and publisher own their reconnect loops, so that
/// what happens after a broker restart is explicit (unacked messages come back and are recognised as duplicates).
/// </summary>
public sealed class RabbitMqConnections(IOptions<RabbitMqOptions> options)
{
    public Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.Value.ConnectionString!),
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = $"customeractors-{clientName}@{Environment.MachineName}",
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        return factory.CreateConnectionAsync(cancellationToken);
    }

    public async Task DeclareEventsAsync(IChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        // Queues first (a quorum queue takes a while to create), then the exchange and its bindings back to
        // back: while the exchange has only some of its bindings, the hash ring is partial and a customer's
        // messages could land in a partition that is not its final one (order across partitions is not kept).
        // This window exists only when the topology is first created; see the README on first deployment.
        for (var partition = 0; partition < options.Value.Partitions; partition++)
        {
            await channel.QueueDeclareAsync(RabbitMqOptions.PartitionQueue(partition), durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum",
                    ["x-single-active-consumer"] = true,
                }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await channel.QueueDeclareAsync(RabbitMqOptions.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(RabbitMqOptions.EventsExchange, "x-consistent-hash", durable: true, autoDelete: false,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var partition = 0; partition < options.Value.Partitions; partition++)
        {
            // The binding key of a consistent-hash exchange is the queue's weight: its share of points on the hash ring.
            await channel.QueueBindAsync(RabbitMqOptions.PartitionQueue(partition), RabbitMqOptions.EventsExchange, "10",
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public static Task DeclareAlertsAsync(IChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.ExchangeDeclareAsync(RabbitMqOptions.AlertsExchange, ExchangeType.Topic, durable: true, autoDelete: false,
            cancellationToken: cancellationToken);
    }

    /// <summary>A channel whose publishes complete only when the broker has confirmed them.</summary>
    public static Task<IChannel> CreateConfirmingChannelAsync(IConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
    }
}
