using System.Net.Http.Json;
using System.Text;
using CustomerActors.Benchmarks.Scenarios;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;

namespace CustomerActors.Benchmarks.Tests;

public class CeilingTests
{
    [Fact]
    public async Task The_sink_parses_a_batch_and_counts_its_valid_events_as_accepted_and_its_invalid_ones_as_rejected()
    {
        await using var sink = await SinkServer.StartAsync();
        using var client = new HttpClient { BaseAddress = sink.Url };
        var body = """
            [
              {"eventId":"e1","customerId":"C1","type":"login","occurredAt":"2026-01-01T00:00:00Z"},
              {"eventId":"e2","customerId":"C1","type":"purchase","occurredAt":"2026-01-01T00:00:00Z"},
              {"eventId":"e3","customerId":"C2","type":"deposit","amount":10,"currency":"CNY","occurredAt":"2026-01-01T00:00:00Z"}
            ]
            """;

        using var response = await client.PostAsync(new Uri("/v1/events", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        response.EnsureSuccessStatusCode();
        var result = await response.Content.ReadFromJsonAsync<SinkResult>();
        Assert.Equal(2, result!.Accepted);
        Assert.Equal([1], result.Rejected);   // a purchase needs an amount
    }

    [Fact]
    public void A_grain_calls_work_stores_the_state_the_policy_left_and_the_next_call_starts_from_it()
    {
        var policy = PolicyDocument.Default.Policy;
        var now = DateTimeOffset.UtcNow;
        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var expected = new CustomerState();
        List<TransactionEvent> first = [Event("e1", TransactionType.Purchase, 5000m, now), Event("e2", TransactionType.Login, null, now)];
        List<TransactionEvent> second = [Event("e3", TransactionType.Purchase, 90_000m, now)];

        CeilingScenario.Call(stored, "C1", first, policy, now);
        CeilingScenario.Call(stored, "C1", second, policy, now);

        foreach (var e in first.Concat(second))
        {
            expected.ChangeCount += CustomerEvaluator.Apply(expected, e, policy, now).Changes.Count;
        }

        var state = CustomerStateCodec.Instance.Deserialize(stored["C1"]);
        Assert.Equal(3, state.EventCount);
        Assert.True(state.ChangeCount > 0);
        Assert.Equal(CustomerStateCodec.Instance.Serialize(expected), stored["C1"]);
    }

    [Fact]
    public async Task Every_stage_reports_the_events_it_handled_and_the_policy_stages_handle_the_stream_once()
    {
        var settings = new CeilingSettings(Customers: 50, Events: 1_000, WarmupEvents: 200, BatchSize: 100, Concurrency: 2, Seed: 1, Threads: 2, StatelessSeconds: 0.2);

        var figures = await CeilingScenario.RunAsync(settings);

        Assert.Equal(["transport", "parse", "evaluate", "grain-work"], figures.Stages.Select(s => s.Stage));
        Assert.All(figures.Stages, stage =>
        {
            Assert.True(stage.Events >= 1_000 && stage.Events % 1_000 == 0, $"{stage.Stage} handled {stage.Events} events");
            Assert.True(stage.EventsPerSecond > 0 && stage.CpuMicrosecondsPerEvent > 0, stage.ToString());
        });
        Assert.All(figures.Stages.Where(s => s.Stage is "evaluate" or "grain-work"), stage => Assert.Equal(1_000, stage.Events));
    }

    [Fact]
    public void A_customer_is_always_dealt_to_the_same_share()
    {
        var shares = Enumerable.Range(0, 1_000).Select(i => CeilingScenario.ShareOf($"C{i:D8}", 2)).ToArray();

        Assert.Equal(shares, Enumerable.Range(0, 1_000).Select(i => CeilingScenario.ShareOf($"C{i:D8}", 2)));
        Assert.Contains(0, shares);
        Assert.Contains(1, shares);
    }

    private static TransactionEvent Event(string id, TransactionType type, decimal? amount, DateTimeOffset now) => new()
    {
        EventId = id,
        CustomerId = "C1",
        Type = type,
        Amount = amount,
        OccurredAt = now.AddDays(-1),
    };
}
