using CustomerActors.TestSupport;

namespace CustomerActors.Runtime.Tests;

public sealed class ActivationTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(_directory.SqliteConnectionString());

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_thousand_concurrent_callers_share_one_activation_with_no_overlapping_turns()
    {
        var grain = _silo.Grains.GetGrain<ITurnGrain>("busy");

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => grain.EnterAsync(i))));

        Assert.Equal(1, _silo.Probe.Activations["busy"]);
        Assert.Equal(1, _silo.Probe.MaxConcurrentTurns);
        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1000, _silo.Probe.Order.Distinct().Count());
    }

    [Fact]
    public async Task Calls_run_in_the_order_they_arrive()
    {
        var grain = _silo.Grains.GetGrain<ITurnGrain>("fifo");

        var calls = Enumerable.Range(0, 1000).Select(grain.EnterAsync).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 1000), _silo.Probe.Order);
        Assert.Equal(Enumerable.Range(1, 1000), results);
    }

    [Fact]
    public async Task Different_grains_run_in_parallel()
    {
        var waiting = _silo.Grains.GetGrain<ITurnGrain>("a").WaitForOtherAsync(signal: false);
        await _silo.Grains.GetGrain<ITurnGrain>("b").WaitForOtherAsync(signal: true);

        await waiting; // would time out if b's call waited for a's turn to end
    }

    [Fact]
    public async Task Each_grain_reference_reaches_the_same_activation()
    {
        await _silo.Grains.GetGrain<ITurnGrain>("same").EnterAsync(1);
        var second = await _silo.Grains.GetGrain<ITurnGrain>("same").EnterAsync(2);

        Assert.Equal(2, second);
        Assert.Equal(1, _silo.Probe.Activations["same"]);
    }

    [Fact]
    public async Task References_made_one_after_another_each_reach_their_own_grain_of_their_own_interface()
    {
        // References are copies of one proxy per interface: each copy must carry its own grain id.
        var turns = Enumerable.Range(0, 5).Select(i => _silo.Grains.GetGrain<ITurnGrain>($"own-{i}")).ToArray();
        var counter = _silo.Grains.GetGrain<ICounterGrain>("own-0");

        foreach (var (turn, i) in turns.Select((t, i) => (t, i)))
        {
            Assert.Equal(1, await turn.EnterAsync(i));
        }

        Assert.Equal(1, await counter.IncrementAsync());
        Assert.Equal(1, await _silo.Grains.GetGrain<ICounterGrain>("own-0").GetAsync());
        Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(1, _silo.Probe.Activations[$"own-{i}"]));
    }

    [Fact]
    public async Task An_exception_in_a_grain_reaches_the_caller_and_the_activation_keeps_serving()
    {
        var grain = _silo.Grains.GetGrain<ITurnGrain>("faulty");
        await grain.EnterAsync(1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.FailAsync("boom"));

        Assert.Equal("boom", error.Message);
        Assert.Equal(2, await grain.EnterAsync(2));
        Assert.Equal(1, _silo.Probe.Activations["faulty"]);
    }

    [Fact]
    public async Task An_exception_after_an_await_in_a_grain_reaches_the_caller_and_the_activation_keeps_serving()
    {
        var grain = _silo.Grains.GetGrain<ITurnGrain>("faulty-later");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.FailLaterAsync("later"));

        Assert.Equal("later", error.Message);
        Assert.Equal(1, await grain.EnterAsync(1));
    }

    [Fact]
    public async Task A_turn_that_ends_canceled_cancels_the_callers_task_and_the_activation_keeps_serving()
    {
        var grain = _silo.Grains.GetGrain<ITurnGrain>("canceled");

        var call = grain.CancelLaterAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        Assert.True(call.IsCanceled);
        Assert.Equal(1, await grain.EnterAsync(1));
    }

    [Fact]
    public async Task A_grain_method_that_returns_no_task_fails_its_caller_instead_of_leaving_it_waiting()
    {
        var grain = _silo.Grains.GetGrain<ITurnGrain>("no-task");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.NoTaskAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Contains("returned no task", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await grain.EnterAsync(1));
    }
}
