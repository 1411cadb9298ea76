using System.Net;
using System.Net.Sockets;

namespace CustomerActors.TestSupport;

public static class LoopbackPort
{
    /// <summary>A loopback port nobody listens on right now: free for a server to take, or refused for a client.</summary>
    public static int Unused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
