using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>The machine a figure was measured on.</summary>
public sealed record Machine(int Cores, double MemoryGiB, string Os, string Runtime)
{
    public static Machine Current { get; } = new(
        Environment.ProcessorCount,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription);
}

/// <summary>One scenario's result: JSON on stdout (for scripts and docs/performance.md), a summary on stderr.</summary>
public static class Report
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static CpuTimes? s_started;

    /// <summary>Takes the machine's CPU counters at the start of the command, for the <c>cpu</c> shares of its result.</summary>
    public static void Start() => s_started = CpuTimes.Read();

    /// <remarks>
    /// <c>cpu</c> says how the machine's CPU time went while the command ran (from <see cref="Start"/> on): the share the
    /// hypervisor took for other guests (steal) and the share left idle. A run with a large stolen share measured a
    /// slower machine: compare it only with runs of the same hour.
    /// </remarks>
    public static void Write(string scenario, object settings, object figures, string summary)
    {
        var cpu = CpuShares.Between(s_started, CpuTimes.Read());
        var result = new { scenario, at = DateTimeOffset.UtcNow, machine = Machine.Current, cpu, settings, figures };
        Console.Out.WriteLine(JsonSerializer.Serialize(result, Options));
        Console.Error.WriteLine($"{scenario}: {summary}" + (cpu is { StolenPercent: > 0 } ? $" [the hypervisor took {cpu.StolenPercent}% of the CPU time meanwhile]" : ""));
    }
}
