using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CustomerActors.Runtime.Tests;

/// <summary>A real silo (runtime, storage, hosted lifecycle) built from configuration, for tests.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _stopped;

    private TestSilo(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public ActivationCatalog Catalog => _services.GetRequiredService<ActivationCatalog>();

    public Probe Probe => _services.GetRequiredService<Probe>();

    public static async Task<TestSilo> StartAsync(
        string sqliteConnectionString,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        string provider = StorageOptions.Sqlite)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = provider,
                ["Storage:ConnectionString"] = sqliteConnectionString,
            })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Probe>();
        configure?.Invoke(services);
        services.AddGrainRuntime(configuration);
        services.AddGrain<ITurnGrain, TurnGrain>("turn");
        services.AddGrain<ICounterGrain, CounterGrain>("counter");

        var provider_ = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        foreach (var hosted in provider_.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return new TestSilo(provider_);
    }

    /// <summary>Graceful stop, as the host does on SIGTERM.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (var hosted in _services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
