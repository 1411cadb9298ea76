namespace CustomerActors.Runtime.Activation;

/// <summary>The silo is stopping and accepts no new calls; the caller may retry later.</summary>
public sealed class SiloUnavailableException : Exception
{
    public SiloUnavailableException() : base("The silo is shutting down.") { }

    public SiloUnavailableException(string message) : base(message) { }

    public SiloUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
