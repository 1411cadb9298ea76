using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>
/// The figures of a series (<c>series.sh</c>): every result file of a folder, grouped by name without its run number
/// (<c>ingest-sqlite-2.json</c> is run 2 of <c>ingest-sqlite</c>), each figure as its median and every run's value, as
/// the rows of a Markdown table.
/// </summary>
public static partial class SeriesSummary
{
    public static string Summarize(string folder)
    {
        var groups = Directory.EnumerateFiles(folder, "*.json")
            .Select(path => (Path: path, Match: RunNumber().Match(Path.GetFileNameWithoutExtension(path))))
            .Where(file => file.Match.Success)
            .OrderBy(file => file.Match.Groups["result"].Value, StringComparer.Ordinal)
            .ThenBy(file => int.Parse(file.Match.Groups["run"].Value, CultureInfo.InvariantCulture))
            .GroupBy(file => file.Match.Groups["result"].Value, StringComparer.Ordinal);
        var table = new StringBuilder("| result | figure | median | runs |\n| --- | --- | --- | --- |\n");
        foreach (var group in groups)
        {
            var results = group.Select(file => Read(file.Path)).Where(result => result is not null).Select(result => result!.Value).ToList();
            foreach (var (figure, values) in Figures(results))
            {
                table.Append(CultureInfo.InvariantCulture, $"| {group.Key} | {figure} | {Format(Median(values))} | {string.Join(" / ", values.Select(Format))} |\n");
            }
        }

        return table.ToString();
    }

    /// <summary>The figures of the table, by scenario, each with its value in every run (a run without it is left out).</summary>
    private static IEnumerable<(string Figure, double[] Values)> Figures(List<JsonElement> results)
    {
        if (results.Count == 0)
        {
            yield break;
        }

        (string Figure, string[] Path)[] wanted = results[0].GetProperty("scenario").GetString() switch
        {
            "ingest" =>
            [
                ("events/s", ["platform", "eventsPerSecond"]),
                ("baseline events/s", ["baseline", "eventsPerSecond"]),
                ("ours / baseline", ["ratio"]),
                ("writer committing, % of the time", ["platform", "storage", "writerBusyPercent"]),
                ("bytes written to disk per event (the platform's process)", ["platform", "storage", "diskBytesWrittenPerEvent"]),
            ],
            "ingest-rabbitmq" => [("events/s", ["eventsPerSecond"]), ("broker alone, events/s", ["publishedEventsPerSecond"])],
            "lookup" =>
            [
                ("req/s", ["requestsPerSecond"]),
                ("p50 ms", ["latency", "p50Ms"]),
                ("p99 ms", ["latency", "p99Ms"]),
                ("p99.9 ms", ["latency", "p999Ms"]),
            ],
            "latency" =>
            [
                ("events/s", ["achievedRate"]),
                ("p50 ms", ["eventToAlert", "p50Ms"]),
                ("p99 ms", ["eventToAlert", "p99Ms"]),
                ("p99.9 ms", ["eventToAlert", "p999Ms"]),
            ],
            "memory" => [("bytes per activation", ["bytesPerActivation"]), ("anonymous bytes per activation", ["anonymousBytesPerActivation"])],
            "gc-pauses" =>
            [
                ("paused, % of the time", ["summary", "pausedPercent"]),
                ("longest pause ms", ["summary", "maxPauseMs"]),
                ("collections", ["summary", "collections"]),
            ],
            "restart" => [("ms to ready (median of its runs)", ["medianReadyMs"]), ("ms to the first lookup", ["medianFirstLookupMs"])],
            "ceiling" =>
            [
                .. new[] { "transport", "parse", "evaluate", "grain-work" }.SelectMany(stage => new[]
                {
                    ($"{stage}: events/s", new[] { "stages", $"[{stage}]", "eventsPerSecond" }),
                    ($"{stage}: us CPU an event", new[] { "stages", $"[{stage}]", "cpuMicrosecondsPerEvent" }),
                }),
            ],
            _ => [],
        };
        foreach (var (figure, path) in wanted)
        {
            var values = results.Select(result => Value(result.GetProperty("figures"), path)).OfType<double>().ToArray();
            if (values.Length > 0)
            {
                yield return (figure, values);
            }
        }

        // Of every scenario: how much of the machine the hypervisor took meanwhile (results written since 2026-12-07).
        var stolen = results.Select(result => Value(result, ["cpu", "stolenPercent"])).OfType<double>().ToArray();
        if (stolen.Length > 0)
        {
            yield return ("CPU time stolen by the hypervisor, %", stolen);
        }
    }

    /// <param name="path">Property names; <c>[name]</c> picks the item of an array whose <c>stage</c> is that name.</param>
    private static double? Value(JsonElement element, string[] path)
    {
        foreach (var name in path)
        {
            if (name is ['[', .. var stage, ']'])
            {
                if (element.ValueKind != JsonValueKind.Array
                    || element.EnumerateArray().FirstOrDefault(item => item.ValueKind == JsonValueKind.Object && item.TryGetProperty("stage", out var s) && s.ValueEquals(stage))
                        is not { ValueKind: JsonValueKind.Object } picked)
                {
                    return null;
                }

                element = picked;
            }
            else if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.Number ? element.GetDouble() : null;
    }

    /// <summary>A result file's JSON; null for a file that is not one (a run that failed leaves it empty or partial).</summary>
    private static JsonElement? Read(string path)
    {
        var text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("scenario", out _) ? document.RootElement.Clone() : null;
        }
        catch (JsonException ex)
        {
            Console.Error.WriteLine($"Skipped {path}: not a result ({ex.Message})");
            return null;
        }
    }

    /// <summary>The middle value; for an even count, the mean of the two middle ones.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Format(double value) => value.ToString(Math.Abs(value) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex("^(?<result>.+)-(?<run>[0-9]{1,6})$")]
    private static partial Regex RunNumber();
}
