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
    /// PostgreSQL: group commits under way at once, each in a transaction of its own. The next commit's states and
    /// journal entries go to the server while the one before it writes its outbox messages and commits; its own outbox
    /// messages and commit wait until every commit before it is done, so the outbox's order (<c>seq</c>) is the order in
    /// which its messages become visible. 1 commits one at a time. SQLite always commits one at a time (one writer per file).
    /// </summary>
    [Range(1, 8)]
    public int CommitsInFlight { get; set; } = 2;

    /// <summary>
    /// SQLite: how often the write-ahead log is checkpointed in the background (never inside a commit). Short, so that
    /// each checkpoint's flush of the database file is small: a long one holds up the log flush of the commits behind it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// SQLite: group commits append the writes of customers written again lately to a commit log (a few sequential
    /// pages; see <see cref="BusyCommitWrites"/> for the others), and the log is folded into the per-customer tables
    /// every <see cref="FoldInterval"/>, each customer's pages once for all its writes in between. Reads see every
    /// committed write at once either way. The process then owns the file: a second process (or a second store in this
    /// one) is refused until the first stops. On by default (the embedded mode is one process): it raises ingest
    /// 1.24-1.49x and writes a third of the bytes, with the same event-to-alert p99 at 1,000 events/s and a fifth longer
    /// at 5,000 (docs/performance.md). False writes the tables directly and lets several processes share the file.
    /// </summary>
    public bool CommitLog { get; set; } = true;

    /// <summary>
    /// SQLite with <see cref="CommitLog"/>: a group commit of at least this many writes goes through the log whole. A
    /// smaller one writes the customers not written within the last fold interval or two straight to the tables, since
    /// a fold would write their pages once per write anyway (<see cref="Sql.CommitLog.RecentWrites"/>). Commits of more
    /// than a few dozen writes mean the writer has work queued: then the log's few sequential pages per commit, folded
    /// later in key order, cost the writer less than writing each customer's pages inside the commit (at 5,000 events/s
    /// the writer busy 34-40% of the time with 32 against 49-52% with 512, and the event -> alert p99 a quarter lower;
    /// docs/performance.md). At 1,000 events/s commits hold a few writes each and still go straight to the tables.
    /// </summary>
    [Range(1, 1_000_000)]
    public int BusyCommitWrites { get; set; } = 32;

    /// <summary>SQLite with <see cref="CommitLog"/>: how often the log is folded into the tables (and how much a restart may replay).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FoldInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>SQLite with <see cref="CommitLog"/>: most grains folded in one transaction, between two group commits.</summary>
    [Range(1, 1_000_000)]
    public int FoldSlice { get; set; } = 2000;

    /// <summary>
    /// SQLite with <see cref="CommitLog"/>: about how long one fold slice holds up the commits behind it while the writer
    /// has time to spare; slices are then spread over most of the <see cref="FoldInterval"/>. A busy writer's slices are
    /// sized so that the cycle still finishes within the interval (<see cref="Sql.CommitLog.FoldPacer"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan FoldSliceTime { get; set; } = TimeSpan.FromMilliseconds(5);
}
