namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>
/// A customer's live state as stored: the identity fields of <see cref="CustomerView"/> and the rest in the grain's own
/// compact form, for a caller that renders it itself. The gateway writes a lookup's JSON straight from it (the grains'
/// <c>CustomerViewJson</c>) instead of building the view's objects only to serialize them. The bytes are immutable:
/// the grain stores every new state in a new array.
/// </summary>
/// <param name="State">The stored state, or at least the part of it a lookup shows, in the customer state format.</param>
public sealed record StoredCustomerView(string CustomerId, int Partition, long Version, ReadOnlyMemory<byte> State);
