using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Runtime.Diagnostics;
using CustomerActors.Silo.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// Streams transaction events in from RabbitMQ: connects, declares the topology, and consumes every
/// partition queue (single active consumer per queue, so in a cluster one silo at a time owns a partition).
/// When the connection or any partition's channel fails, everything is torn down and rebuilt after a backoff;
/// the broker hands unacked messages out again, and event ids make the redelivery harmless.
/// </summary>
public sealed class RabbitMqEventConsumer(
    IOptions<RabbitMqOptions> options,
    IOptions<EventOptions> eventOptions,
    RabbitMqConnections connections,
    RabbitMqStatus status,
    EventBatchParser parser,
    EventIngestor ingestor,
    PlatformMetrics metrics,
    TimeProvider time,
    ILogger<RabbitMqEventConsumer> logger) : RabbitMqComponent(Component, options, status, time, logger)
{
    public const string Component = "consumer";

    protected override bool IsWanted(RabbitMqOptions settings) => settings.Consume;

    private protected override async Task RunSessionAsync(RabbitMqOptions settings, Backoff backoff, CancellationToken stoppingToken)
    {
        await using var connection = await connections.ConnectAsync(Component, stoppingToken).ConfigureAwait(false);
        await connections.DeclareEventsAsync(connection, Logger, stoppingToken).ConfigureAwait(false);

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var partitions = Enumerable.Range(0, settings.Partitions)
            .Select(p => new PartitionConsumer(p, settings, eventOptions.Value.MaxBatchSize, parser, ingestor, metrics, Time, Logger)
                .RunAsync(connection, lost.Token))
            .ToList();
        Connected($"consuming {settings.Partitions} partitions of {RabbitMqOptions.EventsExchange}");
        backoff.Reset();

        // The first partition to stop (channel closed, connection lost, or shutting down) stops them all.
        var first = await Task.WhenAny(partitions).ConfigureAwait(false);
        await lost.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(partitions).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // The others were asked to stop; the first one's outcome is what counts.
        }

        await first.ConfigureAwait(false);
        if (!stoppingToken.IsCancellationRequested)
        {
            throw new AlreadyClosedException(new RabbitMQ.Client.Events.ShutdownEventArgs(
                ShutdownInitiator.Library, 0, "a partition channel closed"));
        }
    }
}
