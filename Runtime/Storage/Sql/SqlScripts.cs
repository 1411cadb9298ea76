using System.Reflection;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>A schema migration: applied once, in version order, recorded in <c>schema_migrations</c>.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The SQL of one provider, read from the embedded <c>Storage/Sql/&lt;provider&gt;/</c> files:
/// <c>migrations/NNNN_name.sql</c> and <c>queries/name.sql</c>.
/// </summary>
public sealed class SqlScripts
{
    private readonly Dictionary<string, string> _queries = new(StringComparer.Ordinal);

    public SqlScripts(string provider)
    {
        var assembly = typeof(SqlScripts).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var parts = resource.Split('/');
            if (parts is not ["sql", var p, var folder, var file] || p != provider)
            {
                continue;
            }

            var name = Path.GetFileNameWithoutExtension(file);
            var sql = Read(assembly, resource);
            if (folder == "queries")
            {
                _queries.Add(name, sql);
            }
            else if (folder == "migrations")
            {
                var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                migrations.Add(new Migration(version, name, sql));
            }
        }

        if (migrations.Count == 0)
        {
            throw new InvalidOperationException($"No SQL migrations are embedded for provider '{provider}'.");
        }

        Migrations = [.. migrations.OrderBy(m => m.Version)];
        Provider = provider;
    }

    public string Provider { get; }

    public IReadOnlyList<Migration> Migrations { get; }

    public int LatestVersion => Migrations[^1].Version;

    public string this[string query] =>
        _queries.TryGetValue(query, out var sql) ? sql : throw new KeyNotFoundException($"No query '{query}.sql' for provider '{Provider}'.");

    public bool Has(string query) => _queries.ContainsKey(query);

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
