namespace CustomerActors.Runtime.Persistence;

/// <summary>
/// A message out (an alert, a tier change), committed in the same transaction as the state change that made
/// it: nothing is published for a change that did not commit, and nothing committed goes unpublished.
/// </summary>
/// <param name="MessageId">Stable id: consumers deduplicate by it.</param>
/// <param name="Label">A filterable attribute: an alert's severity, a tier change's scheme.</param>
public sealed record OutboxMessage(string MessageId, string Topic, string Label, DateTimeOffset CreatedAt, ReadOnlyMemory<byte> Payload);
