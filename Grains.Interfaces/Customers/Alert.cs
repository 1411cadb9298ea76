namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>
/// An alert as raised: a risk flag newly held (or met again), or a downgrade from a top tier. <see cref="Id"/>
/// is stable: consumers deduplicate by it.
/// </summary>
public sealed record AlertRaised(
    string Id,
    string CustomerId,
    string Severity,
    string Rule,
    string Subject,
    string Reason,
    IReadOnlyDictionary<string, decimal> Evidence,
    DateTimeOffset RaisedAt,
    int PolicyVersion);

/// <summary>A tier change as published: scheme (membership, credit, activityLevel, service), from, to, and why.</summary>
public sealed record TierChanged(
    string Id,
    string CustomerId,
    string Scheme,
    string? From,
    string? To,
    string Rule,
    string Reason,
    IReadOnlyDictionary<string, decimal> Inputs,
    DateTimeOffset At,
    int PolicyVersion);
