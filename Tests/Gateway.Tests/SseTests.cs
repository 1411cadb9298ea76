using System.Text.Json.Nodes;

namespace CustomerActors.Gateway.Tests;

public sealed class SseTests : SqliteGatewayTest
{
    private sealed record SseEvent(string? Id, string? Type, JsonNode Data);

    /// <summary>Reads server-sent events until <paramref name="count"/> have arrived, then disconnects.</summary>
    private async Task<List<SseEvent>> ReadAsync(int count, string? lastEventId = null, Func<Task>? whileOpen = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/alerts/stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var pending = whileOpen?.Invoke();

        var events = new List<SseEvent>();
        string? id = null, type = null, data = null;
        while (events.Count < count)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException();
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add(new SseEvent(id, type, JsonNode.Parse(data)!));
                }

                (id, type, data) = (null, null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        if (pending is not null)
        {
            await pending;
        }

        return events;
    }

    [Fact]
    public async Task An_alert_reaches_a_connected_stream_as_it_commits()
    {
        var events = await ReadAsync(4, whileOpen: async () =>
        {
            await Task.Delay(200);
            using var _ = await Client.PostEventsAsync(Json.Event("live-1", "S1", "deposit", amount: 70_000m));
        });

        // Four messages commit with that event: the alert and the new customer's first tiers (membership, activity level, service).
        var alert = Assert.Single(events, e => e.Type == "alert");
        Assert.Equal("S1", (string)alert.Data["customerId"]!);
        Assert.Equal("largeTransaction", (string)alert.Data["subject"]!);
        Assert.Equal(3, events.Count(e => e.Type == "tier"));
        Assert.All(events, e => Assert.NotNull(e.Id));
    }

    [Fact]
    public async Task A_stream_resumed_with_last_event_id_misses_nothing_and_repeats_nothing()
    {
        using (await Client.PostEventsAsync(Json.Event("r-1", "S2", "deposit", amount: 70_000m)))
        {
        }

        var first = await ReadAsync(1, lastEventId: "0");
        // While disconnected, more alerts commit.
        using (await Client.PostEventsAsync(Json.Event("r-2", "S3", "deposit", amount: 70_000m), Json.Event("r-3", "S4", "deposit", amount: 70_000m)))
        {
        }

        var all = await ReadAsync(12, lastEventId: "0");
        var resumed = await ReadAsync(11, lastEventId: first[^1].Id);

        Assert.Equal(all.Skip(1).Select(e => e.Id), resumed.Select(e => e.Id));
        Assert.Equal(resumed.Count, resumed.Select(e => e.Id).Distinct().Count());
        Assert.Equal(3, all.Count(e => e.Type == "alert"));
        var ids = all.Select(e => long.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(ids.Order(), ids);
    }
}
