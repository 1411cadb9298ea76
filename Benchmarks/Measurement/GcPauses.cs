using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>One garbage collection as a trace recorded it: when (ms from the trace's start), which generation, how long the process was paused, and what it promoted.</summary>
public sealed record GcPause(double AtMs, int Generation, string Type, double PauseMs, double PromotedMb);

/// <summary>The collections of one generation: how many, their median and longest pause, their median promoted size.</summary>
public sealed record GenerationPauses(int Generation, int Collections, double MedianPauseMs, double MaxPauseMs, double MedianPromotedMb);

/// <summary>What the collector paused over a trace: every pause together, as a share of the traced time, and by generation.</summary>
public sealed record GcPauseSummary(int Collections, double TracedSeconds, double PausedMs, double PausedPercent, double MaxPauseMs, IReadOnlyList<GenerationPauses> Generations)
{
    public string Describe() =>
        $"{Collections} collections in {TracedSeconds:0.0} s paused the process {PausedMs:N0} ms ({PausedPercent:0.0}% of the time), the longest {MaxPauseMs:0.0} ms; "
        + string.Join("; ", Generations.Select(g => $"gen{g.Generation}: {g.Collections}, median pause {g.MedianPauseMs:0.0} ms (max {g.MaxPauseMs:0.0}), median promoted {g.MedianPromotedMb:0.0} MB"));
}

/// <summary>
/// Reads the collections of a trace taken with <c>dotnet-trace collect --profile gc-collect</c> (an EventPipe
/// <c>.nettrace</c> file) through TraceEvent's runtime analysis, and sums up their pauses: the evidence for what a
/// latency tail is made of when it is the collector's.
/// </summary>
public static class GcPauses
{
    /// <summary>The collections of the traced process that collected most (a trace of one process: that one), and the traced time in seconds.</summary>
    public static (IReadOnlyList<GcPause> Collections, double Seconds) Read(string path)
    {
        using var source = new EventPipeEventSource(path);
        source.NeedLoadedDotNetRuntimes();
        source.Process();
        var collections = source.Processes()
            .Select(process => process.LoadedDotNetRuntime()?.GC?.GCs)
            .Where(gcs => gcs is not null)
            .OrderByDescending(gcs => gcs!.Count)
            .FirstOrDefault() ?? [];
        return ([.. collections.Select(gc => new GcPause(Math.Round(gc.StartRelativeMSec, 1), gc.Generation, gc.Type.ToString(),
            Math.Round(gc.PauseDurationMSec, 2), Math.Round(gc.PromotedMB, 2)))], Math.Round(source.SessionDuration.TotalSeconds, 2));
    }

    public static GcPauseSummary Summarize(IReadOnlyList<GcPause> collections, double seconds)
    {
        ArgumentNullException.ThrowIfNull(collections);
        var paused = collections.Sum(c => c.PauseMs);
        return new GcPauseSummary(
            collections.Count,
            seconds,
            Math.Round(paused, 1),
            seconds > 0 ? Math.Round(paused / (seconds * 10), 2) : 0,
            collections.Count > 0 ? collections.Max(c => c.PauseMs) : 0,
            [.. collections.GroupBy(c => c.Generation).OrderBy(g => g.Key).Select(ByGeneration)]);
    }

    private static GenerationPauses ByGeneration(IGrouping<int, GcPause> generation) => new(
        generation.Key,
        generation.Count(),
        SeriesSummary.Median([.. generation.Select(c => c.PauseMs)]),
        generation.Max(c => c.PauseMs),
        SeriesSummary.Median([.. generation.Select(c => c.PromotedMb)]));
}
