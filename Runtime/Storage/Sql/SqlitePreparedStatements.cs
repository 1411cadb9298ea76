using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// Runs the rows of a group commit through SQLite's own prepared statements (SQLitePCL.raw, which Microsoft.Data.Sqlite
/// itself sits on), on the connection and inside the transaction it opened: each distinct SQL text is prepared once,
/// the positions of its named parameters are looked up once, and every row is then bound by position, stepped and
/// reset. A <see cref="SqliteCommand"/> executed per row costs the one writer a binder object per parameter, a data
/// reader and a lookup of every parameter by name each time: in the ingest profile those were the writer's largest
/// share of the allocations (docs/performance.md).
/// </summary>
internal static class SqlitePreparedStatements
{
    public static int[] ExecuteAll(SqliteConnection connection, IReadOnlyList<SqlStatement> statements) =>
        RunAll(connection, statements, (db, _) => raw.sqlite3_changes(db));

    /// <summary>Runs each query and returns the first column of its first row as an integer, or null when it has no row.</summary>
    public static long?[] QueryAll(SqliteConnection connection, IReadOnlyList<SqlStatement> statements) =>
        RunAll<long?>(connection, statements, (_, row) => row is { } handle ? raw.sqlite3_column_int64(handle, 0) : null);

    /// <summary>Runs each query and returns its first row as <paramref name="read"/> takes it, or null when it has no row.</summary>
    public static T?[] QueryRows<T>(SqliteConnection connection, IReadOnlyList<SqlStatement> statements, Func<sqlite3_stmt, T> read)
        where T : class =>
        RunAll<T?>(connection, statements, (_, row) => row is { } handle ? read(handle) : null);

    /// <summary>Prepares each distinct text once and runs every row; <paramref name="result"/> reads a row's outcome after its step (the statement when it returned a row).</summary>
    private static T[] RunAll<T>(SqliteConnection connection, IReadOnlyList<SqlStatement> statements, Func<sqlite3, sqlite3_stmt?, T> result)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var results = new T[statements.Count];
        var prepared = new Dictionary<string, Prepared>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < statements.Count; i++)
            {
                var (sql, parameters) = statements[i];
                if (!prepared.TryGetValue(sql, out var statement))
                {
                    statement = Prepare(db, sql, parameters);
                    prepared.Add(sql, statement);
                }

                results[i] = Run(db, statement, parameters, result);
            }
        }
        finally
        {
            foreach (var statement in prepared.Values)
            {
                statement.Handle.Dispose();
            }
        }

        return results;
    }

    private static Prepared Prepare(sqlite3 db, string sql, (string Name, object? Value)[] parameters)
    {
        string[] names = [.. parameters.Select(p => p.Name)];
        var (handle, positions) = Prepare(db, sql, names);
        return new Prepared(handle, names, positions);
    }

    /// <summary>
    /// Prepares exactly one SQL statement and finds its parameters' positions, in the order of <paramref name="names"/>;
    /// shared with <see cref="SqliteRowStatement"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The text is not one statement, or it has no parameter of one of the names.</exception>
    internal static (sqlite3_stmt Handle, int[] Positions) Prepare(sqlite3 db, string sql, IReadOnlyList<string> names)
    {
        Check(raw.sqlite3_prepare_v2(db, sql, out var handle, out var tail), db);
        if (handle.IsInvalid || !IsBlank(tail))
        {
            handle.Dispose();
            throw new InvalidOperationException("A group-commit statement must be exactly one SQL statement: " + sql);
        }

        var positions = new int[names.Count];
        for (var p = 0; p < names.Count; p++)
        {
            positions[p] = raw.sqlite3_bind_parameter_index(handle, names[p]);
            if (positions[p] == 0)
            {
                handle.Dispose();
                throw new InvalidOperationException($"The statement has no parameter {names[p]}: {sql}");
            }
        }

        return (handle, positions);
    }

    /// <summary>Binds one row's values, steps once, and returns what <paramref name="result"/> reads.</summary>
    /// <exception cref="InvalidOperationException">The row names its parameters otherwise than the row the statement was prepared with.</exception>
    private static T Run<T>(sqlite3 db, Prepared statement, (string Name, object? Value)[] parameters, Func<sqlite3, sqlite3_stmt?, T> result)
    {
        var handle = statement.Handle;
        try
        {
            if (parameters.Length != statement.Names.Length)
            {
                throw new InvalidOperationException("Rows of one statement must name the same parameters in the same order.");
            }

            for (var p = 0; p < parameters.Length; p++)
            {
                // Positions were looked up for the first row's names: a row listing them in another order would bind
                // its values to the wrong columns. The names are the same literals, so this is a reference comparison.
                if (!string.Equals(parameters[p].Name, statement.Names[p], StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("Rows of one statement must name the same parameters in the same order.");
                }

                Check(Bind(handle, statement.Positions[p], parameters[p].Value), db);
            }

            var rc = raw.sqlite3_step(handle);
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Check(rc, db);
            }

            return result(db, rc == raw.SQLITE_ROW ? handle : null);
        }
        finally
        {
            raw.sqlite3_reset(handle);   // every row binds every parameter again: no bindings to clear
        }
    }

    private static int Bind(sqlite3_stmt handle, int position, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(handle, position),
        string text => BindText(handle, position, text),
        long integer => raw.sqlite3_bind_int64(handle, position, integer),
        int integer => raw.sqlite3_bind_int64(handle, position, integer),
        byte[] blob => raw.sqlite3_bind_blob(handle, position, blob),
        ArraySegment<byte> blob => raw.sqlite3_bind_blob(handle, position, blob.AsSpan()),
        _ => throw new NotSupportedException($"A group-commit parameter of type {value.GetType()} cannot be bound."),
    };

    /// <summary>Binds text as UTF-8 encoded on the stack when it is short (ids, names), not into a new array per value as
    /// <c>raw.sqlite3_bind_text(string)</c> does; SQLite copies the bytes either way.</summary>
    internal static int BindText(sqlite3_stmt handle, int position, string text)
    {
        const int MaxOnStack = 512;
        if (text.Length > MaxOnStack / 3)
        {
            return raw.sqlite3_bind_text(handle, position, text);
        }

        Span<byte> utf8 = stackalloc byte[MaxOnStack];
        var length = Encoding.UTF8.GetBytes(text, utf8);
        return raw.sqlite3_bind_text(handle, position, utf8[..length]);
    }

    /// <summary>Throws the <see cref="SqliteException"/> Microsoft.Data.Sqlite would for a failed call.</summary>
    private static void Check(int rc, sqlite3 db) => SqliteException.ThrowExceptionForRC(rc, db);

    private static bool IsBlank(string? tail) => string.IsNullOrWhiteSpace(tail);

    private sealed record Prepared(sqlite3_stmt Handle, string[] Names, int[] Positions);
}
