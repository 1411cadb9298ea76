using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>One accepted event in a customer's history: its sequence number (acceptance order) and when it was accepted.</summary>
public sealed record StoredEvent(long Seq, DateTimeOffset AcceptedAt, TransactionEvent Event);

/// <summary>A page of history, newest first. <see cref="NextBefore"/> fetches the next page; null on the last.</summary>
public sealed record EventPage(IReadOnlyList<StoredEvent> Items, long? NextBefore);
