namespace CustomerActors.TestSupport;

/// <summary>
/// The PostgreSQL cluster that test.sh starts for fault tests only (<c>CUSTOMERACTORS_TEST_FAULT_POSTGRES</c>,
/// <c>CUSTOMERACTORS_TEST_FAULT_POSTGRES_CLUSTER</c> = "15 faults"): stopping it cannot disturb other tests.
/// </summary>
public static class PostgresFaultCluster
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("CUSTOMERACTORS_TEST_FAULT_POSTGRES") is { Length: > 0 } value
            ? value
            : "Host=127.0.0.1;Port=5433;Username=postgres;Password=postgres;Database=postgres";

    private static string[] Cluster =>
        (Environment.GetEnvironmentVariable("CUSTOMERACTORS_TEST_FAULT_POSTGRES_CLUSTER") is { Length: > 0 } value ? value : "15 faults").Split(' ');

    /// <summary><c>pg_ctl stop -m immediate</c> (through pg_ctlcluster): no checkpoint, every connection cut, as in a crash.</summary>
    public static Task StopImmediatelyAsync() => ServerProcess.RunAsync("pg_ctlcluster", [.. Cluster, "stop", "-m", "immediate"]);

    /// <summary>Starts it again (crash recovery replays the WAL).</summary>
    public static Task StartAsync() => ServerProcess.RunAsync("pg_ctlcluster", [.. Cluster, "start"]);
}
