using System.ComponentModel.DataAnnotations;

namespace CustomerActors.Runtime.Storage;

/// <summary>Where state lives, bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    [Required]
    [AllowedValues(Sqlite, Postgres)]
    public string Provider { get; set; } = Sqlite;

    /// <summary>ADO.NET connection string of the provider. A relative SQLite path is relative to the working directory.</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/customers.db";

    /// <summary>Most state writes committed in one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 4096;

    /// <summary>
    /// SQLite: how often the write-ahead log is checkpointed in the background (never inside a commit). Short, so that
    /// each checkpoint's flush of the database file is small: a long one holds up the log flush of the commits behind it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}
