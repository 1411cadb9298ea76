using System.Text.Json;
using CustomerActors.Grains;
using CustomerActors.Grains.Customers;
using CustomerActors.Runtime.Storage;

namespace CustomerActors.Silo.Alerts;

/// <summary>Alerts as risk staff see them: the durable alert messages of the outbox with their workflow state.</summary>
public sealed class AlertStore(IGrainStorage storage, TimeProvider time)
{
    public async Task<AlertPage> ListAsync(AlertFilter filter, long after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var messages = await storage.ReadOutboxAsync(
            new OutboxQuery(after, limit, CustomerGrain.AlertTopic, filter.Severity, filter.CustomerId, filter.From, filter.To, filter.Status),
            cancellationToken).ConfigureAwait(false);
        var items = messages.Select(ToView).ToArray();
        return new AlertPage(items, items.Length == limit ? items[^1].Seq : null);
    }

    public async Task<AlertView?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var message = await storage.ReadOutboxMessageAsync(id, cancellationToken).ConfigureAwait(false);
        return message is { Topic: CustomerGrain.AlertTopic } ? ToView(message) : null;
    }

    /// <summary>Moves an alert on (acknowledged or resolved). Null when there is no such alert.</summary>
    public async Task<AlertView?> ChangeStatusAsync(string id, string status, string actor, string? note, CancellationToken cancellationToken)
    {
        if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        await storage.SetMessageStatusAsync(new MessageStatusChange(id, status, actor, time.GetUtcNow(), note), cancellationToken).ConfigureAwait(false);
        return await GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public static AlertView ToView(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var alert = JsonSerializer.Deserialize(message.Payload, GrainsJsonContext.Default.AlertRaised)!;
        return AlertView.From(message.Seq, alert, message.Status, message.AcknowledgedBy, message.AcknowledgedAt, message.ResolvedBy, message.ResolvedAt, message.Note);
    }
}

/// <summary>Optional filters of the alert list; null matches anything.</summary>
public sealed record AlertFilter(string? Status = null, string? Severity = null, string? CustomerId = null, DateTimeOffset? From = null, DateTimeOffset? To = null);
