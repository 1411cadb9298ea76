namespace CustomerActors.Runtime.Persistence;

/// <summary>A state write found a different version in storage than the one it was based on; nothing was written.</summary>
public sealed class InconsistentStateException : Exception
{
    public InconsistentStateException() : base("The stored state changed since it was read.") { }

    public InconsistentStateException(string message) : base(message) { }

    public InconsistentStateException(string message, Exception innerException) : base(message, innerException) { }
}
