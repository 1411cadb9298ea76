using Npgsql;

namespace CustomerActors.TestSupport;

/// <summary>
/// A fresh PostgreSQL database on the test server, dropped on dispose. The server comes from
/// <c>CUSTOMERACTORS_TEST_POSTGRES</c> (set by test.sh), defaulting to the loopback server test.sh starts.
/// Tests that need PostgreSQL fail, not skip, when it is not there.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "CUSTOMERACTORS_TEST_POSTGRES";
    private const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres";

    private readonly string _server;

    private PostgresDatabase(string name, string connectionString, string server)
    {
        Name = name;
        ConnectionString = connectionString;
        _server = server;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultServer;

    public static Task<PostgresDatabase> CreateAsync() => CreateAsync(ServerConnectionString);

    /// <summary>A fresh database on the given server (the fault tests' own cluster, see <see cref="PostgresFaultCluster"/>).</summary>
    public static async Task<PostgresDatabase> CreateAsync(string serverConnectionString)
    {
        var name = "ca_test_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(serverConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL tests need a server: run ./test.sh, or set {EnvironmentVariable}. ({ex.Message})", ex);
        }

        // A database name cannot be a parameter; it is generated above from a GUID only.
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name };
        return new PostgresDatabase(name, builder.ConnectionString, serverConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
