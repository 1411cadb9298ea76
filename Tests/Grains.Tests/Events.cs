using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

/// <summary>Builds events for tests.</summary>
internal static class Events
{
    private static int _next;

    public static TransactionEvent Of(TransactionType type, DateTimeOffset at, decimal? amount = null, int? score = null, string customer = "C001") => new()
    {
        EventId = $"e-{Interlocked.Increment(ref _next)}",
        CustomerId = customer,
        Type = type,
        OccurredAt = at,
        Amount = amount,
        Score = score,
    };
}
