using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Persistence;

namespace CustomerActors.Runtime.Tests;

/// <summary>Records what grains observe, shared by all test grains of one silo.</summary>
public sealed class Probe
{
    public ConcurrentDictionary<string, int> Activations { get; } = new();
    public ConcurrentDictionary<string, int> Deactivations { get; } = new();
    public ConcurrentQueue<int> Order { get; } = new();
    public int MaxConcurrentTurns;
    public int CurrentTurns;
    public TaskCompletionSource OtherStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

public interface ITurnGrain : IGrainWithStringKey
{
    /// <summary>Records the caller's number and yields inside the turn, so overlapping turns would show.</summary>
    Task<int> EnterAsync(int caller);

    /// <summary>Completes only once another grain's call has started: deadlocks if grains did not run in parallel.</summary>
    Task WaitForOtherAsync(bool signal);

    Task FailAsync(string message);

    /// <summary>Fails after an await, once the turn has gone asynchronous.</summary>
    Task<int> FailLaterAsync(string message);

    /// <summary>Ends canceled after an await.</summary>
    Task<int> CancelLaterAsync();

    /// <summary>A defect: returns no task at all.</summary>
    Task<int> NoTaskAsync();
}

public sealed class TurnGrain(IGrainContext context, Probe probe) : Grain(context), ITurnGrain
{
    private int _calls;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Activations.AddOrUpdate(GrainId.Key, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivations.AddOrUpdate(GrainId.Key, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public async Task<int> EnterAsync(int caller)
    {
        var concurrent = Interlocked.Increment(ref probe.CurrentTurns);
        InterlockedMax(ref probe.MaxConcurrentTurns, concurrent);
        probe.Order.Enqueue(caller);
        await Task.Yield();
        var calls = ++_calls;
        Interlocked.Decrement(ref probe.CurrentTurns);
        return calls;
    }

    public async Task WaitForOtherAsync(bool signal)
    {
        if (signal)
        {
            probe.OtherStarted.TrySetResult();
            return;
        }

        await probe.OtherStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public Task FailAsync(string message) => throw new InvalidOperationException(message);

    public async Task<int> FailLaterAsync(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task<int> NoTaskAsync() => null!;

    public async Task<int> CancelLaterAsync()
    {
        await Task.Yield();
        throw new OperationCanceledException("canceled inside the turn");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

public sealed record CounterState
{
    public int Value { get; set; }
    public int Unsaved { get; set; }
}

[JsonSerializable(typeof(CounterState))]
public sealed partial class TestJsonContext : JsonSerializerContext;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> IncrementAsync(string? journalEntry = null);
    Task<int> GetAsync();
    /// <summary>Adds to memory only; OnDeactivateAsync writes it (what a graceful stop must flush).</summary>
    Task AddUnsavedAsync(int amount);
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly IPersistentState<CounterState> _state;

    public CounterGrain(IGrainContext context, PersistentStateFactory states) : base(context) =>
        _state = states.Create(context, TestJsonContext.Default.CounterState, static () => new CounterState());

    public override Task OnActivateAsync(CancellationToken cancellationToken) => _state.ReadStateAsync(cancellationToken);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_state.State.Unsaved != 0)
        {
            _state.State.Value += _state.State.Unsaved;
            _state.State.Unsaved = 0;
            await _state.WriteStateAsync(cancellationToken: cancellationToken);
        }
    }

    public async Task<int> IncrementAsync(string? journalEntry = null)
    {
        _state.State.Value++;
        JournalEntry[]? journal = journalEntry is null ? null : [new JournalEntry("events", _state.State.Value, journalEntry, DateTimeOffset.UtcNow, "{}"u8.ToArray())];
        await _state.WriteStateAsync(journal);
        return _state.State.Value;
    }

    public Task<int> GetAsync() => Task.FromResult(_state.State.Value);

    public Task AddUnsavedAsync(int amount)
    {
        _state.State.Unsaved += amount;
        return Task.CompletedTask;
    }
}
