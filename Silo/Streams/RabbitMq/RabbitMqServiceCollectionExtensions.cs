using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerActors.Silo.Streams.RabbitMq;

public static class RabbitMqServiceCollectionExtensions
{
    /// <summary>
    /// RabbitMQ in (events) and out (alerts, tier changes), configured by <c>Streams:RabbitMq</c>; both stay idle
    /// unless <c>Streams:RabbitMq:ConnectionString</c> is set.
    /// </summary>
    public static IServiceCollection AddRabbitMqStreams(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RabbitMqOptions>()
            .Bind(configuration.GetSection(RabbitMqOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>();
        services.TryAddSingleton<RabbitMqConnections>();
        services.TryAddSingleton<RabbitMqStatus>();
        services.AddHostedService<RabbitMqOutboxPublisher>();
        // Registered last so that it stops first: no new events are taken while the silo shuts down.
        services.AddHostedService<RabbitMqEventConsumer>();
        return services;
    }
}
