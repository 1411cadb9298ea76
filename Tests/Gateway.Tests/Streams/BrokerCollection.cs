namespace CustomerActors.Gateway.Tests.Streams;

/// <summary>
/// Every test that uses the shared test broker runs in this collection, one at a time: some of them stop and
/// restart the broker, which no other test may see. (Each still works in a virtual host of its own.)
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection
{
    public const string Name = "RabbitMQ broker";
}
