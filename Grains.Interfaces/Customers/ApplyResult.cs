namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>What applying a batch of one customer's events did.</summary>
/// <param name="Accepted">How many events were new and applied.</param>
/// <param name="Duplicates">For each input event, true when its id had already been applied.</param>
public sealed record ApplyResult(int Accepted, IReadOnlyList<bool> Duplicates)
{
    public int DuplicateCount => Duplicates.Count(d => d);
}
