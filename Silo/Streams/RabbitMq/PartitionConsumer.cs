using System.Threading.Channels;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Runtime.Activation;
using CustomerActors.Runtime.Diagnostics;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Silo.Ingestion;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace CustomerActors.Silo.Streams.RabbitMq;

/// <summary>
/// Consumes one partition queue. Messages are taken in delivery order and applied in steps: every message
/// the broker has handed over (up to the prefetch count and 16 MiB) is parsed, their valid
/// events are applied together (one group commit for all of them, per-customer order kept), messages that
/// cannot be processed are dead-lettered with the reason, and only then is the whole step acked at once.
/// While the store is down the step is retried with backoff and nothing is acked; the partition waits, and
/// resumes when the store is back. If the connection drops, unacked messages come back and are recognised
/// as duplicates by their event ids.
/// </summary>
internal sealed partial class PartitionConsumer(
    int partition,
    RabbitMqOptions options,
    int maxEventsPerMessage,
    EventBatchParser parser,
    EventIngestor ingestor,
    PlatformMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Bodies taken into one step at most (a step holds at least one message, however large).</summary>
    private const int MaxStepBytes = 16 << 20;

    private readonly string _queue = RabbitMqOptions.PartitionQueue(partition);
    private readonly Channel<ReceivedMessage> _inbox = Channel.CreateUnbounded<ReceivedMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Consumes until the channel closes or <paramref name="stoppingToken"/> fires (then the current step finishes first).</summary>
    public async Task RunAsync(IConnection connection, CancellationToken stoppingToken)
    {
        await using var channel = await RabbitMqConnections.CreateConfirmingChannelAsync(connection, stoppingToken).ConfigureAwait(false);
        await channel.BasicQosAsync(0, (ushort)options.Prefetch, global: false, stoppingToken).ConfigureAwait(false);
        channel.ChannelShutdownAsync += (_, _) =>
        {
            _inbox.Writer.TryComplete();
            return Task.CompletedTask;
        };

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            // The body buffer belongs to the client only for the duration of this handler: copy it.
            _inbox.Writer.TryWrite(new ReceivedMessage(
                delivery.DeliveryTag, delivery.Body.ToArray(), delivery.RoutingKey, delivery.BasicProperties.MessageId));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(_queue, autoAck: false, consumer, stoppingToken).ConfigureAwait(false);

        var step = new List<ReceivedMessage>(options.Prefetch);
        while (await _inbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            var bytes = 0L;
            while (step.Count < options.Prefetch && bytes < MaxStepBytes && _inbox.Reader.TryRead(out var message))
            {
                step.Add(message);
                bytes += message.Body.Length;
            }

            await ProcessAsync(channel, step, stoppingToken).ConfigureAwait(false);
            await channel.BasicAckAsync(step[^1].DeliveryTag, multiple: true, CancellationToken.None).ConfigureAwait(false);
            metrics.Acked(step.Count);
            step.Clear();
        }
    }

    private async Task ProcessAsync(IChannel channel, List<ReceivedMessage> step, CancellationToken stoppingToken)
    {
        var deadLetters = new List<DeadLetter>();
        var perMessage = new List<(ReceivedMessage Message, List<EventReadResult> Events)>(step.Count);
        var rejected = 0;
        foreach (var message in step)
        {
            var (batch, failure) = parser.ParseJson(message.Body, maxEventsPerMessage);
            if (failure is not null)
            {
                var kind = failure.Kind == BatchFailureKind.NotJson ? DeadLetter.NotJson : DeadLetter.InvalidMessage;
                deadLetters.Add(new DeadLetter(message, _queue, kind, failure.Message));
                continue;
            }

            var valid = new List<EventReadResult>(batch!.Items.Count);
            var errors = new List<string>();
            for (var i = 0; i < batch.Items.Count; i++)
            {
                var item = batch.Items[i];
                if (item.Event is not null)
                {
                    valid.Add(item);
                }
                else
                {
                    errors.Add(DeadLetter.Describe(i, item.EventId, item.Errors));
                }
            }

            rejected += errors.Count;
            if (errors.Count > 0)
            {
                deadLetters.Add(new DeadLetter(message, _queue, DeadLetter.InvalidEvent, string.Join(" | ", errors)));
            }

            perMessage.Add((message, valid));
        }

        metrics.EventsIngested(EventIngestor.RabbitMq, 0, 0, rejected);
        var all = perMessage.SelectMany(m => m.Events).ToList();
        if (all.Count > 0 && await IngestAsync(all, stoppingToken).ConfigureAwait(false) is not null)
        {
            // Something other than the store failed the step: apply message by message, so that only the
            // message that fails is dead-lettered and the others still count.
            foreach (var (message, events) in perMessage.Where(m => m.Events.Count > 0))
            {
                if (await IngestAsync(events, stoppingToken).ConfigureAwait(false) is { } failure)
                {
                    deadLetters.Add(new DeadLetter(message, _queue, DeadLetter.ProcessingFailed, failure));
                }
            }
        }

        foreach (var deadLetter in deadLetters)
        {
            await channel.BasicPublishAsync("", RabbitMqOptions.DeadLetterQueue, mandatory: true, deadLetter.Properties(time.GetUtcNow()),
                deadLetter.Message.Body, CancellationToken.None).ConfigureAwait(false);
            metrics.DeadLettered(deadLetter.Kind);
            LogDeadLettered(_queue, deadLetter.Message.DeliveryTag, deadLetter.Kind, deadLetter.Reason);
        }
    }

    /// <summary>
    /// Applies events until durable. The store being down (or a write conflict, or the silo stopping) is
    /// retried with backoff for as long as it lasts; any other failure is retried <c>MaxProcessingAttempts</c>
    /// times, then reported: the result is null when the events are durable, else what failed.
    /// </summary>
    private async Task<string?> IngestAsync(List<EventReadResult> events, CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.RetryBaseDelay, options.RetryMaxDelay);
        var attempts = 0;
        while (true)
        {
            try
            {
                await ingestor.IngestAsync(new EventBatch(events), EventIngestor.RabbitMq).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (ex is StorageUnavailableException or InconsistentStateException or SiloUnavailableException)
            {
                LogRetrying(_queue, ex.GetType().Name, ex.Message);
            }
#pragma warning disable CA1031 // Not swallowed: retried, then the message is dead-lettered with this reason.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogProcessingFailed(ex, _queue, attempts + 1);
                if (++attempts >= options.MaxProcessingAttempts)
                {
                    return $"{ex.GetType().Name}: {ex.Message}";
                }
            }

            await Task.Delay(backoff.Next(), time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue}: message {DeliveryTag} dead-lettered ({Kind}): {Reason}")]
    private partial void LogDeadLettered(string queue, ulong deliveryTag, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Queue}: not acknowledging, retrying when the store answers ({ExceptionType}: {Reason})")]
    private partial void LogRetrying(string queue, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Queue}: processing failed (attempt {Attempt})")]
    private partial void LogProcessingFailed(Exception exception, string queue, int attempt);
}
