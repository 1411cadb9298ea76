namespace CustomerActors.Runtime.Identity;

/// <summary>A grain's identity: its type name (as registered) and its string key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
