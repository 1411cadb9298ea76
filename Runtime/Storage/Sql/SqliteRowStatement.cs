using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// One SQLite statement prepared once and run for many rows, each row's values bound by position: for the rows a write
/// turn inserts by the thousand (journal entries), with no parameter array, boxed number or statement value per row,
/// which <see cref="SqlitePreparedStatements"/> needs for its mixed statements. Every parameter must be bound for every
/// row (<see cref="Step"/> checks): SQLite keeps a binding from the row before, which would otherwise be written again.
/// </summary>
internal sealed class SqliteRowStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _handle;
    private readonly int[] _positions;
    private readonly int _allBound;
    private int _bound;

    /// <param name="names">The statement's parameters, in the order the binding methods number them.</param>
    public SqliteRowStatement(SqliteConnection connection, string sql, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(names.Count, 31);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        (_handle, _positions) = SqlitePreparedStatements.Prepare(_db, sql, names);
        _allBound = (1 << names.Count) - 1;
    }

    /// <summary>Rows run so far.</summary>
    public int Rows { get; private set; }

    /// <summary>Text, encoded as UTF-8 on the stack when it is short (ids, names); SQLite copies it.</summary>
    public void Text(int parameter, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Bound(parameter, SqlitePreparedStatements.BindText(_handle, _positions[parameter], value));
    }

    /// <summary>Text already encoded as UTF-8; SQLite copies it.</summary>
    public void Utf8(int parameter, ReadOnlySpan<byte> value) => Bound(parameter, raw.sqlite3_bind_text(_handle, _positions[parameter], value));

    public void Int64(int parameter, long value) => Bound(parameter, raw.sqlite3_bind_int64(_handle, _positions[parameter], value));

    public void Blob(int parameter, ReadOnlySpan<byte> value) => Bound(parameter, raw.sqlite3_bind_blob(_handle, _positions[parameter], value));

    /// <summary>Runs the statement for the row bound; a constraint it breaks throws the <see cref="SqliteException"/> Microsoft.Data.Sqlite would.</summary>
    /// <exception cref="InvalidOperationException">A parameter was not bound for this row.</exception>
    public void Step()
    {
        if (_bound != _allBound)
        {
            throw new InvalidOperationException("Every parameter of a row statement must be bound for each row.");
        }

        try
        {
            var rc = raw.sqlite3_step(_handle);
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Check(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_handle);
            _bound = 0;
        }

        Rows++;
    }

    public void Dispose() => _handle.Dispose();

    private void Bound(int parameter, int rc)
    {
        Check(rc);
        _bound |= 1 << parameter;
    }

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _db);
}
