using System.Net.Http.Headers;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CustomerActors.Silo.Webhooks;

/// <summary>
/// Delivers every outbox message (alerts, tier changes) to each configured subscriber as a signed JSON POST,
/// in commit order, at least once, with a stable id (<c>X-CustomerActors-Id</c>) to deduplicate by. A failed
/// attempt is retried with exponential backoff; after <c>MaxAttempts</c> the message is recorded as failed and
/// delivery moves on. Every attempt is recorded, so delivery resumes where it stopped after a restart.
/// </summary>
public sealed partial class WebhookDispatcher(
    IOptions<WebhookOptions> options,
    IGrainStorage storage,
    IDeliveryLog deliveries,
    CommitSignal committed,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Value.Subscribers.Select(s => RunAsync(s.Key, s.Value, stoppingToken)));

    private async Task RunAsync(string name, WebhookSubscriber subscriber, CancellationToken stoppingToken)
    {
        var retry = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DeliverAllAsync(name, subscriber, stoppingToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException ex)
            {
                LogStorageUnavailable(name, ex.Message);
                await Task.Delay(retry.Next(), time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task DeliverAllAsync(string name, WebhookSubscriber subscriber, CancellationToken stoppingToken)
    {
        var cursor = await deliveries.CursorAsync(name, stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = committed.NextAsync(stoppingToken);
            var messages = await storage.ReadOutboxAsync(new OutboxQuery(cursor, 100), stoppingToken).ConfigureAwait(false);
            foreach (var message in messages)
            {
                if (subscriber.EffectiveTopics.Contains(message.Topic))
                {
                    await DeliverAsync(name, subscriber, message, stoppingToken).ConfigureAwait(false);
                }

                cursor = message.Seq;
            }

            if (messages.Count == 0)
            {
                await Task.WhenAny(next, Task.Delay(PollInterval, time, stoppingToken)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Attempts until delivered or out of attempts, recording each attempt.</summary>
    private async Task DeliverAsync(string name, WebhookSubscriber subscriber, StoredMessage message, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var delivery = await deliveries.ReadAsync(name, message.MessageId, stoppingToken).ConfigureAwait(false)
            ?? new Delivery(message.MessageId, message.Seq, message.Topic, Delivery.Pending, 0, null, null, null, null, null);
        while (delivery.Status == Delivery.Pending)
        {
            var (status, error) = await PostAsync(subscriber, message, stoppingToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var attempts = delivery.Attempts + 1;
            var succeeded = status is >= 200 and < 300;
            var delay = TimeSpan.FromTicks(Math.Min(settings.RetryBaseDelay.Ticks << Math.Min(attempts - 1, 30), settings.RetryMaxDelay.Ticks));
            delivery = delivery with
            {
                Attempts = attempts,
                LastStatus = status,
                LastError = succeeded ? null : error ?? $"HTTP {status}",
                LastAttemptAt = now,
                DeliveredAt = succeeded ? now : null,
                Status = succeeded ? Delivery.Delivered : attempts >= settings.MaxAttempts ? Delivery.Failed : Delivery.Pending,
                NextAttemptAt = succeeded || attempts >= settings.MaxAttempts ? null : now + delay,
            };
            await deliveries.RecordAsync(name, delivery, CancellationToken.None).ConfigureAwait(false);
            if (delivery.Status == Delivery.Failed)
            {
                LogGaveUp(name, message.MessageId, attempts, delivery.LastError);
            }
            else if (delivery.Status == Delivery.Pending)
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<(int? Status, string? Error)> PostAsync(WebhookSubscriber subscriber, StoredMessage message, CancellationToken stoppingToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscriber.Url)
        {
            Content = new ByteArrayContent(message.Payload) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(WebhookSignature.IdHeader, message.MessageId);
        request.Headers.Add(WebhookSignature.TopicHeader, message.Topic);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(subscriber.Secret, timestamp, message.Payload));
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(options.Value.Timeout);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token).ConfigureAwait(false);
            return ((int)response.StatusCode, null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (null, $"no answer within {options.Value.Timeout.TotalSeconds:F0} s");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Subscriber}: gave up on message {MessageId} after {Attempts} attempts: {Error}")]
    private partial void LogGaveUp(string subscriber, string messageId, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Subscriber}: storage unavailable, retrying: {Reason}")]
    private partial void LogStorageUnavailable(string subscriber, string reason);
}
