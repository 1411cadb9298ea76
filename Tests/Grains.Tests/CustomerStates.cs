using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

/// <summary>States built by the real policy from seeded traffic, for the tests of what is stored and shown.</summary>
internal static class CustomerStates
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    /// <summary>
    /// A customer with a profile, a large purchase, <paramref name="events"/> random events of every type over the past
    /// year and three failed payments: tiers, tags (some set by time, without an event) and risk flags.
    /// </summary>
    /// <param name="region">The profile's region, which becomes the region tag's value.</param>
    /// <param name="laterAt">If given, the customer is evaluated again at that time, so that time alone changes decisions.</param>
    public static CustomerState Busy(int seed, int events, string region = "East China", DateTimeOffset? laterAt = null)
    {
        var random = new Random(seed);
        var customer = new Scenario();
        var types = Enum.GetValues<TransactionType>();
        customer.Event(TransactionType.Profile, Now.AddDays(-400), with: e => e with
        {
            Industry = "manufacturing / computer and communication equipment",
            Region = region,
            FirstContactAt = Now.AddYears(-2),
        });
        customer.Event(TransactionType.Purchase, Now.AddMinutes(-5), 60_000m);
        for (var i = 0; i < events; i++)
        {
            var type = types[random.Next(types.Length)];
            var at = Now.AddMinutes(-random.Next(1, 525_000));
            customer.Event(type, at, random.Next(1, 5_000_000) / 100m, random.Next(450, 850), with: e => e with
            {
                EndsAt = type == TransactionType.Subscription ? Now.AddDays(random.Next(1, 60)) : null,
                ExpiresAt = type == TransactionType.Warranty ? Now.AddDays(random.Next(1, 60)) : null,
                Industry = type == TransactionType.Profile ? "retail" : null,
            });
        }

        customer.Times(3, TransactionType.PaymentFailed, i => Now.AddHours(-i - 1));
        if (laterAt is { } later)
        {
            customer.At(later);
        }

        return customer.State;
    }
}
