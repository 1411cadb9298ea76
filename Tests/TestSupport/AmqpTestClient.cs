using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace CustomerActors.TestSupport;

/// <summary>A message read back from a queue.</summary>
public sealed record ReadMessage(string RoutingKey, byte[] Body, IReadOnlyBasicProperties Properties)
{
    public string? Header(string name) =>
        Properties.Headers?.TryGetValue(name, out var value) == true && value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;
}

/// <summary>
/// A producer and reader as a client of the platform would write one: publisher confirms on, and, when the
/// broker goes away mid-stream, reconnecting and publishing again everything not yet confirmed (so a message
/// may arrive twice, never zero times).
/// </summary>
public sealed class AmqpTestClient(string connectionString) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task<IChannel> ChannelAsync()
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await CloseAsync();
        var factory = new ConnectionFactory { Uri = new Uri(connectionString), AutomaticRecoveryEnabled = false };
        _connection = await factory.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return _channel;
    }

    /// <summary>Publishes one message and waits for the broker's confirm.</summary>
    public async Task PublishAsync(string exchange, string routingKey, byte[] body)
    {
        var channel = await ChannelAsync();
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties { Persistent = true }, body);
    }

    /// <summary>
    /// Publishes messages in order, a window at a time, each window confirmed before the next. If the broker is
    /// unreachable, retries (for up to <paramref name="patience"/>) and publishes the unconfirmed window again.
    /// </summary>
    public async Task PublishAllAsync(string exchange, IReadOnlyList<(string RoutingKey, byte[] Body)> messages, int window = 200,
        TimeSpan? patience = null, Func<int, Task>? afterWindow = null)
    {
        for (var start = 0; start < messages.Count; start += window)
        {
            var slice = messages.Skip(start).Take(window).ToList();
            var deadline = DateTime.UtcNow + (patience ?? TimeSpan.FromMinutes(2));
            while (true)
            {
                try
                {
                    var channel = await ChannelAsync();
                    var confirms = slice.Select(m => channel.BasicPublishAsync(exchange, m.RoutingKey, mandatory: false,
                        new BasicProperties { Persistent = true }, m.Body).AsTask()).ToList();
                    await Task.WhenAll(confirms);
                    break;
                }
                catch (Exception ex) when (IsConnectionFailure(ex) && DateTime.UtcNow < deadline)
                {
                    await CloseAsync();
                    await Task.Delay(250);
                }
            }

            if (afterWindow is not null)
            {
                await afterWindow(start + slice.Count);
            }
        }
    }

    /// <summary>Declares a durable queue bound to <paramref name="exchange"/> with <paramref name="pattern"/>.</summary>
    public async Task BindQueueAsync(string queue, string exchange, string pattern)
    {
        var channel = await ChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(queue, exchange, pattern);
    }

    /// <summary>Takes every message now in the queue (acknowledging them).</summary>
    public async Task<List<ReadMessage>> DrainAsync(string queue)
    {
        var channel = await ChannelAsync();
        var messages = new List<ReadMessage>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            messages.Add(new ReadMessage(result.RoutingKey, result.Body.ToArray(), result.BasicProperties));
        }

        return messages;
    }

    /// <summary>
    /// Consumes from <paramref name="queues"/> (acknowledging) until <paramref name="count"/> messages came or
    /// <paramref name="timeout"/> passed, and returns each with its queue. Works where <c>basic.get</c> does not
    /// (quorum queues with single active consumer).
    /// </summary>
    public async Task<List<(string Queue, ReadMessage Message)>> ConsumeAsync(IReadOnlyList<string> queues, int count, TimeSpan timeout)
    {
        var channel = await ChannelAsync();
        var received = new List<(string, ReadMessage)>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tags = new List<string>();
        foreach (var queue in queues)
        {
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                lock (received)
                {
                    received.Add((queue, new ReadMessage(delivery.RoutingKey, delivery.Body.ToArray(), delivery.BasicProperties)));
                    if (received.Count >= count)
                    {
                        enough.TrySetResult();
                    }
                }

                return Task.CompletedTask;
            };
            tags.Add(await channel.BasicConsumeAsync(queue, autoAck: true, consumer));
        }

        await Task.WhenAny(enough.Task, Task.Delay(timeout));
        foreach (var tag in tags)
        {
            await channel.BasicCancelAsync(tag);
        }

        lock (received)
        {
            return [.. received];
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync();

    private async Task CloseAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
            _channel = null;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private static bool IsConnectionFailure(Exception exception) =>
        exception is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or PublishException
            or IOException or System.Net.Sockets.SocketException or ConnectFailureException or TimeoutException;
}
