namespace CustomerActors.Silo;

/// <summary>Where the customer policy comes from, bound from the <c>Policy</c> configuration section.</summary>
public sealed class PolicyOptions
{
    public const string SectionName = "Policy";

    /// <summary>A policy JSON file (comments allowed). Unset: the shipped defaults. Relative to the working directory.</summary>
    public string? Path { get; set; }
}
