using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests;

/// <summary>A test against the real gateway (in memory) on a fresh SQLite file of its own.</summary>
public abstract class SqliteGatewayTest : IAsyncLifetime
{
    protected TempDirectory Directory { get; } = new();

    protected GatewayFactory Factory { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Settings beside the store's.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual Task InitializeAsync() => StartAsync();

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Dispose();
    }

    /// <summary>Stops the gateway (gracefully), runs <paramref name="betweenStopAndStart"/>, and starts a new one on the same store.</summary>
    protected async Task RestartAsync(Func<Task>? betweenStopAndStart = null)
    {
        await StopAsync();
        if (betweenStopAndStart is not null)
        {
            await betweenStopAndStart();
        }

        await StartAsync();
    }

    /// <summary>Runs after every start, before the test goes on (e.g. to wait for a dependency).</summary>
    protected virtual Task OnStartedAsync() => Task.CompletedTask;

    private async Task StartAsync()
    {
        Factory = new GatewayFactory(new Dictionary<string, string?>(Settings) { ["Storage:ConnectionString"] = Directory.SqliteConnectionString() });
        Client = Factory.CreateClient();
        Client.Timeout = TimeSpan.FromSeconds(30);
        await OnStartedAsync();
    }

    private async Task StopAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
