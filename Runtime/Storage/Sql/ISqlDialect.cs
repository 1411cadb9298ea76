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

    /// <summary>The parameter value for a list of strings (<c>find_journal_entries.sql</c>).</summary>
    object StringListValue(IReadOnlyCollection<string> values);
}
