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
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>
    /// Executes the statements in order inside <paramref name="transaction"/> and returns each one's affected
    /// row count. SQLite runs them through its own prepared statements (<see cref="SqlitePreparedStatements"/>); other
    /// providers use one round trip (<see cref="DbBatch"/>) where they support it, otherwise one prepared command per
    /// distinct SQL text.
    /// </summary>
    public static async Task<int[]> ExecuteAllAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        var affected = new int[statements.Count];
        if (statements.Count == 0)
        {
            return affected;
        }

        if (connection is SqliteConnection sqlite)
        {
            return SqlitePreparedStatements.ExecuteAll(sqlite, statements);
        }

        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var statement in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                foreach (var (name, value) in statement.Parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < statements.Count; i++)
            {
                affected[i] = batch.BatchCommands[i].RecordsAffected;
            }

            return affected;
        }

        var commands = new Dictionary<string, DbCommand>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < statements.Count; i++)
            {
                var statement = statements[i];
                if (!commands.TryGetValue(statement.Sql, out var command))
                {
                    command = Command(connection, statement.Sql, statement.Parameters);
                    command.Transaction = transaction;
                    commands.Add(statement.Sql, command);
                }
                else
                {
                    for (var p = 0; p < statement.Parameters.Length; p++)
                    {
                        command.Parameters[p].Value = statement.Parameters[p].Value ?? DBNull.Value;
                    }
                }

                affected[i] = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        return affected;
    }
}
