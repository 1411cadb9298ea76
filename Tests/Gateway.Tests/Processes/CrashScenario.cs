using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace CustomerActors.Gateway.Tests.Processes;

/// <summary>
/// Streams events from several concurrent clients into a gateway process, kills it with SIGKILL mid-stream,
/// restarts it on the same store, and checks that every acknowledged event counts exactly once, that
/// nothing is half applied, and that resending everything converges to exactly the sent set.
/// </summary>
public sealed class CrashScenario(Func<Task<GatewayProcess>> start)
{
    private const int Clients = 4;
    private const int BatchSize = 100;
    private const int Customers = 40;
    private const int AcknowledgedBeforeKill = 3_000;

    private readonly ConcurrentDictionary<string, SentEvent> _sent = new();
    private readonly ConcurrentDictionary<string, bool> _acknowledged = new();
    private readonly ConcurrentBag<string[]> _batches = [];
    private int _inDoubtBatches;

    internal sealed record SentEvent(string Id, string Customer, string Type, decimal Amount, string Json);

    public async Task RunAsync()
    {
        await using (var first = await start())
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => StreamAsync(first.Client, c, stop.Token))).ToArray();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (_acknowledged.Count < AcknowledgedBeforeKill && DateTime.UtcNow < deadline && clients.All(c => !c.IsCompleted))
            {
                await Task.Delay(5);
            }

            Assert.True(_acknowledged.Count >= AcknowledgedBeforeKill, $"only {_acknowledged.Count} events acknowledged before the deadline:\n{first.Output}");
            first.KillHard();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        await using var second = await start();
        await VerifyAsync(second.Client, afterResend: false);

        foreach (var batch in _batches)
        {
            using var response = await second.Client.PostEventsAsync(batch);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await VerifyAsync(second.Client, afterResend: true);
    }

    private async Task StreamAsync(HttpClient client, int clientNumber, CancellationToken stop)
    {
        var random = new Random(clientNumber);
        for (var batchNumber = 0; !stop.IsCancellationRequested; batchNumber++)
        {
            var events = Enumerable.Range(0, BatchSize).Select(i => NewEvent(random, $"c{clientNumber}-b{batchNumber}-{i}")).ToArray();
            var batch = events.Select(e => e.Json).ToArray();
            _batches.Add(batch);
            HttpResponseMessage response;
            try
            {
                response = await client.PostEventsAsync(batch);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref _inDoubtBatches); // the process died with this batch in flight
                return;
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _inDoubtBatches);
                    return;
                }

                var result = await Json.ReadAsync(response);
                Assert.Equal(BatchSize, (int)result["accepted"]! + (int)result["duplicates"]!);
                foreach (var e in events)
                {
                    _acknowledged[e.Id] = true;
                }
            }
        }
    }

    private SentEvent NewEvent(Random random, string id)
    {
        var customer = $"K{random.Next(Customers):D3}";
        var login = random.Next(4) == 0;
        var amount = login ? 0m : random.Next(1, 100_000) / 100m;
        var at = DateTimeOffset.UtcNow.AddMinutes(-random.Next(1, 20_000)).ToString("O", CultureInfo.InvariantCulture);
        var json = login
            ? Json.Event(id, customer, "login", amount: null, occurredAt: at)
            : Json.Event(id, customer, "purchase", amount: amount, occurredAt: at);
        var sent = new SentEvent(id, customer, login ? "login" : "purchase", amount, json);
        _sent[id] = sent;
        return sent;
    }

    private async Task VerifyAsync(HttpClient client, bool afterResend)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var customer in _sent.Values.Select(e => e.Customer).Distinct())
        {
            var history = await ReadHistoryAsync(client, customer);
            var ids = history.Select(e => (string)e["eventId"]!).ToArray();
            Assert.Equal(ids.Length, ids.Distinct().Count()); // nothing applied twice

            var state = await client.GetJsonAsync($"/v1/customers/{customer}");
            Assert.Equal(ids.Length, (long)state["eventCount"]!); // state and history committed together

            var purchases = history.Where(e => (string)e["type"]! == "purchase").ToArray();
            var aggregates = state["aggregates"]!;
            Assert.Equal(purchases.Length, (int)aggregates["ordersLast6Months"]!);
            Assert.Equal(purchases.Sum(e => (decimal)e["amount"]!), (decimal)aggregates["spendLast12Months"]!);
            Assert.Equal(history.Count - purchases.Length, (int)aggregates["loginsLast30Days"]!);

            foreach (var id in ids)
            {
                Assert.True(_sent.TryGetValue(id, out var sent) && sent.Customer == customer, $"{id} in {customer}'s history was never sent to it");
                applied.Add(id);
            }
        }

        var lost = _acknowledged.Keys.Where(id => !applied.Contains(id)).ToArray();
        Assert.True(lost.Length == 0, $"{lost.Length} acknowledged events were lost, e.g. {string.Join(", ", lost.Take(5))}");
        if (afterResend)
        {
            Assert.Equal(_sent.Count, applied.Count);
        }
    }

    private static async Task<List<JsonNode>> ReadHistoryAsync(HttpClient client, string customer)
    {
        var events = new List<JsonNode>();
        string? before = null;
        do
        {
            var page = await client.GetJsonAsync($"/v1/customers/{customer}/events?limit=1000{(before is null ? "" : "&before=" + before)}");
            events.AddRange(page["items"]!.AsArray().Select(item => item!["event"]!));
            before = page["nextBefore"]?.ToString();
        }
        while (before is not null);

        return events;
    }
}
