using CustomerActors.Benchmarks.Measurement;
using CustomerActors.TestSupport;

namespace CustomerActors.Benchmarks.Tests;

public class SeriesSummaryTests
{
    [Theory]
    [InlineData(new[] { 3.0 }, 3.0)]
    [InlineData(new[] { 9.0, 1.0, 5.0 }, 5.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    public void The_median_is_the_middle_value_or_the_mean_of_the_two_middle_ones(double[] values, double median) =>
        Assert.Equal(median, SeriesSummary.Median(values));

    [Fact]
    public void Runs_of_one_result_are_grouped_in_run_order_with_their_median()
    {
        using var folder = new TempDirectory();
        Write(folder, "ingest-sqlite-1.json", Ingest(9000, baseline: null));
        Write(folder, "ingest-sqlite-2.json", Ingest(7000, baseline: null));
        Write(folder, "ingest-sqlite-10.json", Ingest(8000, baseline: null));
        Write(folder, "ingest-postgres-1.json", Ingest(6000, baseline: 4000));

        var table = SeriesSummary.Summarize(folder.Path);

        Assert.Contains("| ingest-sqlite | events/s | 8,000 | 9,000 / 7,000 / 8,000 |", table, StringComparison.Ordinal);
        Assert.Contains("| ingest-postgres | baseline events/s | 4,000 | 4,000 |", table, StringComparison.Ordinal);
        Assert.Contains("| ingest-postgres | ours / baseline | 1.5 | 1.5 |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("| ingest-sqlite | baseline", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writers_share_and_the_bytes_written_per_event_are_figures_of_the_ingest_series()
    {
        using var folder = new TempDirectory();
        Write(folder, "ingest-sqlite-1.json", Ingest(9000, baseline: null, storage: (93.2, 28262)));
        Write(folder, "ingest-sqlite-2.json", Ingest(8000, baseline: null, storage: (95.0, 26000)));

        var table = SeriesSummary.Summarize(folder.Path);

        Assert.Contains("| ingest-sqlite | writer committing, % of the time | 94.1 | 93.2 / 95 |", table, StringComparison.Ordinal);
        Assert.Contains("| ingest-sqlite | bytes written to disk per event (the platform's process) | 27,131 | 28,262 / 26,000 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_result_is_skipped()
    {
        using var folder = new TempDirectory();
        Write(folder, "lookup-max-1.json", """{"scenario":"lookup","figures":{"requestsPerSecond":30000,"latency":{"p50Ms":0.9,"p99Ms":2.5,"p999Ms":4.1}}}""");
        Write(folder, "lookup-max-2.json", "");
        Write(folder, "lookup-max-3.json", "{ cut off");

        var table = SeriesSummary.Summarize(folder.Path);

        Assert.Contains("| lookup-max | req/s | 30,000 | 30,000 |", table, StringComparison.Ordinal);
        Assert.Contains("| lookup-max | p99 ms | 2.5 | 2.5 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void A_traced_runs_pauses_are_figures_of_the_series()
    {
        using var folder = new TempDirectory();
        Write(folder, "gc-pauses-10000-1.json",
            """{"scenario":"gc-pauses","figures":{"summary":{"collections":37,"tracedSeconds":22.1,"pausedMs":892,"pausedPercent":4.04,"maxPauseMs":67.55,"generations":[]},"collections":[]}}""");

        var table = SeriesSummary.Summarize(folder.Path);

        Assert.Contains("| gc-pauses-10000 | paused, % of the time | 4.04 | 4.04 |", table, StringComparison.Ordinal);
        Assert.Contains("| gc-pauses-10000 | longest pause ms | 67.55 | 67.55 |", table, StringComparison.Ordinal);
        Assert.Contains("| gc-pauses-10000 | collections | 37 | 37 |", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ceilings_stages_are_figures_of_the_series_by_stage_name()
    {
        using var folder = new TempDirectory();
        Write(folder, "ceiling-1.json",
            """{"scenario":"ceiling","figures":{"threads":2,"stages":[{"stage":"transport","eventsPerSecond":300000,"cpuMicrosecondsPerEvent":6.4},{"stage":"grain-work","eventsPerSecond":140000,"cpuMicrosecondsPerEvent":12.5}]}}""");
        Write(folder, "ceiling-2.json",
            """{"scenario":"ceiling","figures":{"threads":2,"stages":[{"stage":"grain-work","eventsPerSecond":150000,"cpuMicrosecondsPerEvent":11.5},{"stage":"transport","eventsPerSecond":400000,"cpuMicrosecondsPerEvent":4.8}]}}""");

        var table = SeriesSummary.Summarize(folder.Path);

        Assert.Contains("| ceiling | transport: events/s | 350,000 | 300,000 / 400,000 |", table, StringComparison.Ordinal);
        Assert.Contains("| ceiling | grain-work: us CPU an event | 12 | 12.5 / 11.5 |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("| ceiling | parse", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_share_the_hypervisor_took_is_a_figure_of_every_result_that_reports_it()
    {
        using var folder = new TempDirectory();
        Write(folder, "lookup-max-1.json", """{"scenario":"lookup","cpu":{"stolenPercent":12.5,"idlePercent":3},"figures":{"requestsPerSecond":30000}}""");
        Write(folder, "lookup-max-2.json", """{"scenario":"lookup","cpu":{"stolenPercent":0,"idlePercent":4},"figures":{"requestsPerSecond":40000}}""");
        Write(folder, "latency-1000-1.json", """{"scenario":"latency","figures":{"achievedRate":1000}}""");

        var table = SeriesSummary.Summarize(folder.Path);

        Assert.Contains("| lookup-max | CPU time stolen by the hypervisor, % | 6.25 | 12.5 / 0 |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("| latency-1000 | CPU time stolen", table, StringComparison.Ordinal);
    }

    private static string Ingest(int eventsPerSecond, int? baseline, (double Busy, long Bytes)? storage = null) => System.Text.Json.JsonSerializer.Serialize(new
    {
        scenario = "ingest",
        figures = new
        {
            platform = new
            {
                eventsPerSecond,
                storage = storage is { } s ? new { writerBusyPercent = s.Busy, diskBytesWrittenPerEvent = s.Bytes } : null,
            },
            baseline = baseline is null ? null : new { eventsPerSecond = baseline },
            ratio = baseline is null ? (double?)null : eventsPerSecond / (double)baseline,
        },
    });

    private static void Write(TempDirectory folder, string name, string text) => File.WriteAllText(Path.Combine(folder.Path, name), text);
}
