using CustomerActors.Runtime.Activation;
using CustomerActors.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerActors.Runtime.Tests;

public sealed class LifecycleTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TestSilo> StartAsync(Dictionary<string, string?> settings, TimeProvider? time = null) =>
        TestSilo.StartAsync(_directory.SqliteConnectionString(), settings, services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });

    [Fact]
    public async Task An_activation_idle_longer_than_the_timeout_is_collected_and_comes_back_with_its_state()
    {
        var clock = new ManualTimeProvider();
        await using var silo = await StartAsync(new() { ["Runtime:IdleTimeout"] = "00:15:00", ["Runtime:CollectionInterval"] = "01:00:00" }, clock);
        var counter = silo.Grains.GetGrain<ICounterGrain>("idle");
        var turns = silo.Grains.GetGrain<ITurnGrain>("idle");
        await counter.IncrementAsync();
        await turns.EnterAsync(0);
        var counterId = new Identity.GrainId("counter", "idle");

        clock.Advance(TimeSpan.FromMinutes(14));
        await turns.EnterAsync(1); // used again: its idle time starts over
        clock.Advance(TimeSpan.FromMinutes(2));
        silo.Catalog.CollectIdle();

        await Eventually.TrueAsync(() => !silo.Catalog.IsActive(counterId), "the idle counter is collected");
        Assert.True(silo.Catalog.IsActive(new Identity.GrainId("turn", "idle")));
        Assert.Equal(1, await counter.IncrementAsync() - 1); // reactivated from storage
    }

    [Fact]
    public async Task The_collector_runs_by_itself_on_its_interval()
    {
        await using var silo = await StartAsync(new() { ["Runtime:IdleTimeout"] = "00:00:00.200", ["Runtime:CollectionInterval"] = "00:00:00.050" });
        await silo.Grains.GetGrain<ITurnGrain>("timer").EnterAsync(0);

        await Eventually.TrueAsync(() => silo.Probe.Deactivations.ContainsKey("timer"), "the collector deactivates the idle grain");
        Assert.Equal(0, silo.Catalog.Count);
    }

    [Fact]
    public async Task Beyond_the_cap_the_least_recently_used_activations_are_evicted()
    {
        await using var silo = await StartAsync(new() { ["Runtime:MaxActivations"] = "10" });
        for (var i = 0; i < 10; i++)
        {
            await silo.Grains.GetGrain<ITurnGrain>($"g{i}").EnterAsync(i);
        }

        await silo.Grains.GetGrain<ITurnGrain>("g0").EnterAsync(100); // g0 is now the most recently used
        for (var i = 10; i < 15; i++)
        {
            await silo.Grains.GetGrain<ITurnGrain>($"g{i}").EnterAsync(i);
        }

        await Eventually.TrueAsync(() => silo.Catalog.Count <= 10, "the catalog shrinks back to its cap");
        var resident = Enumerable.Range(0, 15).Where(i => silo.Catalog.IsActive(new Identity.GrainId("turn", $"g{i}"))).ToArray();
        Assert.Equal([0, 6, 7, 8, 9, 10, 11, 12, 13, 14], resident);
    }

    [Fact]
    public async Task A_graceful_stop_flushes_unsaved_state_and_refuses_new_calls()
    {
        var settings = new Dictionary<string, string?>();
        var silo = await StartAsync(settings);
        await silo.Grains.GetGrain<ICounterGrain>("flush").AddUnsavedAsync(5);

        await silo.StopAsync();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => silo.Grains.GetGrain<ICounterGrain>("flush").GetAsync());
        await silo.DisposeAsync();
        await using var restarted = await StartAsync(settings);
        Assert.Equal(5, await restarted.Grains.GetGrain<ICounterGrain>("flush").GetAsync());
    }

    [Fact]
    public async Task Calls_queued_behind_a_deactivation_reach_a_fresh_activation()
    {
        await using var silo = await StartAsync(new() { ["Runtime:IdleTimeout"] = "00:00:00.010", ["Runtime:CollectionInterval"] = "01:00:00" });
        var counter = silo.Grains.GetGrain<ICounterGrain>("handover");
        await counter.IncrementAsync();
        await Task.Delay(50);

        silo.Catalog.CollectIdle();
        var values = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => counter.IncrementAsync()));

        Assert.Equal(Enumerable.Range(2, 50), values.Order());
        Assert.Equal(51, await counter.GetAsync());
    }
}
