using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Hosting;
using CustomerActors.Silo.Alerts;
using CustomerActors.Silo.Policy;
using CustomerActors.Silo.Webhooks;
using CustomerActors.Silo.Ingestion;
using CustomerActors.Silo.Streams.RabbitMq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerActors.Silo;

public static class SiloServiceCollectionExtensions
{
    /// <summary>
    /// Hosts the customer silo in any .NET host: the actor runtime with its storage, the customer grain, the
    /// active policy, and event reading and ingestion.
    /// </summary>
    public static IServiceCollection AddCustomerSilo(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGrainRuntime(configuration);
        services.AddGrain<ICustomerGrain, CustomerGrain>(CustomerGrain.TypeName);
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(PolicyOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PolicyOptions>, PolicyOptionsValidator>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PolicyOptions>>();
            return new CustomerPolicyProvider(() => PolicyLoader.Load(options.Value));
        });

        services.AddOptions<EventOptions>()
            .Bind(configuration.GetSection(EventOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(sp => new TransactionEventReader(
            sp.GetRequiredService<IOptions<EventOptions>>().Value.ToRules(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<EventBatchParser>();
        services.TryAddSingleton<CustomerCallCoalescer>();
        services.TryAddSingleton<EventIngestor>();
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<PolicyDryRun>();

        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName);
        services.AddHostedService<WebhookDispatcher>();
        services.TryAddSingleton<PolicyService>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyService>());
        services.AddRabbitMqStreams(configuration);
        return services;
    }
}
