namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>A message taken off a partition queue, its body copied out of the client's buffer.</summary>
internal sealed record ReceivedMessage(ulong DeliveryTag, byte[] Body, string RoutingKey, string? MessageId);
