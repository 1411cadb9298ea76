using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>
/// Base class of grain implementations. An instance lives inside one activation; its methods run one
/// turn at a time, so grain code needs no locks.
/// </summary>
public abstract class Grain(IGrainContext context)
{
    protected IGrainContext Context { get; } = context;

    public GrainId GrainId => Context.GrainId;

    /// <summary>Called once before the first call is delivered; load state here.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called once when the activation is collected or the silo stops; flush anything unsaved here.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called when the activation has no more calls queued, before it waits for the next: let go of what need not stay resident.</summary>
    public virtual void OnIdle()
    {
    }

    protected void DeactivateOnIdle() => Context.DeactivateOnIdle();
}
