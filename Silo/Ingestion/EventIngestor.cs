using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Runtime.Diagnostics;

namespace CustomerActors.Silo.Ingestion;

/// <summary>
/// Delivers a parsed batch to the customers' grains: events are grouped per customer (keeping their order),
/// the customers are called in parallel (through <see cref="CustomerCallCoalescer"/>: a customer whose call from another
/// batch is in flight gets these events in its next call), and the call completes when every accepted event is durable.
/// Invalid items are reported and never block the valid ones. If any customer's write fails the exception
/// propagates: the batch as a whole is not acknowledged, and a retry is safe (applied events come back as duplicates).
/// </summary>
public sealed class EventIngestor(CustomerCallCoalescer customers, PlatformMetrics metrics)
{
    public const string Http = "http";
    public const string RabbitMq = "rabbitmq";

    /// <param name="source">Where the batch came from (<see cref="Http"/>, <see cref="RabbitMq"/>), for metrics.</param>
    public async Task<IngestResult> IngestAsync(EventBatch batch, string source)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var rejected = new List<RejectedEvent>();
        var byCustomer = new Dictionary<string, List<TransactionEvent>>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Items.Count; i++)
        {
            var item = batch.Items[i];
            if (item.Event is { } valid)
            {
                if (!byCustomer.TryGetValue(valid.CustomerId, out var events))
                {
                    byCustomer[valid.CustomerId] = events = [];
                }

                events.Add(valid);
            }
            else
            {
                rejected.Add(new RejectedEvent(i, item.EventId, item.Errors));
            }
        }

        var results = await Task.WhenAll(byCustomer.Select(customer => customers.ApplyAsync(customer.Key, customer.Value))).ConfigureAwait(false);

        var result = new IngestResult(results.Sum(r => r.Accepted), results.Sum(r => r.DuplicateCount), rejected);
        metrics.EventsIngested(source, result.Accepted, result.Duplicates, rejected.Count);
        return result;
    }
}
