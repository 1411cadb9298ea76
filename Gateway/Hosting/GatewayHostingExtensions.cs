using CustomerActors.Gateway.Api;
using CustomerActors.Gateway.Serialization;
using CustomerActors.Silo;

namespace CustomerActors.Gateway.Hosting;

public static class GatewayHostingExtensions
{
    /// <summary>The address used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> (nor HTTP_PORTS) says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    /// <summary>Gateway services: the co-hosted silo, problem details, OpenAPI, health checks.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
            && string.IsNullOrEmpty(builder.Configuration["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddCustomerSilo(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        builder.Services.AddSingleton<ResponseSerializer>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [HealthApi.ReadyTag])
            .AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [HealthApi.ReadyTag]);
        builder.Services.AddPlatformMetrics();
        return builder;
    }

    /// <summary>Middleware and endpoints.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapEventsApi();
        app.MapCustomersApi();
        app.MapPolicyApi();
        app.MapAlertsApi();
        app.MapWebhooksApi();
        app.MapHealthApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
