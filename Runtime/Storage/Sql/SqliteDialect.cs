using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>SQLite through Microsoft.Data.Sqlite: WAL, synchronous=FULL, one file (its folder created on demand).</summary>
public sealed class SqliteDialect : ISqlDialect
{
    private readonly string _connectionString;
    private readonly string _setup;

    // Pooled connections keep their native handle, and the handle keeps its settings: the setup runs once per handle.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _setUp = [];

    public SqliteDialect(string connectionString, SqlScripts scripts)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (builder.Mode is SqliteOpenMode.ReadWriteCreate && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        _setup = scripts["connection_setup"];
    }

    public string Name => StorageOptions.Sqlite;

    /// <summary>Full path of the database file.</summary>
    public string DataSource { get; }

    public string Describe() => $"sqlite:{DataSource}";

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var handle = connection.Handle!;
            if (!_setUp.TryGetValue(handle, out _))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = _setup;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                _setUp.AddOrUpdate(handle, handle);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public bool IsUnavailable(Exception exception) => exception switch
    {
        // BUSY, LOCKED, IOERR, FULL, CANTOPEN, READONLY: the file cannot be used right now.
        SqliteException { SqliteErrorCode: 5 or 6 or 10 or 13 or 14 or 8 } => true,
        IOException or UnauthorizedAccessException => true,
        _ => false,
    };

    public (string Name, object? Value)[] PairListParameters(IReadOnlyList<string> keys, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        return [("@pairs", JsonSerializer.Serialize(keys.Select((key, i) => new[] { key, values[i] })))];
    }

    /// <summary>
    /// Closes this store's pooled connections (the last one to close checkpoints the log into the file), and no other
    /// store's: clearing every pool of the process would close the connections of another store open beside this one,
    /// and so checkpoint and restart its log under it.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
