namespace CustomerActors.Runtime.Activation;

public enum DeactivationReason
{
    /// <summary>Unused for longer than the idle timeout.</summary>
    Idle,
    /// <summary>Evicted because the cap on resident activations was reached (least recently used first).</summary>
    CapacityExceeded,
    /// <summary>The grain asked for it.</summary>
    Requested,
    /// <summary>The silo is shutting down.</summary>
    Shutdown,
}
