using CustomerActors.Silo.Streams.RabbitMq;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Hosting;

/// <summary>
/// The broker, when configured: healthy while the consumer and publisher are connected. While they are not,
/// <c>degraded</c> (the gateway still serves lookups and HTTP ingest; broker messages wait in their queues and
/// the outbox keeps alerts until the broker is back), with each component's reason and since when.
/// </summary>
internal sealed class RabbitMqHealthCheck(IOptions<RabbitMqOptions> options, RabbitMqStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.IsEnabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("not configured (Streams:RabbitMq:ConnectionString is empty)"));
        }

        var components = status.Components.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var description = components.Count == 0
            ? "starting"
            : string.Join("; ", components.Select(c => $"{c.Key}: {c.Value.Description} (since {c.Value.Since:O})"));
        var healthy = components.Count > 0 && components.All(c => c.Value.Connected);
        return Task.FromResult(healthy ? HealthCheckResult.Healthy(description) : HealthCheckResult.Degraded(description));
    }
}
