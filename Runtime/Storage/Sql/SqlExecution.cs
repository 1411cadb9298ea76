using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>Runs parameterised statements over any ADO.NET provider.</summary>
internal static class SqlExecution
{
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameters(command.Parameters, command.CreateParameter, parameters);
        return command;
    }

    /// <summary>Adds named values (null as <see cref="DBNull"/>) to a command's or a batch command's parameters.</summary>
    private static void AddParameters(DbParameterCollection target, Func<DbParameter> create, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            target.Add(parameter);
        }
    }

    /// <summary>
    /// Executes the statements in order inside <paramref name="transaction"/> and returns each one's affected
    /// row count: on SQLite through its own prepared statements (<see cref="SqlitePreparedStatements"/>), on other
    /// providers (PostgreSQL) in one round trip (<see cref="DbBatch"/>).
    /// </summary>
    public static async Task<int[]> ExecuteAllAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        if (statements.Count == 0)
        {
            return [];
        }

        if (connection is SqliteConnection sqlite)
        {
            return SqlitePreparedStatements.ExecuteAll(sqlite, statements);
        }

        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var statement in statements)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = statement.Sql;
            AddParameters(command.Parameters, command.CreateParameter, statement.Parameters);
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var affected = new int[statements.Count];
        for (var i = 0; i < statements.Count; i++)
        {
            affected[i] = batch.BatchCommands[i].RecordsAffected;
        }

        return affected;
    }
}
