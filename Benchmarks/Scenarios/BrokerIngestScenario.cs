using System.Diagnostics;
using System.Text.Json;
using CustomerActors.Benchmarks.Measurement;
using RabbitMQ.Client;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record BrokerIngestSettings(Uri Url, Uri Broker, int EventsPerMessage, int InFlight);

public sealed record BrokerIngestFigures(
    string Broker, int Events, int Messages, int EventsPerMessage, double PublishSeconds, double PublishedEventsPerSecond,
    double Seconds, double EventsPerSecond, long Acknowledged);

/// <summary>
/// Maximum durable ingest over RabbitMQ, the way a transaction system streams: each event (or a few of one
/// customer's, <c>--events-per-message</c>) a persistent message to the <c>customer-events</c> exchange with the
/// customer id as routing key, publisher confirms on, <c>in-flight</c> unconfirmed at most. The platform
/// acknowledges a message only once its events are durable, so the figure is the time from the first publish to
/// the moment the platform's <c>customeractors_messages_acked_total</c> (read from <c>/metrics</c> every 100 ms)
/// has grown by the number of messages: durable events/s. How fast the broker alone took them is reported beside it.
/// </summary>
public static class BrokerIngestScenario
{
    public static async Task<BrokerIngestFigures> RunAsync(BrokerIngestSettings settings, IReadOnlyList<byte[]> batches)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(batches);
        var messages = Split(batches, settings.EventsPerMessage);
        var events = messages.Sum(m => m.Events);
        using var http = new HttpClient { BaseAddress = settings.Url };
        var ackedBefore = await AckedAsync(http).ConfigureAwait(false);

        var factory = new ConnectionFactory { Uri = settings.Broker };
        await using var connection = await factory.CreateConnectionAsync().ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        var inFlight = new Queue<Task>();
        foreach (var (customer, body, _) in messages)
        {
            if (inFlight.Count >= settings.InFlight)
            {
                await inFlight.Dequeue().ConfigureAwait(false);
            }

            // Started in order on one channel, so one customer's messages reach its partition queue in order.
            inFlight.Enqueue(channel.BasicPublishAsync("customer-events", customer, mandatory: false,
                new BasicProperties { Persistent = true, ContentType = "application/json" }, body).AsTask());
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var published = clock.Elapsed.TotalSeconds;

        long acked;
        var idleSince = clock.Elapsed;
        var lastAcked = ackedBefore;
        while ((acked = await AckedAsync(http).ConfigureAwait(false) - ackedBefore) < messages.Count)
        {
            if (acked + ackedBefore != lastAcked)
            {
                (lastAcked, idleSince) = (acked + ackedBefore, clock.Elapsed);
            }
            else if (clock.Elapsed - idleSince > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The platform acknowledged {acked} of {messages.Count} messages and none for 60 s.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new BrokerIngestFigures(settings.Broker.Host, events, messages.Count, settings.EventsPerMessage,
            Math.Round(published, 3), Math.Round(events / published), Math.Round(seconds, 3), Math.Round(events / seconds), acked);
    }

    /// <summary>The generated batches as messages: up to <paramref name="eventsPerMessage"/> consecutive events of one customer each.</summary>
    private static List<(string Customer, byte[] Body, int Events)> Split(IReadOnlyList<byte[]> batches, int eventsPerMessage)
    {
        var messages = new List<(string, byte[], int)>();
        var pending = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var batch in batches)
        {
            using var document = JsonDocument.Parse(batch);
            foreach (var element in document.RootElement.EnumerateArray())
            {
                var customer = element.GetProperty("customerId").GetString()!;
                if (!pending.TryGetValue(customer, out var group))
                {
                    pending[customer] = group = [];
                }

                group.Add(element.Clone());
                if (group.Count == eventsPerMessage)
                {
                    messages.Add(Message(customer, group));
                    pending.Remove(customer);
                }
            }
        }

        messages.AddRange(pending.Select(p => Message(p.Key, p.Value)));
        return messages;
    }

    private static (string, byte[], int) Message(string customer, List<JsonElement> events) =>
        (customer, events.Count == 1 ? JsonSerializer.SerializeToUtf8Bytes(events[0]) : JsonSerializer.SerializeToUtf8Bytes(events), events.Count);

    private static Task<long> AckedAsync(HttpClient http) => MetricsEndpoint.ReadSumAsync(http, "customeractors_messages_acked_total");
}
