using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CustomerActors.Grains;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>Writing and reading a customer's stored state (source-generated JSON), as every commit and activation does.</summary>
[MemoryDiagnoser]
public class StateSerializationBenchmarks
{
    private CustomerState _state = null!;
    private byte[] _json = null!;

    [Params(20, 500)]
    public int History { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = CustomerStates.WithHistory(History, PolicyDocument.Default.Policy);
        _json = JsonSerializer.SerializeToUtf8Bytes(_state, GrainsJsonContext.Default.CustomerState);
        Console.Error.WriteLine($"state of a customer with {History} events: {_json.Length:N0} bytes of JSON");
    }

    [Benchmark(Description = "serialize state")]
    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(_state, GrainsJsonContext.Default.CustomerState);

    [Benchmark(Description = "deserialize state")]
    public CustomerState? Deserialize() => JsonSerializer.Deserialize(_json, GrainsJsonContext.Default.CustomerState);
}
