using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Processes;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "Real processes";
}

[Collection(ProcessCollection.Name)]
public sealed class CrashTests
{
    [Fact]
    public async Task Kill_9_under_load_on_sqlite_without_its_commit_log_loses_no_acknowledged_event_and_applies_none_twice()
    {
        await RunOnSqliteAsync(("Storage__CommitLog", "false"));
    }

    [Fact]
    public async Task Kill_9_on_sqlite_with_its_commit_log_not_yet_folded_loses_no_acknowledged_event_and_applies_none_twice()
    {
        // The default fold interval (5 s) is longer than the run, and every commit goes through the log whole: every
        // acknowledged write is in the log alone.
        await RunOnSqliteAsync(("Storage__CommitLog", "true"), ("Storage__BusyCommitWrites", "1"));
    }

    [Fact]
    public async Task Kill_9_on_sqlite_while_its_commit_log_is_being_folded_loses_no_acknowledged_event_and_applies_none_twice()
    {
        // The default settings, but folds every 50 ms, five customers a slice: the kill lands with some writes made
        // straight to the tables, some folded, some only in the log, and log rows whose writes are folded in part; the
        // restart must replay exactly the writes the tables lack.
        await RunOnSqliteAsync(("Storage__FoldInterval", "00:00:00.05"), ("Storage__FoldSlice", "5"));
    }

    [Fact]
    public async Task Kill_9_under_load_on_postgres_loses_no_acknowledged_event_and_applies_none_twice()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = database.ConnectionString,
        };

        await new CrashScenario(() => GatewayProcess.StartAsync(directory.Path, environment)).RunAsync();
    }

    private static async Task RunOnSqliteAsync(params (string Name, string Value)[] settings)
    {
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["Storage__Provider"] = "sqlite",
            ["Storage__ConnectionString"] = directory.SqliteConnectionString(),
        };
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        await new CrashScenario(() => GatewayProcess.StartAsync(directory.Path, environment)).RunAsync();
    }
}
