using CustomerActors.Runtime.Storage.Sql;
using CustomerActors.TestSupport;
using Microsoft.Data.Sqlite;

namespace CustomerActors.Runtime.Tests;

public sealed class SqliteRowStatementTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SqliteConnection _connection;

    public SqliteRowStatementTests()
    {
        _connection = new SqliteConnection(_directory.SqliteConnectionString());
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE rows (name TEXT NOT NULL UNIQUE, number INTEGER NOT NULL, data BLOB NOT NULL)";
        create.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _connection.Dispose();
        using var sameStore = new SqliteConnection(_directory.SqliteConnectionString());
        SqliteConnection.ClearPool(sameStore);   // this test's pool only: other tests' stores stay open beside it
        _directory.Dispose();
    }

    private SqliteRowStatement Insert() =>
        new(_connection, "INSERT INTO rows (name, number, data) VALUES (@name, @number, @data)", ["@name", "@number", "@data"]);

    [Fact]
    public void Each_row_is_written_with_its_own_values()
    {
        var longName = new string('é', 300);   // past what is encoded on the stack
        using (var insert = Insert())
        {
            foreach (var (name, number) in new[] { ("a", 1L), ("名前", long.MaxValue), (longName, -7L) })
            {
                insert.Text(0, name);
                insert.Int64(1, number);
                insert.Blob(2, [(byte)number, 0xFF]);
                insert.Step();
            }

            Assert.Equal(3, insert.Rows);
        }

        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT name, number, data FROM rows ORDER BY rowid";
        using var reader = read.ExecuteReader();
        var rows = new List<(string, long, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), Convert.ToHexString((byte[])reader[2])));
        }

        Assert.Equal([("a", 1L, "01FF"), ("名前", long.MaxValue, "FFFF"), (longName, -7L, "F9FF")], rows);
    }

    [Fact]
    public void A_row_with_a_parameter_left_unbound_is_refused_instead_of_taking_the_row_befores_value()
    {
        using var insert = Insert();
        insert.Text(0, "a");
        insert.Int64(1, 1);
        insert.Blob(2, [1]);
        insert.Step();

        insert.Text(0, "b");
        insert.Blob(2, [2]);

        Assert.Throws<InvalidOperationException>(insert.Step);
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM rows";
        Assert.Equal(1L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public void A_row_that_breaks_a_constraint_throws_what_the_provider_would()
    {
        using var insert = Insert();
        foreach (var _ in new[] { 1, 2 })
        {
            insert.Text(0, "same");
            insert.Int64(1, 1);
            insert.Blob(2, [1]);
            if (insert.Rows == 1)
            {
                Assert.Equal(19, Assert.Throws<SqliteException>(insert.Step).SqliteErrorCode);
                return;
            }

            insert.Step();
        }
    }

    [Fact]
    public void A_statement_naming_a_parameter_it_does_not_have_is_refused_when_prepared()
    {
        Assert.Throws<InvalidOperationException>(() =>
            new SqliteRowStatement(_connection, "INSERT INTO rows (name, number, data) VALUES (@name, @number, @data)", ["@name", "@nombre"]));
    }
}
