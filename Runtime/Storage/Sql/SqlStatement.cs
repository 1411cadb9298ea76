namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>One parameterised statement of a batch: SQL text from a file and its named values.</summary>
internal readonly record struct SqlStatement(string Sql, (string Name, object? Value)[] Parameters);
