namespace CustomerActors.Grains.Policy;

/// <summary>One thing wrong with a policy document, at a JSON path such as <c>$.tiers.membership.goldFrom</c>.</summary>
public sealed record PolicyError(string Path, string Message);
