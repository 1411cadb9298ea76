namespace CustomerActors.Gateway.Tests.Streams;

public sealed class RabbitMqTopologyTests : RabbitMqGatewayTest
{
    protected override IDictionary<string, string?> StreamSettings => new Dictionary<string, string?> { ["Streams:RabbitMq:Partitions"] = "4" };

    [Fact]
    public async Task The_events_exchange_routes_by_a_hash_of_the_routing_key_to_durable_quorum_queues_with_single_active_consumer()
    {
        var exchange = await VirtualHost.ExchangeAsync("customer-events");
        Assert.NotNull(exchange);
        Assert.Equal("x-modulus-hash", (string)exchange["type"]!);
        Assert.True((bool)exchange["durable"]!);

        for (var partition = 0; partition < 4; partition++)
        {
            var queue = await VirtualHost.QueueAsync($"customer-events.p{partition}");
            Assert.NotNull(queue);
            Assert.Equal("quorum", (string)queue["type"]!);
            Assert.True((bool)queue["durable"]!);
            Assert.True((bool)queue["arguments"]!["x-single-active-consumer"]!);
        }

        // Consumer counts reach the management API with its next statistics emission.
        await TestSupport.Eventually.TrueAsync(async () =>
        {
            for (var partition = 0; partition < 4; partition++)
            {
                if ((await VirtualHost.QueueAsync($"customer-events.p{partition}"))?["consumers"] is not { } consumers || (int)consumers != 1)
                {
                    return false;
                }
            }

            return true;
        }, "one consumer on every partition queue", TimeSpan.FromSeconds(30));

        Assert.Null(await VirtualHost.QueueAsync("customer-events.p4"));
        Assert.NotNull(await VirtualHost.QueueAsync("customer-events.dead-letter"));
        var alerts = await VirtualHost.ExchangeAsync("customer-alerts");
        Assert.NotNull(alerts);
        Assert.Equal("topic", (string)alerts["type"]!);
    }

    [Fact]
    public async Task Declaring_again_at_the_next_start_is_harmless_and_keeps_queued_messages()
    {
        await StopGatewayAndPublishAsync();
        await RestartAsync();

        await WaitForEventCountAsync("T1", 1);
        Assert.Equal(1, (int)(await Client.GetJsonAsync("/v1/customers/T1"))["eventCount"]!);
    }

    private async Task StopGatewayAndPublishAsync()
    {
        // Published while the platform is down: the message waits in its durable partition queue.
        await Factory.DisposeAsync();
        await PublishEventsAsync("T1", Json.Event("topology-1", "T1"));
    }
}
