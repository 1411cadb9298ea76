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

    public static void Write(string scenario, object settings, object figures, string summary)
    {
        var result = new { scenario, at = DateTimeOffset.UtcNow, machine = Machine.Current, settings, figures };
        Console.Out.WriteLine(JsonSerializer.Serialize(result, Options));
        Console.Error.WriteLine($"{scenario}: {summary}");
    }
}
