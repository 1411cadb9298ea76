using System.Collections.Concurrent;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>Whether each RabbitMQ component (consumer, publisher) is connected now, and why not; read by <c>/readyz</c>.</summary>
public sealed class RabbitMqStatus
{
    private readonly ConcurrentDictionary<string, ComponentStatus> _components = new(StringComparer.Ordinal);

    public sealed record ComponentStatus(bool Connected, string Description, DateTimeOffset Since);

    public IReadOnlyDictionary<string, ComponentStatus> Components => _components;

    internal void Starting(string component, DateTimeOffset now) =>
        _components.TryAdd(component, new ComponentStatus(false, "connecting", now));

    internal void Connected(string component, string description, DateTimeOffset now) =>
        _components[component] = new ComponentStatus(true, description, now);

    internal void Disconnected(string component, string reason, DateTimeOffset now) =>
        _components.AddOrUpdate(
            component,
            _ => new ComponentStatus(false, reason, now),
            (_, old) => new ComponentStatus(false, reason, old.Connected ? now : old.Since));
}
