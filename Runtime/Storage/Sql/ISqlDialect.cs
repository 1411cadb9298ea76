using System.Data.Common;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>What differs between the SQL providers beyond their SQL files.</summary>
public interface ISqlDialect : IAsyncDisposable
{
    /// <summary>Provider name, also the folder of its SQL files.</summary>
    string Name { get; }

    /// <summary>A safe description for logs: never contains a password.</summary>
    string Describe();

    ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>True when the error means the store cannot be reached or is overloaded, so a retry later may succeed.</summary>
    bool IsUnavailable(Exception exception);

    /// <summary>
    /// The parameters of <c>find_journal_entries.sql</c> for pairs (keys[i], values[i]): SQLite takes one JSON
    /// array of pairs (<c>@pairs</c>), PostgreSQL two parallel arrays (<c>@grain_keys</c>, <c>@entry_ids</c>).
    /// </summary>
    (string Name, object? Value)[] PairListParameters(IReadOnlyList<string> keys, IReadOnlyList<string> values);
}
