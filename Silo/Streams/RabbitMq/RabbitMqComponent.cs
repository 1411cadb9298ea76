using CustomerActors.Runtime.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// A RabbitMQ component that keeps itself connected, without a person: it runs one connected session until
/// the session fails, reports why in <see cref="RabbitMqStatus"/> (and so in <c>/readyz</c>), waits with
/// exponential backoff, and starts a new session. Sessions reset the backoff once connected.
/// </summary>
public abstract partial class RabbitMqComponent(string name, IOptions<RabbitMqOptions> options, RabbitMqStatus status, TimeProvider time, ILogger logger)
    : BackgroundService
{
    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    /// <summary>A session is connected and working: reported in <c>/readyz</c> and logged.</summary>
    protected void Connected(string description)
    {
        status.Connected(name, description, time.GetUtcNow());
        LogConnected(name, description);
    }

    /// <summary>Whether the configuration asks for this component at all.</summary>
    protected abstract bool IsWanted(RabbitMqOptions settings);

    /// <summary>One connected session: returns or throws when it ends (broker gone, channel closed, stopping).</summary>
    private protected abstract Task RunSessionAsync(RabbitMqOptions settings, Backoff backoff, CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled || !IsWanted(settings))
        {
            return;
        }

        status.Starting(name, time.GetUtcNow());
        var backoff = new Backoff(settings.RetryBaseDelay, settings.RetryMaxDelay);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(settings, backoff, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                status.Disconnected(name, $"{(IsRefusal(ex) ? "broker refused" : "broker unreachable")}: {ex.Message}", time.GetUtcNow());
                LogDisconnected(name, ex.GetType().Name, ex.Message);
            }
            catch (StorageUnavailableException ex)
            {
                LogStorageUnavailable(name, ex.Message);
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

    /// <summary>The broker closed the connection or channel over a request it would not carry out (not a shutdown).</summary>
    private static bool IsRefusal(Exception exception) =>
        exception is OperationInterruptedException { ShutdownReason: { Initiator: ShutdownInitiator.Peer, ReplyCode: not Constants.ConnectionForced } };

    internal static bool IsConnectionFailure(Exception exception) =>
        exception is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException
            or ConnectFailureException or IOException or System.Net.Sockets.SocketException or PublishException
            or TimeoutException or ChannelAllocationException;

    [LoggerMessage(Level = LogLevel.Information, Message = "RabbitMQ {Component}: {Description}")]
    private partial void LogConnected(string component, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ {Component}: disconnected ({ExceptionType}: {Reason}); reconnecting")]
    private partial void LogDisconnected(string component, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ {Component}: storage unavailable, retrying: {Reason}")]
    private partial void LogStorageUnavailable(string component, string reason);
}
