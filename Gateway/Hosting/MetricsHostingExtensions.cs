using CustomerActors.Runtime.Diagnostics;
using OpenTelemetry.Metrics;

namespace CustomerActors.Gateway.Hosting;

public static class MetricsHostingExtensions
{
    /// <summary>
    /// The platform's meter, ASP.NET Core's request metrics and the .NET runtime's own (collections, pauses, bytes
    /// allocated, heap sizes) exported in Prometheus text format at <c>/metrics</c>.
    /// </summary>
    public static IServiceCollection AddPlatformMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PlatformMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting")
            .AddMeter("System.Runtime")
            .AddPrometheusExporter());
        return services;
    }
}
