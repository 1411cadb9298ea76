using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CustomerActors.Grains;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Benchmarks.Micro;

/// <summary>
/// Writing and reading a customer's stored state, as every commit, activation and (since states are released
/// between calls) every call does: the compact form stored today beside the JSON stored before.
/// </summary>
[MemoryDiagnoser]
public class StateSerializationBenchmarks
{
    private CustomerState _state = null!;
    private byte[] _json = null!;
    private byte[] _compact = null!;

    [Params(20, 500)]
    public int History { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = CustomerStates.WithHistory(History, PolicyDocument.Default.Policy);
        _json = JsonSerializer.SerializeToUtf8Bytes(_state, GrainsJsonContext.Default.CustomerState);
        _compact = CustomerStateCodec.Instance.Serialize(_state);
        Console.Error.WriteLine($"state of a customer with {History} events: {_compact.Length:N0} bytes stored, {_json.Length:N0} bytes as JSON");
    }

    [Benchmark(Description = "serialize state (compact, stored)")]
    public byte[] Serialize() => CustomerStateCodec.Instance.Serialize(_state);

    [Benchmark(Description = "deserialize state (compact, stored)")]
    public CustomerState Deserialize() => CustomerStateCodec.Instance.Deserialize(_compact);

    [Benchmark(Description = "read the lookup's summary from the stored form")]
    public CustomerSummary? ReadSummary() => CustomerStateCodec.ReadSummary(_compact);

    [Benchmark(Description = "serialize state (JSON, before)")]
    public byte[] SerializeJson() => JsonSerializer.SerializeToUtf8Bytes(_state, GrainsJsonContext.Default.CustomerState);

    [Benchmark(Description = "deserialize state (JSON, before)")]
    public CustomerState? DeserializeJson() => JsonSerializer.Deserialize(_json, GrainsJsonContext.Default.CustomerState);
}
