using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CustomerActors.Benchmarks.Baseline;

public sealed record BaselineFigures(int Events, int Connections, double Seconds, double EventsPerSecond);

/// <summary>
/// What users would otherwise build: the same event stream applied to PostgreSQL one transaction per event,
/// updating the customer's aggregates and membership tier in SQL (<c>apply_event.sql</c>). Events are spread
/// over <c>connections</c> workers by customer (so each customer's events stay in order, as ours do), with
/// automatic statement preparation: the baseline at its own best.
/// </summary>
public static class PostgresBaseline
{
    private sealed record BaselineEvent(string EventId, string CustomerId, string Type, decimal? Amount, int? Score, DateTimeOffset OccurredAt, string Payload);

    public static async Task<BaselineFigures> RunAsync(string connectionString, IReadOnlyList<byte[]> batches, int connections)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 8, AutoPrepareMinUsages = 2, MaxPoolSize = connections + 2 };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var setup = source.CreateCommand(Script("0001_schema.sql")))
        {
            await setup.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var queues = Enumerable.Range(0, connections).Select(_ => new List<BaselineEvent>()).ToArray();
        foreach (var e in batches.SelectMany(Read))
        {
            queues[(int)((uint)StringComparer.Ordinal.GetHashCode(e.CustomerId) % (uint)connections)].Add(e);
        }

        var apply = Script("apply_event.sql");
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(queues.Select(queue => Task.Run(async () =>
        {
            await using var connection = await source.OpenConnectionAsync().ConfigureAwait(false);
            foreach (var e in queue)
            {
                await using var command = new NpgsqlCommand(apply, connection);
                command.Parameters.AddWithValue("event_id", e.EventId);
                command.Parameters.AddWithValue("customer_id", e.CustomerId);
                command.Parameters.AddWithValue("type", e.Type);
                command.Parameters.Add(new NpgsqlParameter("amount", NpgsqlDbType.Numeric) { Value = (object?)e.Amount ?? DBNull.Value });
                command.Parameters.Add(new NpgsqlParameter("score", NpgsqlDbType.Integer) { Value = (object?)e.Score ?? DBNull.Value });
                command.Parameters.AddWithValue("occurred_at", e.OccurredAt);
                command.Parameters.AddWithValue("payload", e.Payload);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var events = queues.Sum(q => q.Count);
        return new BaselineFigures(events, connections, Math.Round(seconds, 3), Math.Round(events / seconds));
    }

    private static IEnumerable<BaselineEvent> Read(byte[] batch)
    {
        using var document = JsonDocument.Parse(batch);
        var events = new List<BaselineEvent>();
        foreach (var e in document.RootElement.EnumerateArray())
        {
            events.Add(new BaselineEvent(
                e.GetProperty("eventId").GetString()!,
                e.GetProperty("customerId").GetString()!,
                e.GetProperty("type").GetString()!,
                e.TryGetProperty("amount", out var amount) ? amount.GetDecimal() : null,
                e.TryGetProperty("score", out var score) ? score.GetInt32() : null,
                DateTimeOffset.Parse(e.GetProperty("occurredAt").GetString()!, CultureInfo.InvariantCulture),
                e.GetRawText()));
        }

        return events;
    }

    private static string Script(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("baseline/" + name)
            ?? throw new InvalidOperationException($"baseline/{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
