using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CustomerActors.TestSupport;

/// <summary>
/// The test broker that test.sh starts on loopback (<c>CUSTOMERACTORS_TEST_RABBITMQ</c>, management API at
/// <c>CUSTOMERACTORS_TEST_RABBITMQ_MANAGEMENT</c>). Each test works in a virtual host of its own, so the fixed
/// exchange and queue names of the platform never collide between tests. Tests that need the broker fail,
/// not skip, when it is not there.
/// </summary>
public static class RabbitMqBroker
{
    private const string DefaultServer = "amqp://guest:guest@127.0.0.1:5672/";
    private const string DefaultManagement = "http://127.0.0.1:15672/";

    private static readonly HttpClient Management = CreateManagementClient();

    public static Uri Server => new(Environment.GetEnvironmentVariable("CUSTOMERACTORS_TEST_RABBITMQ") is { Length: > 0 } value ? value : DefaultServer);

    public static async Task<RabbitMqVirtualHost> CreateVirtualHostAsync()
    {
        var name = "ca_test_" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await SendAsync(HttpMethod.Put, $"api/vhosts/{name}", new JsonObject());
        }
        catch (HttpRequestException ex)
        {
            throw new InvalidOperationException($"RabbitMQ tests need the broker and its management API: run ./test.sh. ({ex.Message})", ex);
        }

        await SendAsync(HttpMethod.Put, $"api/permissions/{name}/guest", new JsonObject { ["configure"] = ".*", ["write"] = ".*", ["read"] = ".*" });
        var connectionString = new UriBuilder(Server) { Path = "/" + name }.Uri.ToString();
        return new RabbitMqVirtualHost(name, connectionString);
    }

    internal static async Task DeleteVirtualHostAsync(string name)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, $"api/vhosts/{name}", null, allowNotFound: true);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            // The broker is unreachable (a test that stopped it failed before starting it again). A leftover
            // virtual host is harmless, and failing here would hide that test's own failure.
        }
    }

    /// <summary>The management API's view of an object (<c>queues/{vhost}/{name}</c>, <c>exchanges/{vhost}/{name}</c>), or null.</summary>
    public static async Task<JsonNode?> GetAsync(string path)
    {
        using var response = await Management.GetAsync("api/" + path);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Stops the whole broker node and waits until its runtime has exited (<c>rabbitmqctl shutdown</c>; plain
    /// <c>stop</c> returns while the node still answers pings): every connection drops, the ports close.
    /// </summary>
    public static Task StopAsync() => ServerProcess.RunAsync("rabbitmqctl", "-q", "shutdown");

    /// <summary>Starts the node again the way test.sh does, and waits until it has booted.</summary>
    public static Task StartAsync() => ServerProcess.RunAsync(
        Environment.GetEnvironmentVariable("CUSTOMERACTORS_TEST_RABBITMQ_START") is { Length: > 0 } script ? script : FindStartScript());

    private static string FindStartScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "Tests", "servers", "rabbitmq-start.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("Tests/servers/rabbitmq-start.sh not found above the test binaries; set CUSTOMERACTORS_TEST_RABBITMQ_START");
    }

    private static async Task SendAsync(HttpMethod method, string path, JsonObject? body, bool allowNotFound = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Management.SendAsync(request);
        if (!(allowNotFound && response.StatusCode == System.Net.HttpStatusCode.NotFound))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    private static HttpClient CreateManagementClient()
    {
        var address = Environment.GetEnvironmentVariable("CUSTOMERACTORS_TEST_RABBITMQ_MANAGEMENT") is { Length: > 0 } value ? value : DefaultManagement;
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return client;
    }
}

/// <summary>A virtual host of one test's own on the test broker, deleted (with everything in it) on dispose.</summary>
public sealed class RabbitMqVirtualHost(string name, string connectionString) : IAsyncDisposable
{
    public string Name { get; } = name;

    /// <summary>AMQP URI of the virtual host, for <c>Streams:RabbitMq:ConnectionString</c>.</summary>
    public string ConnectionString { get; } = connectionString;

    public Task<JsonNode?> QueueAsync(string queue) => RabbitMqBroker.GetAsync($"queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");

    public Task<JsonNode?> ExchangeAsync(string exchange) => RabbitMqBroker.GetAsync($"exchanges/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(exchange)}");

    public async ValueTask DisposeAsync() => await RabbitMqBroker.DeleteVirtualHostAsync(Name);
}
