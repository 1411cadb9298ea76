namespace CustomerActors.Runtime.Persistence;

/// <summary>The store cannot be reached or is not ready; nothing was written. Retrying later is safe.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException() : base("The store is unavailable.") { }

    public StorageUnavailableException(string message) : base(message) { }

    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
