namespace CustomerActors.Grains.Policy;

/// <summary>Hands the active policy to grains. An evaluation reads <see cref="Current"/> once and uses it throughout.</summary>
public sealed class CustomerPolicyProvider
{
    private readonly Lazy<PolicyDocument> _initial;
    private PolicyDocument? _activated;

    /// <summary>Starts with the policy <paramref name="load"/> gives, loaded on first use (start-up validation reports a bad file first).</summary>
    public CustomerPolicyProvider(Func<PolicyDocument> load) => _initial = new Lazy<PolicyDocument>(load);

    public CustomerPolicyProvider(PolicyDocument initial) : this(() => initial) { }

    public CustomerPolicyProvider() : this(PolicyDocument.Default) { }

    public PolicyDocument Active => Volatile.Read(ref _activated) ?? _initial.Value;

    public CustomerPolicy Current => Active.Policy;

    /// <summary>Makes <paramref name="document"/> the active policy for every evaluation from now on.</summary>
    public void Activate(PolicyDocument document) => Volatile.Write(ref _activated, document);
}
