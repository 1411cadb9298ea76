using System.Text;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Streams;

/// <summary>A gateway in memory on a fresh SQLite file, streaming from a virtual host of its own on the test broker.</summary>
[Collection(BrokerCollection.Name)]
public abstract class RabbitMqGatewayTest : SqliteGatewayTest
{
    public const string EventsExchange = "customer-events";

    protected RabbitMqVirtualHost VirtualHost { get; private set; } = null!;

    protected AmqpTestClient Amqp { get; private set; } = null!;

    /// <summary>Settings beside the store and broker ones (e.g. the partition count).</summary>
    protected virtual IDictionary<string, string?> StreamSettings => new Dictionary<string, string?>();

    protected sealed override IDictionary<string, string?> Settings => new Dictionary<string, string?>(StreamSettings)
    {
        ["Streams:RabbitMq:ConnectionString"] = VirtualHost.ConnectionString,
        ["Streams:RabbitMq:RetryBaseDelay"] = "00:00:00.100",
        ["Streams:RabbitMq:RetryMaxDelay"] = "00:00:01",
    };

    public override async Task InitializeAsync()
    {
        VirtualHost = await RabbitMqBroker.CreateVirtualHostAsync();
        Amqp = new AmqpTestClient(VirtualHost.ConnectionString);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Amqp.DisposeAsync();
        await VirtualHost.DisposeAsync();
    }

    /// <summary>Every start waits until the gateway is connected to the broker.</summary>
    protected override Task OnStartedAsync() => Eventually.TrueAsync(async () =>
    {
        using var response = await Client.GetAsync("/readyz");
        return (string?)(await Json.ReadAsync(response))["checks"]?["rabbitmq"]?["status"] == "healthy";
    }, "the gateway to connect to the broker", TimeSpan.FromSeconds(30));

    protected Task PublishEventsAsync(string routingKey, string json) =>
        Amqp.PublishAsync(EventsExchange, routingKey, Encoding.UTF8.GetBytes(json));

    /// <summary>Waits until the customer's state shows <paramref name="eventCount"/> events.</summary>
    protected Task WaitForEventCountAsync(string customer, int eventCount) => Eventually.TrueAsync(async () =>
    {
        using var response = await Client.GetAsync($"/v1/customers/{customer}");
        return response.IsSuccessStatusCode && (int)(await Json.ReadAsync(response))["eventCount"]! >= eventCount;
    }, $"{customer} to have {eventCount} events", TimeSpan.FromSeconds(30));

    /// <summary>Waits until <paramref name="count"/> messages have arrived in <paramref name="queue"/>, takes them, and checks no more came.</summary>
    protected async Task<List<ReadMessage>> ReceiveAsync(string queue, int count)
    {
        var messages = new List<ReadMessage>();
        await Eventually.TrueAsync(async () =>
        {
            messages.AddRange(await Amqp.DrainAsync(queue));
            return messages.Count >= count;
        }, $"{count} messages in {queue}", TimeSpan.FromSeconds(30));
        Assert.Equal(count, messages.Count);
        return messages;
    }
}
