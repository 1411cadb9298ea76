using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CustomerActors.Runtime.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CustomerActors.Gateway.Tests.Streams;

public sealed class RabbitMqPublishTests : RabbitMqGatewayTest
{
    [Fact]
    public async Task Alerts_and_tier_changes_are_published_to_customer_alerts_with_routing_keys_and_stable_ids()
    {
        await Amqp.BindQueueAsync("test-alerts", "customer-alerts", "alert.#");
        await Amqp.BindQueueAsync("test-tiers", "customer-alerts", "tier.membership.#");

        using var response = await Client.PostEventsAsync(Json.Event("pub-1", "P1", amount: 60_000m));
        Assert.True(response.IsSuccessStatusCode);

        var alerts = await ReceiveAsync("test-alerts", 1);
        var alert = JsonNode.Parse(alerts[0].Body)!;
        Assert.StartsWith("alert.", alerts[0].RoutingKey, StringComparison.Ordinal);
        Assert.Equal($"alert.{alert["severity"]}.{alert["rule"]}", alerts[0].RoutingKey);
        Assert.Equal("P1", (string)alert["customerId"]!);
        Assert.Equal((string)alert["id"]!, alerts[0].Properties.MessageId);
        var stored = await Client.GetJsonAsync("/v1/alerts?customer=P1");
        Assert.Equal((string)alert["id"]!, (string)stored["items"]![0]!["id"]!);

        var tiers = await ReceiveAsync("test-tiers", 1);
        var tier = JsonNode.Parse(tiers[0].Body)!;
        Assert.Equal("membership", (string)tier["scheme"]!);
        Assert.Equal($"tier.membership.none.{tier["to"]}", tiers[0].RoutingKey);
        Assert.Equal("gold", (string)tier["to"]!);
    }

    [Fact]
    public async Task Messages_committed_while_the_publisher_was_away_are_published_when_it_is_back_and_none_twice()
    {
        await Amqp.BindQueueAsync("test-alerts", "customer-alerts", "alert.#");
        using (var first = await Client.PostEventsAsync(Json.Event("pub-2a", "P2", amount: 70_000m)))
        {
            Assert.True(first.IsSuccessStatusCode);
        }

        var before = await ReceiveAsync("test-alerts", 1);

        // The platform runs without the broker for a while: the next alert is committed to the outbox only.
        await RestartAsync(betweenStopAndStart: async () =>
        {
            await using var offline = new GatewayFactory(new Dictionary<string, string?> { ["Storage:ConnectionString"] = Directory.SqliteConnectionString() });
            using var client = offline.CreateClient();
            using var second = await client.PostEventsAsync(Json.Event("pub-2b", "P2", amount: 80_000m));
            Assert.True(second.IsSuccessStatusCode);
        });

        var after = await ReceiveAsync("test-alerts", 1);
        var stored = (await Client.GetJsonAsync("/v1/alerts?customer=P2"))["items"]!.AsArray().Select(a => (string)a!["id"]!).ToList();
        Assert.Equal(2, stored.Count);
        Assert.Equal(stored.Order(StringComparer.Ordinal), new[] { before[0].Properties.MessageId!, after[0].Properties.MessageId! }.Order(StringComparer.Ordinal));
        await Task.Delay(500);
        Assert.Empty(await Amqp.DrainAsync("test-alerts"));
    }

    [Fact]
    public async Task Publishing_activations_and_commits_show_in_the_metrics()
    {
        // Exact counts come from this gateway's own meters: /metrics exports every meter of that name in the
        // process, and other tests' gateways run beside this one.
        var meters = Factory.Services.GetRequiredService<IMeterFactory>();
        using var accepted = new MetricCollector<long>(meters, PlatformMetrics.MeterName, "customeractors.events.accepted");
        using var activations = new MetricCollector<long>(meters, PlatformMetrics.MeterName, "customeractors.activations");
        await Amqp.BindQueueAsync("test-alerts", "customer-alerts", "alert.#");
        using (var response = await Client.PostEventsAsync(Json.Event("pub-3", "P3", amount: 90_000m)))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        await ReceiveAsync("test-alerts", 1);
        string metrics = "";
        // The publisher counts a message after its confirm, so the consumer can have it a moment before the counter
        // moves: wait for the series asserted on, not merely for any outbox gauge (other gateways in this process export some).
        const string published = "customeractors_outbox_published_total\\{[^}]*publisher=\"rabbitmq:customer-alerts\"[^}]*\\} [1-9]";
        const string noBacklog = "customeractors_outbox_backlog\\{[^}]*publisher=\"rabbitmq:customer-alerts\"[^}]*\\} 0";
        await TestSupport.Eventually.TrueAsync(async () =>
        {
            metrics = await Client.GetStringAsync("/metrics");
            return Regex.IsMatch(metrics, published) && Regex.IsMatch(metrics, noBacklog);
        }, "the outbox counters to show what was published");

        // One alert and the initial tier assignments (membership, activity level, service) were published.
        Assert.Matches(published, metrics);
        Assert.Matches(noBacklog, metrics);
        Assert.Matches("customeractors_events_accepted_total\\{[^}]*source=\"http\"[^}]*\\} \\d+", metrics);
        Assert.Matches("customeractors_activations\\{[^}]*\\} \\d+", metrics);
        Assert.Equal(1, accepted.GetMeasurementSnapshot().Where(m => (string?)m.Tags["source"] == "http").Sum(m => m.Value));
        activations.RecordObservableInstruments();
        Assert.Equal(1, activations.LastMeasurement!.Value);
        Assert.Matches("customeractors_storage_commit_duration_milliseconds_count\\{[^}]*\\} [1-9]", metrics);
    }
}
