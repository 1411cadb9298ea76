using System.Text;

namespace CustomerActors.Gateway.Tests.Streams;

public sealed class RabbitMqIngestTests : RabbitMqGatewayTest
{
    private const string DeadLetters = "customer-events.dead-letter";

    [Fact]
    public async Task An_event_published_with_the_customer_id_as_routing_key_is_applied()
    {
        await PublishEventsAsync("R1", Json.Event("rmq-1", "R1", amount: 1200.50m));

        await WaitForEventCountAsync("R1", 1);
        var state = await Client.GetJsonAsync("/v1/customers/R1");
        Assert.Equal(1200.50m, (decimal)state["aggregates"]!["spendLast12Months"]!);
    }

    [Fact]
    public async Task A_message_with_an_array_of_events_applies_them_in_order()
    {
        await PublishEventsAsync("R2", Json.Array([
            Json.Event("rmq-2a", "R2", "balance", amount: 500m),
            Json.Event("rmq-2b", "R2", "balance", amount: 20m),
            Json.Event("rmq-2c", "R2", "balance", amount: 7m),
        ]));

        await WaitForEventCountAsync("R2", 3);
        var history = await Client.GetJsonAsync("/v1/customers/R2/events");
        Assert.Equal(["rmq-2c", "rmq-2b", "rmq-2a"], history["items"]!.AsArray().Select(i => (string)i!["event"]!["eventId"]!));
        Assert.Equal(7m, (decimal)(await Client.GetJsonAsync("/v1/customers/R2"))["aggregates"]!["balance"]!);
    }

    [Fact]
    public async Task A_message_published_twice_counts_once()
    {
        var message = Json.Event("rmq-3", "R3");
        await PublishEventsAsync("R3", message);
        await PublishEventsAsync("R3", message);
        await PublishEventsAsync("R3", Json.Event("rmq-3-next", "R3"));

        await WaitForEventCountAsync("R3", 2);
        await WaitForQueueToEmptyAsync();
        Assert.Equal(2, (int)(await Client.GetJsonAsync("/v1/customers/R3"))["eventCount"]!);
    }

    [Fact]
    public async Task A_message_that_is_not_json_is_dead_lettered_with_the_reason_and_the_messages_after_it_still_apply()
    {
        await PublishEventsAsync("R4", Json.Event("rmq-4a", "R4"));
        await Amqp.PublishAsync(EventsExchange, "R4", Encoding.UTF8.GetBytes("{\"eventId\": oops"));
        await PublishEventsAsync("R4", Json.Event("rmq-4b", "R4"));

        await WaitForEventCountAsync("R4", 2);
        var dead = await ReceiveAsync(DeadLetters, 1);
        Assert.Equal("not_json", dead[0].Header("x-reason-kind"));
        Assert.Contains("line 1", dead[0].Header("x-reason"), StringComparison.Ordinal);
        Assert.Equal("{\"eventId\": oops", Encoding.UTF8.GetString(dead[0].Body));
        Assert.Equal("R4", dead[0].Header("x-original-routing-key"));
        await WaitForQueueToEmptyAsync();
    }

    [Fact]
    public async Task Invalid_events_are_dead_lettered_naming_event_and_field_while_valid_events_of_the_same_message_apply()
    {
        var body = Json.Array([
            Json.Event("rmq-5a", "R5"),
            Json.Event("rmq-5b", "R5", amount: -3m),
            Json.Event("rmq-5c", "R5", type: "teleport"),
            Json.Event("rmq-5d", "R5"),
        ]);
        await PublishEventsAsync("R5", body);

        await WaitForEventCountAsync("R5", 2);
        var dead = await ReceiveAsync(DeadLetters, 1);
        Assert.Equal("invalid_event", dead[0].Header("x-reason-kind"));
        var reason = dead[0].Header("x-reason")!;
        Assert.Contains("event 1 (rmq-5b): amount:", reason, StringComparison.Ordinal);
        Assert.Contains("event 2 (rmq-5c): type:", reason, StringComparison.Ordinal);
        Assert.Equal(body, Encoding.UTF8.GetString(dead[0].Body));
        var history = await Client.GetJsonAsync("/v1/customers/R5/events");
        Assert.Equal(["rmq-5d", "rmq-5a"], history["items"]!.AsArray().Select(i => (string)i!["event"]!["eventId"]!));
    }

    [Fact]
    public async Task Dead_letters_and_acks_are_counted_in_the_metrics()
    {
        await Amqp.PublishAsync(EventsExchange, "R6", Encoding.UTF8.GetBytes("not json"));
        await PublishEventsAsync("R6", Json.Event("rmq-6", "R6"));
        await WaitForEventCountAsync("R6", 1);
        await ReceiveAsync(DeadLetters, 1);

        string metrics = "";
        await TestSupport.Eventually.TrueAsync(async () =>
        {
            metrics = await Client.GetStringAsync("/metrics");
            return metrics.Contains("customeractors_messages_dead_lettered", StringComparison.Ordinal)
                && metrics.Contains("customeractors_messages_acked", StringComparison.Ordinal);
        }, "the broker counters to be exported");
        Assert.Matches("customeractors_messages_dead_lettered[a-z_]*\\{[^}]*reason=\"not_json\"[^}]*\\} 1", metrics);
        Assert.Matches("customeractors_events_accepted[a-z_]*\\{[^}]*source=\"rabbitmq\"[^}]*\\} 1", metrics);
        Assert.Matches("customeractors_messages_acked[a-z_]*\\{[^}]*\\} 2", metrics);
    }

    /// <summary>Every partition queue empty and nothing unacked: nothing blocks, nothing is requeued forever.</summary>
    private Task WaitForQueueToEmptyAsync() => TestSupport.Eventually.TrueAsync(async () =>
    {
        for (var partition = 0; partition < 8; partition++)
        {
            var queue = await VirtualHost.QueueAsync($"customer-events.p{partition}");
            if (queue?["messages"] is not { } messages || (int)messages != 0)
            {
                return false;
            }
        }

        return true;
    }, "every partition queue to be empty", TimeSpan.FromSeconds(30));
}
