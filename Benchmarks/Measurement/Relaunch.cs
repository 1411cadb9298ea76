using System.Diagnostics;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>Runs this very command again in a child process with other runtime settings, passing its output through.</summary>
internal static class Relaunch
{
    /// <summary>The same command line under the server garbage collector (<c>DOTNET_gcServer=1</c>); its exit code.</summary>
    public static async Task<int> UnderServerGcAsync()
    {
        var arguments = Environment.GetCommandLineArgs();
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        // Started through the dotnet host, the first argument is the assembly to run; started as an apphost, it is the apphost itself.
        foreach (var argument in Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? arguments : arguments.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "1";
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        await child.WaitForExitAsync().ConfigureAwait(false);
        return child.ExitCode;
    }
}
