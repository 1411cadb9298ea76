using System.Net;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests;

public sealed class StoreDownTests : IAsyncLifetime
{
    private GatewayFactory _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        // A real PostgreSQL client against a loopback port nobody listens on: connection refused.
        var closedPort = LoopbackPort.Unused();
        _factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = $"Host=127.0.0.1;Port={closedPort};Username=postgres;Password=postgres;Timeout=2",
        });
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task With_the_store_down_ingest_answers_503_with_retry_after_and_acknowledges_nothing()
    {
        using var response = await _client.PostEventsAsync(Json.Event("down-1", "C100"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var problem = await Json.ReadAsync(response);
        Assert.Contains("nothing in this request was acknowledged", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Null(problem["accepted"]);
    }

    [Fact]
    public async Task With_the_store_down_the_process_is_alive_but_not_ready()
    {
        using var health = await _client.GetAsync("/healthz");
        using var ready = await _client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("unhealthy", (string)(await Json.ReadAsync(ready))["checks"]!["storage"]!["status"]!);
    }

    [Fact]
    public async Task With_the_store_down_a_lookup_answers_503_not_500()
    {
        using var response = await _client.GetAsync("/v1/customers/C100");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }
}
