using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CustomerActors.Benchmarks.Measurement;
using CustomerActors.Benchmarks.Traffic;

namespace CustomerActors.Benchmarks.Scenarios;

public sealed record RestartSettings(string GatewayDll, string WorkingDirectory, int Runs);

public sealed record RestartRun(double ReadyMs, double FirstLookupMs);

public sealed record RestartFigures(IReadOnlyList<RestartRun> Runs, double MedianReadyMs, double MedianFirstLookupMs);

/// <summary>
/// Time from process start to <c>/readyz</c> answering 200, and to the first answered lookup of a stored
/// customer, for a gateway started on an existing store (the working directory's <c>data/</c>, or whatever
/// the environment's <c>Storage__*</c> settings name). Each run starts a new process and stops it after.
/// </summary>
public static class RestartScenario
{
    public static async Task<RestartFigures> RunAsync(RestartSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var runs = new List<RestartRun>();
        for (var run = 0; run < settings.Runs; run++)
        {
            runs.Add(await RunOnceAsync(settings).ConfigureAwait(false));
        }

        return new RestartFigures(runs, SeriesSummary.Median([.. runs.Select(r => r.ReadyMs)]), SeriesSummary.Median([.. runs.Select(r => r.FirstLookupMs)]));
    }

    private static async Task<RestartRun> RunOnceAsync(RestartSettings settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = settings.WorkingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(settings.GatewayDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var ready = await UntilOkAsync(client, "/readyz", process).ConfigureAwait(false) ? clock.Elapsed.TotalMilliseconds : double.NaN;
            var lookup = await UntilOkAsync(client, $"/v1/customers/{TrafficModel.CustomerId(0)}", process).ConfigureAwait(false) ? clock.Elapsed.TotalMilliseconds : double.NaN;
            return new RestartRun(Math.Round(ready, 1), Math.Round(lookup, 1));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> UntilOkAsync(HttpClient client, string path, Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
