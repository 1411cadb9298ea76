using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>.</summary>
public sealed class PostgresDialect(string connectionString) : ISqlDialect
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public string Name => StorageOptions.Postgres;

    public string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

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

    public object StringListValue(IReadOnlyCollection<string> values) => values as string[] ?? [.. values];

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
