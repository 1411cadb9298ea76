using CustomerActors.Runtime.Identity;

namespace CustomerActors.Runtime.Activation;

/// <summary>What a grain instance knows of its own activation.</summary>
public interface IGrainContext
{
    GrainId GrainId { get; }

    /// <summary>The key's partition, from the one <see cref="PartitionMap"/>.</summary>
    int Partition { get; }

    /// <summary>Deactivate after the current turn and any calls already queued.</summary>
    void DeactivateOnIdle();

    /// <summary>
    /// The in-memory state may differ from storage (a write failed): discard this grain instance before the
    /// next turn, so the next call activates a fresh one that reloads state.
    /// </summary>
    void InvalidateState();
}
