using BenchmarkDotNet.Attributes;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>The policy's work per event: update the facts and evaluate every tier, tag and risk rule.</summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private readonly CustomerPolicy _policy = PolicyDocument.Default.Policy;
    private CustomerState _state = null!;
    private TransactionEvent[] _events = null!;
    private int _next;

    /// <summary>Events the customer already has (a quiet and a busy customer).</summary>
    [Params(20, 500)]
    public int History { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = CustomerStates.WithHistory(History, _policy);
        var random = new Random(2);
        _events = [.. Enumerable.Range(0, 1 << 16).Select(i => CustomerStates.Event($"n{i}", random))];
    }

    [Benchmark(Description = "apply one event and evaluate the policy")]
    public EvaluationResult ApplyEvent() => CustomerEvaluator.Apply(_state, _events[_next++ & ((1 << 16) - 1)], _policy, CustomerStates.Now);

    [Benchmark(Description = "re-evaluate without an event (time rule)")]
    public EvaluationResult Reevaluate() => CustomerEvaluator.Evaluate(_state, _policy, CustomerStates.Now, CustomerEvaluator.TimeReason);
}
