namespace CustomerActors.Grains.Policy;

/// <summary>Hands the active policy to grains. An evaluation reads <see cref="Current"/> once and uses it throughout.</summary>
public sealed class CustomerPolicyProvider(PolicyDocument initial)
{
    private PolicyDocument _active = initial;

    public CustomerPolicyProvider() : this(PolicyDocument.Default) { }

    public PolicyDocument Active => Volatile.Read(ref _active);

    public CustomerPolicy Current => Active.Policy;

    /// <summary>Makes <paramref name="document"/> the active policy for every evaluation from now on.</summary>
    public void Activate(PolicyDocument document) => Volatile.Write(ref _active, document);
}
