using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Runtime.Diagnostics;
using CustomerActors.Silo.Ingestion;
using Microsoft.Extensions.Hosting;
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
public sealed partial class RabbitMqEventConsumer(
    IOptions<RabbitMqOptions> options,
    IOptions<EventOptions> eventOptions,
    RabbitMqConnections connections,
    RabbitMqStatus status,
    EventBatchParser parser,
    EventIngestor ingestor,
    PlatformMetrics metrics,
    TimeProvider time,
    ILogger<RabbitMqEventConsumer> logger) : BackgroundService
{
    public const string Component = "consumer";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled || !settings.Consume)
        {
            return;
        }

        status.Starting(Component, time.GetUtcNow());
        var backoff = new Backoff(settings.RetryBaseDelay, settings.RetryMaxDelay);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ConsumeAsync(settings, backoff, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                status.Disconnected(Component, $"broker unreachable: {ex.Message}", time.GetUtcNow());
                LogDisconnected(ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(backoff.Next(), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConsumeAsync(RabbitMqOptions settings, Backoff backoff, CancellationToken stoppingToken)
    {
        await using var connection = await connections.ConnectAsync(Component, stoppingToken).ConfigureAwait(false);
        await using (var setup = await connection.CreateChannelAsync(cancellationToken: stoppingToken).ConfigureAwait(false))
        {
            await connections.DeclareEventsAsync(setup, stoppingToken).ConfigureAwait(false);
        }

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var partitions = Enumerable.Range(0, settings.Partitions)
            .Select(p => new PartitionConsumer(p, settings, eventOptions.Value.MaxBatchSize, parser, ingestor, metrics, time, logger)
                .RunAsync(connection, lost.Token))
            .ToList();
        status.Connected(Component, $"consuming {settings.Partitions} partitions of {RabbitMqOptions.EventsExchange}", time.GetUtcNow());
        LogConnected(settings.Partitions);
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

    internal static bool IsConnectionFailure(Exception exception) =>
        exception is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException
            or ConnectFailureException or IOException or System.Net.Sockets.SocketException or PublishException
            or TimeoutException or ChannelAllocationException;

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ: consuming {Partitions} partitions")]
    private partial void LogConnected(int partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ consumer: disconnected ({ExceptionType}: {Reason}); reconnecting")]
    private partial void LogDisconnected(string exceptionType, string reason);
}
