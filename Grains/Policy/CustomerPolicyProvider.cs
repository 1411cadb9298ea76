namespace CustomerActors.Grains.Policy;

/// <summary>Hands the active policy to grains. Every evaluation reads <see cref="Current"/> once.</summary>
public sealed class CustomerPolicyProvider(CustomerPolicy initial)
{
    public CustomerPolicyProvider() : this(CustomerPolicy.Default) { }

    public CustomerPolicy Current { get; } = initial;
}
