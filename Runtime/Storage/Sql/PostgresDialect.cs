using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>.</summary>
public sealed class PostgresDialect : ISqlDialect
{
    /// <summary>
    /// Pool size when the connection string does not set one. An activation storm (thousands of customers
    /// loading at once) then waits for a pooled connection instead of exhausting the server's
    /// max_connections, which other silos and tools share.
    /// </summary>
    public const int DefaultMaxPoolSize = 16;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    public PostgresDialect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        _dataSource = NpgsqlDataSource.Create(builder);
        _description = $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public string Name => StorageOptions.Postgres;

    public string Describe() => _description;

    public async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public bool IsUnavailable(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 53300 too many connections.
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        SocketException or TimeoutException => true,
        _ => false,
    };

    public (string Name, object? Value)[] PairListParameters(IReadOnlyList<string> keys, IReadOnlyList<string> values) =>
        [("@grain_keys", keys.ToArray()), ("@entry_ids", values.ToArray())];

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
