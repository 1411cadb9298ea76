using BenchmarkDotNet.Attributes;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>A grain with nothing to do: what a call costs in the runtime alone (reference, mailbox, turn, reply).</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    Task<int> EchoAsync(int value);
}

public sealed class EchoGrain(IGrainContext context) : Grain(context), IEchoGrain
{
    public Task<int> EchoAsync(int value) => Task.FromResult(value);
}

/// <summary>
/// Grain call dispatch through the actor runtime: a call through a grain reference to a resident activation,
/// one at a time and 1,000 at once to 1,000 activations (as an ingested batch fans out to its customers).
/// </summary>
[MemoryDiagnoser]
public class GrainDispatchBenchmarks
{
    private const int FanOut = 1_000;
    private string _directory = null!;
    private ServiceProvider _services = null!;
    private IEchoGrain _one = null!;
    private IEchoGrain[] _many = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("ca-dispatch-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(_directory, "dispatch.db")}",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGrainRuntime(configuration);
        services.AddGrain<IEchoGrain, EchoGrain>("echo");
        _services = services.BuildServiceProvider();
        var grains = _services.GetRequiredService<IGrainFactory>();
        _one = grains.GetGrain<IEchoGrain>("one");
        _many = [.. Enumerable.Range(0, FanOut).Select(i => grains.GetGrain<IEchoGrain>($"g{i}"))];
        await _one.EchoAsync(0); // activate: the benchmarks measure calls to resident activations
        await Task.WhenAll(_many.Select(g => g.EchoAsync(0)));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Description = "one call to a resident grain")]
    public Task<int> OneCallAsync() => _one.EchoAsync(1);

    [Benchmark(Description = "1,000 calls to 1,000 resident grains at once", OperationsPerInvoke = FanOut)]
    public async Task FanOutAsync()
    {
        var calls = new Task<int>[FanOut];
        for (var i = 0; i < FanOut; i++)
        {
            calls[i] = _many[i].EchoAsync(i);
        }

        await Task.WhenAll(calls);
    }
}
