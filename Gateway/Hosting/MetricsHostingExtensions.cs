using CustomerActors.Runtime.Diagnostics;
using OpenTelemetry.Metrics;

namespace CustomerActors.Gateway.Hosting;

public static class MetricsHostingExtensions
{
    /// <summary>The platform's meter (and ASP.NET Core's request metrics) exported in Prometheus text format at <c>/metrics</c>.</summary>
    public static IServiceCollection AddPlatformMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PlatformMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting")
            .AddPrometheusExporter());
        return services;
    }
}
