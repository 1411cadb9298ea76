using System.Net;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Streams;

public sealed class BrokerDownTests : SqliteGatewayTest
{
    private static readonly int ClosedPort = LoopbackPort.Unused();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Streams:RabbitMq:ConnectionString"] = $"amqp://guest:guest@127.0.0.1:{ClosedPort}/",
        ["Streams:RabbitMq:RetryBaseDelay"] = "00:00:00.100",
    };

    [Fact]
    public async Task With_the_broker_unreachable_readyz_reports_it_degraded_with_the_reason_and_http_ingest_still_works()
    {
        System.Text.Json.Nodes.JsonNode? ready = null;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await Client.GetAsync("/readyz");
            ready = await Json.ReadAsync(response);
            return response.StatusCode == HttpStatusCode.OK
                && ((string?)ready["checks"]?["rabbitmq"]?["description"])?.Contains("broker unreachable", StringComparison.Ordinal) == true;
        }, "readyz to report the broker unreachable");

        Assert.Equal("degraded", (string)ready!["checks"]!["rabbitmq"]!["status"]!);
        Assert.Equal("healthy", (string)ready["checks"]!["storage"]!["status"]!);
        Assert.DoesNotContain("guest:guest", ready.ToJsonString(), StringComparison.Ordinal);
        using var ingest = await Client.PostEventsAsync(Json.Event("down-broker-1", "B1"));
        Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
    }
}
