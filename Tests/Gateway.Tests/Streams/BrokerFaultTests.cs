using CustomerActors.Gateway.Tests.Processes;
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
