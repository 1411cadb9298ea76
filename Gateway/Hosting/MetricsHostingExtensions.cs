using CustomerActors.Runtime.Diagnostics;
using OpenTelemetry.Metrics;

namespace CustomerActors.Gateway.Hosting;

public static class MetricsHostingExtensions
{
    /// <summary>
    /// Bounds of the request-duration histogram, in seconds. ASP.NET Core's own start at 5 ms, above a lookup's whole
    /// budget (p99 3 ms), so an operator could not tell a 0.5 ms lookup from a 4 ms one; these resolve the
    /// sub-millisecond range and keep the framework's bounds above 5 ms.
    /// </summary>
    internal static readonly double[] RequestDurationBounds =
        [0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

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
            .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = RequestDurationBounds })
            .AddPrometheusExporter());
        return services;
    }
}
