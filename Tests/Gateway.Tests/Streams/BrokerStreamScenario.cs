using System.Globalization;
using System.Text;
using CustomerActors.Gateway.Tests.Processes;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Streams;

/// <summary>
/// Publishes a stream of events to RabbitMQ the way a transaction system would (routing key = customer id,
/// publisher confirms, republishing what was not confirmed), into a real gateway process, while a fault is
/// injected mid-stream. Then checks, for every event published, that it was applied exactly once
/// (<c>eventCount</c> and history per customer equal the published set) and in the order it was published,
/// that every committed alert reached <c>customer-alerts</c> and nothing else did, and that poison messages
/// went to the dead-letter queue.
/// </summary>
public sealed class BrokerStreamScenario
{
    private const int Customers = 40;
    private const int Window = 100;
    private const string AlertsQueue = "scenario-alerts";
    private const string DeadLetters = "customer-events.dead-letter";

    private readonly RabbitMqVirtualHost _virtualHost;
    private readonly Func<Task<GatewayProcess>> _start;
    private readonly Dictionary<string, List<string>> _expected = new(StringComparer.Ordinal);
    private readonly List<(string RoutingKey, byte[] Body)> _messages = [];
    private readonly Random _random = new(7);
    private readonly HashSet<string> _poison = new(StringComparer.Ordinal);

    public BrokerStreamScenario(RabbitMqVirtualHost virtualHost, Func<Task<GatewayProcess>> start, int messages = 3_000,
        double duplicateFraction = 0, int poisonEvery = 0)
    {
        _virtualHost = virtualHost;
        _start = start;
        Plan(messages, duplicateFraction, poisonEvery);
    }

    /// <summary>The gateway process now serving (the fault may replace it).</summary>
    public GatewayProcess Gateway { get; private set; } = null!;

    public int PublishedEvents => _expected.Values.Sum(e => e.Count);

    /// <summary>Runs the stream; <paramref name="fault"/> starts when 30% of the messages are confirmed and runs beside the publisher.</summary>
    public async Task RunAsync(Func<BrokerStreamScenario, Task>? fault = null)
    {
        Gateway = await _start();
        try
        {
            // As the README asks of producers on a new broker: publish once the platform has declared the
            // topology (the consumer is connected), so that no message meets a half-bound hash ring.
            await Eventually.TrueAsync(async () =>
            {
                using var response = await Gateway.Client.GetAsync("/readyz");
                return ((string?)(await Json.ReadAsync(response))["checks"]?["rabbitmq"]?["description"])?.Contains("consumer: consuming", StringComparison.Ordinal) == true;
            }, "the gateway to consume the event stream", TimeSpan.FromSeconds(30));
            await using var producer = new AmqpTestClient(_virtualHost.ConnectionString);
            await producer.BindQueueAsync(AlertsQueue, "customer-alerts", "alert.#");
            Task? faultTask = null;
            await producer.PublishAllAsync("customer-events", _messages, Window, afterWindow: async published =>
            {
                if (fault is not null && faultTask is null && published >= _messages.Count * 3 / 10)
                {
                    faultTask = Task.Run(() => fault(this));
                }

                await Task.Delay(40); // a steady stream, so that the fault lands mid-stream
            });
            if (faultTask is not null)
            {
                await faultTask;
            }

            await VerifyAsync(producer);
        }
        finally
        {
            await Gateway.DisposeAsync();
        }
    }

    /// <summary><c>kill -9</c> of the platform, then a new process on the same store and broker.</summary>
    public async Task KillAndRestartGatewayAsync()
    {
        await Task.Delay(300);
        Gateway.KillHard();
        await Gateway.DisposeAsync();
        Gateway = await _start();
    }

    private void Plan(int messages, double duplicateFraction, int poisonEvery)
    {
        var sequence = new Dictionary<string, int>(StringComparer.Ordinal);
        var farDuplicates = new List<(string, byte[])>();
        for (var m = 0; m < messages; m++)
        {
            if (poisonEvery > 0 && m % poisonEvery == poisonEvery - 1)
            {
                // Every poison body is unique: not JSON, or an event without its required fields.
                var customerOfPoison = $"F{_random.Next(Customers):D3}";
                var poison = m % 2 == 0 ? $"{{\"eventId\": not json {m}" : $"[{{\"customerId\":\"{customerOfPoison}\",\"n\":{m}}}]";
                _poison.Add(poison);
                _messages.Add((customerOfPoison, Encoding.UTF8.GetBytes(poison)));
                continue;
            }

            var customer = $"F{_random.Next(Customers):D3}";
            var count = _random.Next(4) == 0 ? _random.Next(2, 5) : 1;
            var events = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var n = sequence[customer] = sequence.GetValueOrDefault(customer) + 1;
                var id = $"{customer}-{n:D5}";
                events.Add(NewEvent(id, customer));
                if (!_expected.TryGetValue(customer, out var ids))
                {
                    _expected[customer] = ids = [];
                }

                ids.Add(id);
            }

            var body = Encoding.UTF8.GetBytes(count == 1 ? events[0] : Json.Array(events));
            _messages.Add((customer, body));
            if (_random.NextDouble() < duplicateFraction)
            {
                // Half again at once, half at the very end of the stream, far from the first delivery.
                if (_random.Next(2) == 0)
                {
                    _messages.Add((customer, body));
                }
                else
                {
                    farDuplicates.Add((customer, body));
                }
            }
        }

        _messages.AddRange(farDuplicates);
    }

    private string NewEvent(string id, string customer)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-_random.Next(1, 525_000)).ToString("O", CultureInfo.InvariantCulture);
        return _random.Next(10) switch
        {
            0 or 1 => Json.Event(id, customer, "login", amount: null, occurredAt: at),
            2 => Json.Event(id, customer, "deposit", amount: _random.Next(1, 100_000) / 100m, occurredAt: at),
            3 => Json.Event(id, customer, "purchase", amount: _random.Next(50_000, 60_000), occurredAt: at), // raises an alert
            _ => Json.Event(id, customer, "purchase", amount: _random.Next(1, 500_000) / 100m, occurredAt: at),
        };
    }

    private async Task VerifyAsync(AmqpTestClient reader)
    {
        var client = Gateway.Client;
        await WaitForAllEventsAsync(client);
        foreach (var (customer, expected) in _expected)
        {
            var state = await client.GetJsonAsync($"/v1/customers/{customer}");
            var history = await ReadHistoryAsync(client, customer);
            Assert.Equal(expected.Count, (int)state["eventCount"]!);

            // Exactly once, and in publish order: the history (oldest first) is the published sequence.
            Assert.Equal(expected, history);
        }

        await VerifyAlertsAsync(client, reader);
        if (_poison.Count > 0)
        {
            // Each poison message dead-lettered (a redelivery after a crash may add a copy), nothing else.
            var dead = new List<ReadMessage>();
            await Eventually.TrueAsync(async () =>
            {
                dead.AddRange(await reader.DrainAsync(DeadLetters));
                return dead.Select(d => Encoding.UTF8.GetString(d.Body)).Distinct().Count() >= _poison.Count;
            }, $"{_poison.Count} poison messages to be dead-lettered", TimeSpan.FromSeconds(60));
            Assert.All(dead, d => Assert.Contains(d.Header("x-reason-kind"), new[] { "not_json", "invalid_event" }));
            Assert.Equal(_poison.Order(StringComparer.Ordinal), dead.Select(d => Encoding.UTF8.GetString(d.Body)).Distinct().Order(StringComparer.Ordinal));
        }
    }

    /// <summary>Waits while the platform makes progress; fails when no further event is applied for 30 s.</summary>
    private async Task WaitForAllEventsAsync(HttpClient client)
    {
        var lastTotal = -1;
        var lastProgress = DateTime.UtcNow;
        while (true)
        {
            var total = 0;
            var done = true;
            foreach (var (customer, expected) in _expected)
            {
                using var response = await client.GetAsync($"/v1/customers/{customer}");
                var count = response.IsSuccessStatusCode ? (int)(await Json.ReadAsync(response))["eventCount"]! : 0;
                total += count;
                done &= count >= expected.Count;
            }

            if (done)
            {
                return;
            }

            if (total != lastTotal)
            {
                (lastTotal, lastProgress) = (total, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - lastProgress > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"Stuck at {total} of {PublishedEvents} published events applied:\n{Gateway.Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Every committed alert was published (at least once), and nothing was published that did not commit.</summary>
    private async Task VerifyAlertsAsync(HttpClient client, AmqpTestClient reader)
    {
        var stored = new HashSet<string>(StringComparer.Ordinal);
        string? after = null;
        do
        {
            var page = await client.GetJsonAsync($"/v1/alerts?limit=500{(after is null ? "" : "&after=" + after)}");
            foreach (var item in page["items"]!.AsArray())
            {
                stored.Add((string)item!["id"]!);
            }

            after = page["nextAfter"]?.ToString();
        }
        while (after is not null);

        Assert.NotEmpty(stored);
        var published = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            foreach (var message in await reader.DrainAsync(AlertsQueue))
            {
                published.Add(message.Properties.MessageId!);
            }

            return published.IsSupersetOf(stored);
        }, $"all {stored.Count} committed alerts to be published", TimeSpan.FromSeconds(60));
        Assert.Subset(stored, published);
    }

    private static async Task<List<string>> ReadHistoryAsync(HttpClient client, string customer)
    {
        var ids = new List<string>();
        string? before = null;
        do
        {
            var page = await client.GetJsonAsync($"/v1/customers/{customer}/events?limit=1000{(before is null ? "" : "&before=" + before)}");
            ids.AddRange(page["items"]!.AsArray().Select(item => (string)item!["event"]!["eventId"]!));
            before = page["nextBefore"]?.ToString();
        }
        while (before is not null);

        ids.Reverse();
        return ids;
    }
}
