using CustomerActors.Gateway.Tests.Processes;
using CustomerActors.Silo.Streams.RabbitMq;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Streams;

/// <summary>
/// Real faults with real processes on loopback: the platform as a child process on PostgreSQL, fed by
/// RabbitMQ. Every test asserts that each published event is applied exactly once and in order.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class BrokerFaultTests
{
    [Fact]
    public async Task Kill_9_of_the_platform_under_load_loses_no_published_event_and_applies_none_twice()
    {
        await RunAsync(PostgresDatabase.ServerConnectionString, s => s.KillAndRestartGatewayAsync());
    }

    [Fact]
    public async Task A_broker_restart_mid_stream_loses_no_event_and_applies_none_twice()
    {
        await RunAsync(PostgresDatabase.ServerConnectionString, async _ =>
        {
            await RabbitMqBroker.StopAsync();
            await Task.Delay(1_000);
            await RabbitMqBroker.StartAsync();
        });
    }

    [Fact]
    public async Task Every_customer_keeps_its_partition_queue_across_a_broker_restart()
    {
        // Per-customer order across a restart needs each routing key to land in the same queue before and after it:
        // messages still queued from before are consumed beside new ones. (A consistent-hash exchange moved most keys.)
        await using var virtualHost = await RabbitMqBroker.CreateVirtualHostAsync();
        var connections = new RabbitMqConnections(Options.Create(new RabbitMqOptions { ConnectionString = virtualHost.ConnectionString }));
        await using (var connection = await connections.ConnectAsync("topology-test", CancellationToken.None))
        {
            await connections.DeclareEventsAsync(connection, NullLogger.Instance, CancellationToken.None);
        }

        await using var client = new AmqpTestClient(virtualHost.ConnectionString);
        var before = await RouteAsync(client);
        await RabbitMqBroker.StopAsync();
        await RabbitMqBroker.StartAsync();
        var after = await RouteAsync(client);

        Assert.Equal(200, before.Count);
        Assert.True(before.Values.Distinct().Count() == 8, "keys spread over every partition");
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task An_events_exchange_declared_by_an_earlier_version_as_consistent_hash_is_replaced_and_routes_to_the_partitions()
    {
        await using var virtualHost = await RabbitMqBroker.CreateVirtualHostAsync();
        await using var client = new AmqpTestClient(virtualHost.ConnectionString);
        await (await client.ChannelAsync()).ExchangeDeclareAsync("customer-events", "x-consistent-hash", durable: true, autoDelete: false);
        var connections = new RabbitMqConnections(Options.Create(new RabbitMqOptions { ConnectionString = virtualHost.ConnectionString }));

        await using (var connection = await connections.ConnectAsync("topology-test", CancellationToken.None))
        {
            await connections.DeclareEventsAsync(connection, NullLogger.Instance, CancellationToken.None);
        }

        Assert.Equal(RabbitMqConnections.EventsExchangeType, (string)(await virtualHost.ExchangeAsync("customer-events"))!["type"]!);
        Assert.Equal(200, (await RouteAsync(client)).Count);
    }

    /// <summary>Publishes one message per customer id and reads back which partition queue each landed in.</summary>
    private static async Task<SortedDictionary<string, int>> RouteAsync(AmqpTestClient client)
    {
        var keys = Enumerable.Range(0, 200).Select(i => $"R{i:D4}").ToList();
        await client.PublishAllAsync("customer-events", [.. keys.Select(k => (k, "{}"u8.ToArray()))]);
        var queues = Enumerable.Range(0, 8).Select(RabbitMqOptions.PartitionQueue).ToList();
        var landed = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (queue, message) in await client.ConsumeAsync(queues, keys.Count, TimeSpan.FromSeconds(30)))
        {
            landed[message.RoutingKey] = queues.IndexOf(queue);
        }

        return landed;
    }

    [Fact]
    public async Task A_database_crash_mid_stream_loses_no_event_and_applies_none_twice()
    {
        await RunAsync(PostgresFaultCluster.ServerConnectionString, async _ =>
        {
            await PostgresFaultCluster.StopImmediatelyAsync();
            try
            {
                await Task.Delay(3_000);
            }
            finally
            {
                await PostgresFaultCluster.StartAsync();
            }
        });
    }

    [Fact]
    public async Task Ten_percent_of_events_published_twice_some_far_apart_count_once()
    {
        await RunAsync(PostgresDatabase.ServerConnectionString, fault: null, duplicateFraction: 0.10);
    }

    [Fact]
    public async Task Poison_messages_between_valid_ones_are_dead_lettered_and_block_nothing()
    {
        await RunAsync(PostgresDatabase.ServerConnectionString, fault: null, poisonEvery: 50);
    }

    private static async Task RunAsync(string server, Func<BrokerStreamScenario, Task>? fault, double duplicateFraction = 0, int poisonEvery = 0)
    {
        await using var database = await PostgresDatabase.CreateAsync(server);
        await using var virtualHost = await RabbitMqBroker.CreateVirtualHostAsync();
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = database.ConnectionString,
            ["Streams__RabbitMq__ConnectionString"] = virtualHost.ConnectionString,
            ["Streams__RabbitMq__RetryBaseDelay"] = "00:00:00.100",
            ["Streams__RabbitMq__RetryMaxDelay"] = "00:00:01",
        };

        var scenario = new BrokerStreamScenario(virtualHost, () => GatewayProcess.StartAsync(directory.Path, environment),
            duplicateFraction: duplicateFraction, poisonEvery: poisonEvery);
        await scenario.RunAsync(fault);
    }
}
