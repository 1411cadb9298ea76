using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CustomerActors.Gateway.Hosting;

/// <summary>Ready when the store answers and its schema is migrated to this build's version.</summary>
internal sealed class StorageHealthCheck(IGrainStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await storage.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return health.IsHealthy ? HealthCheckResult.Healthy(health.Description) : HealthCheckResult.Unhealthy(health.Description);
    }
}
