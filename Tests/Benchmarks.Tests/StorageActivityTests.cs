using CustomerActors.Benchmarks.Measurement;

namespace CustomerActors.Benchmarks.Tests;

public class StorageActivityTests
{
    private static string Metrics(double commitMs, long commits, long writes, long? diskWritten) => $$"""
        # TYPE customeractors_storage_commit_duration_milliseconds histogram
        customeractors_storage_commit_duration_milliseconds_bucket{otel_scope_name="CustomerActors",le="0.25"} 3
        customeractors_storage_commit_duration_milliseconds_sum{otel_scope_name="CustomerActors"} {{commitMs}}
        customeractors_storage_commit_duration_milliseconds_count{otel_scope_name="CustomerActors"} {{commits}}
        customeractors_storage_commit_writes_sum{otel_scope_name="CustomerActors"} {{writes}}
        customeractors_storage_commit_writes_count{otel_scope_name="CustomerActors"} {{commits}}
        {{(diskWritten is { } w ? $"process_disk_io_bytes_total{{otel_scope_name=\"CustomerActors\",disk_io_direction=\"read\"}} 999999\nprocess_disk_io_bytes_total{{otel_scope_name=\"CustomerActors\",disk_io_direction=\"write\"}} {w}" : "")}}
        """;

    [Fact]
    public void A_snapshot_takes_each_counter_from_its_own_series()
    {
        var snapshot = StorageSnapshot.Parse(Metrics(1234.5, 10, 4000, 8192));

        Assert.Equal(new StorageSnapshot(1234.5, 10, 4000, 8192), snapshot);
    }

    [Fact]
    public void Without_the_disk_series_the_bytes_written_are_unknown_not_zero()
    {
        Assert.Null(StorageSnapshot.Parse(Metrics(1, 1, 1, diskWritten: null)).DiskBytesWritten);
    }

    [Fact]
    public void The_run_figures_are_the_differences_over_the_run()
    {
        var before = new StorageSnapshot(CommitMilliseconds: 500, Commits: 10, Writes: 1_000, DiskBytesWritten: 1_000_000);
        var after = new StorageSnapshot(CommitMilliseconds: 9_500, Commits: 70, Writes: 91_000, DiskBytesWritten: 2_701_000_000);

        var figures = StorageFigures.Between(before, after, events: 100_000, seconds: 10);

        // 9 s of commits in 10 s; 60 commits of 90,000 writes; 2.7 GB over 100,000 events.
        Assert.Equal(new StorageFigures(90.0, 6.0, 1_500.0, 0.9, 27_000), figures);
    }

    [Fact]
    public void A_run_without_counters_on_either_side_has_no_figures()
    {
        var snapshot = new StorageSnapshot(1, 1, 1, 1);

        Assert.Null(StorageFigures.Between(null, snapshot, 10, 1));
        Assert.Null(StorageFigures.Between(snapshot, null, 10, 1));
        Assert.Null(StorageFigures.Between(snapshot, snapshot, 0, 1));
    }

    [Fact]
    public void A_label_picks_its_series_and_a_missing_metric_is_none()
    {
        const string text = "m{a=\"1\",dir=\"read\"} 5\nm{a=\"1\",dir=\"write\"} 7\nm_other 100\n";

        Assert.Equal(12, MetricsEndpoint.Find(text, "m"));
        Assert.Equal(7, MetricsEndpoint.Find(text, "m", "dir=\"write\""));
        Assert.Null(MetricsEndpoint.Find(text, "missing"));
        Assert.Equal(0, MetricsEndpoint.Sum(text, "missing"));
    }
}
