namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>
/// A derived value (tier, tag or risk flag) with its explanation: the rule that decided it, the input
/// values it used, since when it holds, the policy version, and the event that set it, if one did.
/// </summary>
public sealed record Decision(
    string Value,
    string Rule,
    IReadOnlyDictionary<string, decimal> Inputs,
    DateTimeOffset Since,
    int PolicyVersion,
    string? EventId = null);
