using CustomerActors.Grains.Interfaces.Abstractions;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Diagnostics;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Reminders;
using CustomerActors.Runtime.Storage;
using CustomerActors.Runtime.Storage.Sql;
using CustomerActors.Runtime.Storage.Sql.CommitLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CustomerActors.Runtime.Hosting;

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the actor runtime: activation table, grain factory, persistent state with group commit, and the
    /// storage provider chosen by <c>Storage:Provider</c>. Options are validated at start.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GrainRuntimeOptions>()
            .Bind(configuration.GetSection(GrainRuntimeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddMetrics();
        services.TryAddSingleton<PlatformMetrics>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new PartitionMap(sp.GetRequiredService<IOptions<GrainRuntimeOptions>>().Value.PartitionCount));
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<ActivationCatalog>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.TryAddSingleton<GroupCommitWriter>();
        services.TryAddSingleton<PersistentStateFactory>();
        services.TryAddSingleton(sp => CreateStorage(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IGrainStorage>(sp => sp.GetRequiredService<SqlGrainStorage>());
        services.TryAddSingleton<IDocumentStore>(sp => sp.GetRequiredService<SqlGrainStorage>());
        services.TryAddSingleton<IDeliveryLog>(sp => sp.GetRequiredService<SqlGrainStorage>());
        services.TryAddSingleton<CommitSignal>();
        // Registered before the lifecycle so that it stops after it: its last fold comes after the last writes.
        services.AddHostedService<CommitLogFolder>();
        services.AddHostedService<SiloLifecycle>();
        // Registered after the lifecycle so that it stops first (hosted services stop in reverse order).
        services.TryAddSingleton<ReminderScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderScheduler>());
        services.AddHostedService<WalCheckpointer>();
        return services;
    }

    /// <summary>Registers a grain class for its interface under a stable type name (part of every stored key).</summary>
    public static IServiceCollection AddGrain<TGrainInterface, TGrain>(this IServiceCollection services, string typeName)
        where TGrainInterface : IGrainWithStringKey
        where TGrain : Grain, TGrainInterface
    {
        services.AddSingleton(new GrainRegistration(typeof(TGrainInterface), typeName, typeof(TGrain)));
        return services;
    }

    public static SqlGrainStorage CreateStorage(StorageOptions options, TimeProvider time)
    {
        var scripts = new SqlScripts(options.Provider);
        ISqlDialect dialect = options.Provider switch
        {
            StorageOptions.Sqlite => new SqliteDialect(options.ConnectionString, scripts),
            StorageOptions.Postgres => new PostgresDialect(options.ConnectionString),
            _ => throw new OptionsValidationException(nameof(StorageOptions.Provider), typeof(StorageOptions), [$"Storage:Provider must be '{StorageOptions.Sqlite}' or '{StorageOptions.Postgres}'."]),
        };
        return new SqlGrainStorage(dialect, scripts, time, options);
    }
}
