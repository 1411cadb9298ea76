using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CustomerActors.Grains;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Identity;
using CustomerActors.Runtime.Persistence;
using CustomerActors.Runtime.Storage;
using CustomerActors.TestSupport;
using CustomerActors.Grains.Interfaces.Abstractions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Tests;

/// <summary>End-to-end behaviour of the HTTP API through the real gateway, run on each store.</summary>
public abstract class GatewayContract : IAsyncLifetime
{
    private GatewayFactory _factory = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected abstract Task<IDictionary<string, string?>> StoreSettingsAsync();

    public async Task InitializeAsync()
    {
        _factory = new GatewayFactory(await StoreSettingsAsync());
        Client = _factory.CreateClient();
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }

    private static void AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Posted_events_are_acknowledged_and_shown_in_the_live_state()
    {
        using var response = await Client.PostEventsAsync(
            Json.Event("tx-1", "C001", amount: 1200.50m, extra: ",\"currency\":\"CNY\",\"channel\":\"app\""),
            Json.Event("tx-2", "C001", "login", amount: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Json.ReadAsync(response);
        Assert.Equal(2, (int)result["accepted"]!);
        Assert.Equal(0, (int)result["duplicates"]!);
        Assert.Empty(result["rejected"]!.AsArray());

        var state = await Client.GetJsonAsync("/v1/customers/C001");
        Assert.Equal("C001", (string)state["customerId"]!);
        Assert.Equal(2, (long)state["eventCount"]!);
        Assert.Equal(1, (long)state["version"]!);
        Assert.NotNull(state["lastEventAt"]);
        Assert.Equal(1200.50m, (decimal)state["aggregates"]!["spendLast12Months"]!);
        Assert.Equal(1, (int)state["aggregates"]!["loginsLast30Days"]!);
        var membership = state["tiers"]!["membership"]!;
        Assert.Equal("regular", (string)membership["value"]!);
        Assert.Equal("tier.membership.spend12m", (string)membership["rule"]!);
        Assert.Equal(1200.50m, (decimal)membership["inputs"]!["spendLast12Months"]!);
        Assert.NotNull(membership["since"]);
        Assert.Equal(1, (int)membership["policyVersion"]!);
        Assert.NotNull(state["tags"]);
        Assert.NotNull(state["riskFlags"]);
    }

    [Fact]
    public async Task Change_history_pages_through_every_change_once_newest_first_whatever_the_page_size()
    {
        // The first event sets every decision at once (one turn, many changes); later ones change a few each.
        using (await Client.PostEventsAsync(Json.Event("ch-1", "CH1", amount: 100m))) { }
        using (await Client.PostEventsAsync(Json.Event("ch-2", "CH1", amount: 60_000m))) { }
        using (await Client.PostEventsAsync(Json.Event("ch-3", "CH1", "credit_score", amount: null, extra: ",\"score\":580"))) { }

        var all = (await Client.GetJsonAsync("/v1/customers/CH1/changes?limit=1000"))["items"]!.AsArray().Select(i => (long)i!["seq"]!).ToList();
        Assert.True(all.Count > 10, $"{all.Count} changes");
        Assert.Equal(Enumerable.Range(1, all.Count).Reverse().Select(i => (long)i), all);

        foreach (var size in new[] { 1, 3, 7 })
        {
            var paged = new List<long>();
            string? before = null;
            do
            {
                var page = await Client.GetJsonAsync($"/v1/customers/CH1/changes?limit={size}" + (before is null ? "" : $"&before={before}"));
                var items = page["items"]!.AsArray();
                Assert.InRange(items.Count, 1, size);
                paged.AddRange(items.Select(i => (long)i!["seq"]!));
                before = page["nextBefore"]?.ToString();
            }
            while (before is not null);

            Assert.Equal(all, paged);
        }
    }

    [Fact]
    public async Task A_batch_mixing_applied_and_new_events_of_a_customer_applies_only_the_new_ones_in_order()
    {
        using (await Client.PostEventsAsync(Json.Event("mix-1", "MIX1", amount: 10m), Json.Event("mix-2", "MIX1", amount: 20m))) { }

        using var response = await Client.PostEventsAsync(
            Json.Event("mix-2", "MIX1", amount: 20m), Json.Event("mix-3", "MIX1", amount: 30m),
            Json.Event("mix-1", "MIX1", amount: 10m), Json.Event("mix-4", "MIX1", amount: 40m));

        var result = await Json.ReadAsync(response);
        Assert.Equal((2, 2), ((int)result["accepted"]!, (int)result["duplicates"]!));
        var state = await Client.GetJsonAsync("/v1/customers/MIX1");
        Assert.Equal(4, (long)state["eventCount"]!);
        Assert.Equal(100m, (decimal)state["aggregates"]!["spendLast12Months"]!);
        var history = (await Client.GetJsonAsync("/v1/customers/MIX1/events"))["items"]!.AsArray()
            .Select(i => (string)i!["event"]!["eventId"]!).Reverse();
        Assert.Equal(["mix-1", "mix-2", "mix-3", "mix-4"], history);
    }

    [Fact]
    public async Task Live_state_and_history_are_written_exactly_as_the_reflection_serializer_writes_them()
    {
        // The hot responses are written by generated serializers (GatewayJsonContext, JsonOk): same bytes as the
        // framework's reflection-based serializer with the web defaults, for the same values.
        using (await Client.PostEventsAsync(
            Json.Event("js-1", "JS1", amount: 60_000.50m, extra: ",\"channel\":\"app\""),
            Json.Event("js-2", "JS1", "credit_score", amount: null, extra: ",\"score\":580"))) { }
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);

        foreach (var (path, type) in new[]
        {
            ("/v1/customers/JS1", typeof(CustomerView)),
            ("/v1/customers/JS1/events", typeof(EventPage)),
            ("/v1/customers/JS1/changes", typeof(ChangePage)),
        })
        {
            var body = await Client.GetStringAsync(path);
            Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize(body, type, web), type, web), body);
        }
    }

    [Fact]
    public async Task The_runtimes_collection_and_allocation_metrics_are_exported_beside_the_platforms()
    {
        using (await Client.PostEventsAsync(Json.Event("met-1", "MET1"))) { }

        var metrics = await Client.GetStringAsync("/metrics");

        Assert.Matches("dotnet_gc_heap_total_allocated_bytes_total\\{[^}]*\\} [1-9]", metrics);
        Assert.Matches("dotnet_gc_pause_time_seconds_total\\{[^}]*\\} ", metrics);
        Assert.Matches("customeractors_events_accepted_total\\{[^}]*\\} [1-9]", metrics);
    }

    [Fact]
    public async Task Request_durations_are_exported_in_buckets_fine_enough_for_a_lookups_3_ms_budget()
    {
        using (await Client.PostEventsAsync(Json.Event("rd-1", "RD1"))) { }
        await Client.GetStringAsync("/v1/customers/RD1");

        var metrics = await Client.GetStringAsync("/metrics");

        // The lookup's route has a bucket at 1 ms and at 3 ms (ASP.NET Core's own first bucket is 5 ms).
        foreach (var bound in new[] { "0.001", "0.003" })
        {
            Assert.Matches("http_server_request_duration_seconds_bucket\\{[^}]*http_route=\"/v1/customers/\\{id}\"[^}]*le=\"" + bound + "\"} [0-9]", metrics);
        }
    }

    [Fact]
    public async Task The_bytes_the_process_wrote_to_storage_devices_are_exported_on_linux()
    {
        var metrics = await Client.GetStringAsync("/metrics");

        // The benchmark's bytes written per event come from this series (docs/performance.md).
        Assert.Equal(OperatingSystem.IsLinux(), Regex.IsMatch(metrics, "process_disk_io_bytes_total\\{[^}]*disk_io_direction=\"write\"[^}]*\\} [0-9]"));
        Assert.Equal(OperatingSystem.IsLinux(), Regex.IsMatch(metrics, "process_disk_io_bytes_total\\{[^}]*disk_io_direction=\"read\"[^}]*\\} [0-9]"));
    }

    [Fact]
    public async Task A_duplicate_event_is_applied_once_and_answered_as_a_duplicate()
    {
        var purchase = Json.Event("dup-1", "C002", amount: 500m);
        using (var first = await Client.PostEventsAsync(purchase, purchase))
        {
            var result = await Json.ReadAsync(first);
            Assert.Equal(1, (int)result["accepted"]!);
            Assert.Equal(1, (int)result["duplicates"]!);
        }

        using var again = await Client.PostEventsAsync(purchase);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var retry = await Json.ReadAsync(again);
        Assert.Equal(0, (int)retry["accepted"]!);
        Assert.Equal(1, (int)retry["duplicates"]!);
        var state = await Client.GetJsonAsync("/v1/customers/C002");
        Assert.Equal(1, (long)state["eventCount"]!);
        Assert.Equal(500m, (decimal)state["aggregates"]!["spendLast12Months"]!);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(12)]
    public async Task An_event_id_repeated_among_a_customers_events_in_one_batch_counts_once(int events)
    {
        // A few events of a customer are compared pairwise, many through a set: the repeat is the later one either way.
        var customer = $"C3{events:D2}";
        var batch = Enumerable.Range(0, events - 1).Select(i => Json.Event($"rep-{events}-{i}", customer, amount: 10m))
            .Append(Json.Event($"rep-{events}-0", customer, amount: 10m)).ToArray();

        using var response = await Client.PostEventsAsync(batch);

        var result = await Json.ReadAsync(response);
        Assert.Equal((events - 1, 1), ((int)result["accepted"]!, (int)result["duplicates"]!));
        var state = await Client.GetJsonAsync($"/v1/customers/{customer}");
        Assert.Equal(events - 1, (long)state["eventCount"]!);
    }

    [Fact]
    public async Task Concurrent_batches_naming_one_customer_are_each_answered_for_their_own_events_and_each_event_counts_once()
    {
        // Twenty batches at once, each with the busy customer and one of its own; every third repeats an event id of
        // the batch before it. Whether or not they share the busy customer's calls, each batch is answered for its
        // own events, and each event id counts once.
        var batches = Enumerable.Range(0, 20).Select(b => b % 3 == 2
            ? new[] { Json.Event($"busy-{b - 1}", "C010", amount: 10m), Json.Event($"own-{b}", $"C1{b:D2}") }
            : [Json.Event($"busy-{b}", "C010", amount: 10m), Json.Event($"own-{b}", $"C1{b:D2}")]).ToArray();

        var responses = await Task.WhenAll(batches.Select(async events =>
        {
            using var response = await Client.PostEventsAsync(events);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await Json.ReadAsync(response);
        }));

        Assert.Equal(20 + 14, responses.Sum(r => (int)r["accepted"]!));
        Assert.Equal(6, responses.Sum(r => (int)r["duplicates"]!));
        Assert.All(responses, r => Assert.Equal(2, (int)r["accepted"]! + (int)r["duplicates"]!));
        var busy = await Client.GetJsonAsync("/v1/customers/C010");
        Assert.Equal(14, (long)busy["eventCount"]!);
        Assert.Equal(140m, (decimal)busy["aggregates"]!["spendLast12Months"]!);
    }

    [Fact]
    public async Task Invalid_events_are_rejected_by_field_while_valid_ones_in_the_batch_apply()
    {
        using var response = await Client.PostEventsAsync(
            Json.Event("ok-1", "C003"),
            Json.Event("bad-1", "C003", amount: -5m),
            Json.Event("bad-2", "C003", "teleport"),
            Json.Event("ok-2", "C004"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Json.ReadAsync(response);
        Assert.Equal(2, (int)result["accepted"]!);
        var rejected = result["rejected"]!.AsArray();
        Assert.Equal([1, 2], rejected.Select(r => (int)r!["index"]!));
        Assert.Equal("bad-1", (string)rejected[0]!["eventId"]!);
        Assert.Equal("amount", (string)rejected[0]!["errors"]![0]!["field"]!);
        Assert.Equal("type", (string)rejected[1]!["errors"]![0]!["field"]!);
        Assert.Contains("payment_failed", (string)rejected[1]!["errors"]![0]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(1, (long)(await Client.GetJsonAsync("/v1/customers/C003"))["eventCount"]!);
    }

    [Fact]
    public async Task Ndjson_is_accepted_and_a_malformed_line_is_rejected_on_its_own()
    {
        var body = Json.Event("nd-1", "C005") + "\n{not json\n" + Json.Event("nd-2", "C005") + "\n";

        using var response = await Client.PostAsync("/v1/events", Json.Body(body, "application/x-ndjson"));

        var result = await Json.ReadAsync(response);
        Assert.Equal(2, (int)result["accepted"]!);
        Assert.Equal(1, (int)result["rejected"]![0]!["index"]!);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_a_400_naming_the_position_and_changes_nothing()
    {
        using var response = await Client.PostAsync("/v1/events", Json.Body("[" + Json.Event("nj-1", "C006") + ",\n{\"eventId\": ]"));

        AssertProblem(response, HttpStatusCode.BadRequest);
        var problem = await Json.ReadAsync(response);
        Assert.Contains("line 2", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal("body", (string)problem["errors"]![0]!["field"]!);
        using var lookup = await Client.GetAsync("/v1/customers/C006");
        AssertProblem(lookup, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task More_than_10000_events_get_a_413_and_change_nothing()
    {
        var events = Enumerable.Range(0, 10_001).Select(i => Json.Event($"big-{i}", "C007"));

        using var response = await Client.PostAsync("/v1/events", Json.Body(Json.Array(events)));

        AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        using var lookup = await Client.GetAsync("/v1/customers/C007");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task Exactly_10000_events_are_accepted_in_one_request()
    {
        var events = Enumerable.Range(0, 10_000).Select(i => Json.Event($"max-{i}", $"M{i % 500}", "login", amount: null));

        using var response = await Client.PostAsync("/v1/events", Json.Body(Json.Array(events)));

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(10_000, (int)(await Json.ReadAsync(response))["accepted"]!);
        Assert.Equal(20, (long)(await Client.GetJsonAsync("/v1/customers/M7"))["eventCount"]!);
    }

    [Theory]
    [InlineData("text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", HttpStatusCode.BadRequest)]
    public async Task Wrong_content_types_and_empty_bodies_get_problems(string contentType, HttpStatusCode status)
    {
        var body = status == HttpStatusCode.BadRequest ? "" : Json.Event("ct-1", "C008");

        using var response = await Client.PostAsync("/v1/events", Json.Body(body, contentType));

        AssertProblem(response, status);
    }

    [Fact]
    public async Task Amounts_are_exact_decimals_end_to_end()
    {
        using var _ = await Client.PostEventsAsync(Json.Event("d-1", "C009", amount: 9_999.99m), Json.Event("d-2", "C009", amount: 0.01m));

        var state = await Client.GetJsonAsync("/v1/customers/C009");

        Assert.Equal("10000.00", state["aggregates"]!["spendLast12Months"]!.ToJsonString());
        Assert.Equal("silver", (string)state["tiers"]!["membership"]!["value"]!);
    }

    [Fact]
    public async Task A_large_transaction_raises_an_explained_risk_flag()
    {
        using var _ = await Client.PostEventsAsync(Json.Event("big-tx", "C010", "withdrawal", amount: 80_000m));

        var flag = Assert.Single((await Client.GetJsonAsync("/v1/customers/C010"))["riskFlags"]!.AsArray())!;

        Assert.Equal("largeTransaction", (string)flag["name"]!);
        Assert.Equal("big-tx", (string)flag["decision"]!["eventId"]!);
        Assert.Equal(80_000m, (decimal)flag["decision"]!["inputs"]!["amount"]!);
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404_problem_and_a_malformed_id_a_400_naming_it()
    {
        using var unknown = await Client.GetAsync("/v1/customers/NOBODY");
        using var malformed = await Client.GetAsync("/v1/customers/bad%20id");

        AssertProblem(unknown, HttpStatusCode.NotFound);
        AssertProblem(malformed, HttpStatusCode.BadRequest);
        Assert.NotNull((await Json.ReadAsync(malformed))["errors"]!["id"]);
    }

    [Fact]
    public async Task History_is_newest_first_in_pages_and_keeps_extra_attributes()
    {
        var events = Enumerable.Range(1, 5).Select(i => Json.Event($"h-{i}", "C011", extra: $",\"store\":\"S{i}\""));
        using (await Client.PostAsync("/v1/events", Json.Body(Json.Array(events))))
        {
        }

        var first = await Client.GetJsonAsync("/v1/customers/C011/events?limit=2");
        var second = await Client.GetJsonAsync($"/v1/customers/C011/events?limit=10&before={(long)first["nextBefore"]!}");

        Assert.Equal(["h-5", "h-4"], first["items"]!.AsArray().Select(i => (string)i!["event"]!["eventId"]!));
        Assert.Equal(["h-3", "h-2", "h-1"], second["items"]!.AsArray().Select(i => (string)i!["event"]!["eventId"]!));
        Assert.Null(second["nextBefore"]);
        Assert.Equal("S5", (string)first["items"]![0]!["event"]!["store"]!);
        Assert.Equal(5, (long)first["items"]![0]!["seq"]!);
    }

    [Fact]
    public async Task History_journaled_as_json_by_an_earlier_version_is_served_beside_new_events()
    {
        // A customer as an earlier version stored it: its state, and its first event journaled as JSON.
        var old = new TransactionEvent
        {
            EventId = "old-1", CustomerId = "UP1", Type = TransactionType.Purchase, Amount = 250.50m, Currency = "CNY",
            OccurredAt = DateTimeOffset.UtcNow.AddDays(-3).ToOffset(TimeSpan.FromHours(8)),
            Extra = new Dictionary<string, JsonElement> { ["store"] = JsonSerializer.SerializeToElement("S1") },
        };
        var state = new CustomerState();
        CustomerEvaluator.Apply(state, old, _factory.Services.GetRequiredService<CustomerPolicyProvider>().Current, DateTimeOffset.UtcNow);
        var grain = new GrainId(CustomerGrain.TypeName, "UP1");
        var storage = _factory.Services.GetRequiredService<IGrainStorage>();
        var written = await storage.WriteBatchAsync(
            [
                new StateWrite(grain, _factory.Services.GetRequiredService<PartitionMap>().PartitionOf("UP1"), 0,
                    CustomerStateCodec.Instance.Serialize(state), DateTimeOffset.UtcNow,
                    [new JournalEntry(CustomerGrain.EventsStream, 1, "old-1", DateTimeOffset.UtcNow,
                        JsonSerializer.SerializeToUtf8Bytes(old, GrainsJsonContext.Default.TransactionEvent), Idempotent: true)]),
            ],
            CancellationToken.None);
        Assert.True(written[0].IsCommitted);

        using (await Client.PostEventsAsync(Json.Event("new-1", "UP1", extra: ",\"store\":\"S2\""), Json.Event("old-1", "UP1")))
        {
        }

        var items = (await Client.GetJsonAsync("/v1/customers/UP1/events"))["items"]!.AsArray();

        Assert.Equal(["new-1", "old-1"], items.Select(i => (string)i!["event"]!["eventId"]!));
        Assert.Equal([2L, 1L], items.Select(i => (long)i!["seq"]!));
        var oldShown = items[1]!["event"]!;
        Assert.Equal(("UP1", "purchase", 250.50m, "CNY", "S1"),
            ((string)oldShown["customerId"]!, (string)oldShown["type"]!, (decimal)oldShown["amount"]!, (string)oldShown["currency"]!, (string)oldShown["store"]!));
        Assert.Equal(old.OccurredAt, DateTimeOffset.Parse((string)oldShown["occurredAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(("UP1", "S2"), ((string)items[0]!["event"]!["customerId"]!, (string)items[0]!["event"]!["store"]!));
    }

    [Fact]
    public async Task A_lookup_shows_the_grains_view_as_the_apps_serializer_writes_it_whatever_form_the_state_was_stored_in()
    {
        // Written from the stored bytes (CustomerViewJson), not by serializing the view: compare the two for a state
        // stored by this version, one stored as JSON by an earlier version, and one stored without its aggregates.
        const string Region = "华东 \"East\" <b>&'x'";
        using (await Client.PostEventsAsync(
            Json.Event("lv-1", "LV1", "profile", amount: null, extra: $",\"region\":{JsonSerializer.Serialize(Region)},\"industry\":\"retail\""),
            Json.Event("lv-2", "LV1", amount: 80_000.10m),
            Json.Event("lv-3", "LV1", "credit_score", amount: null, extra: ",\"score\":540"))) { }
        var policy = _factory.Services.GetRequiredService<CustomerPolicyProvider>().Current;
        foreach (var (id, encode) in new (string, Func<CustomerState, byte[]>)[]
        {
            ("LV2", s => JsonSerializer.SerializeToUtf8Bytes(s, GrainsJsonContext.Default.CustomerState)),
            ("LV3", s => CustomerStateCodec.Instance.Serialize(s with { Aggregates = null })),
        })
        {
            var state = new CustomerState();
            CustomerEvaluator.Apply(state, new TransactionEvent
            {
                EventId = id + "-1", CustomerId = id, Type = TransactionType.Purchase, Amount = 60_000m, Currency = "CNY",
                OccurredAt = DateTimeOffset.UtcNow.AddDays(-2),
            }, policy, DateTimeOffset.UtcNow);
            var written = await _factory.Services.GetRequiredService<IGrainStorage>().WriteBatchAsync(
                [new StateWrite(new GrainId(CustomerGrain.TypeName, id), _factory.Services.GetRequiredService<PartitionMap>().PartitionOf(id), 0, encode(state), DateTimeOffset.UtcNow, [])],
                CancellationToken.None);
            Assert.True(written[0].IsCommitted);
        }

        var app = _factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        foreach (var id in new[] { "LV1", "LV2", "LV3" })
        {
            var body = await Client.GetStringAsync($"/v1/customers/{id}");
            var view = await _factory.Services.GetRequiredService<IGrainFactory>().GetGrain<ICustomerGrain>(id).GetViewAsync();

            Assert.NotNull(view);
            Assert.NotEmpty(view.RiskFlags);
            if (id == "LV3")
            {
                // No aggregates stored: each lookup computes them as of its own time.
                body = Regex.Replace(body, "\"asOf\":\"[^\"]+\"", "\"asOf\":\"(lookup time)\"");
                view = view with { Aggregates = view.Aggregates with { AsOf = DateTimeOffset.MinValue } };
                Assert.Equal(JsonSerializer.Serialize(view, app).Replace("\"0001-01-01T00:00:00+00:00\"", "\"(lookup time)\"", StringComparison.Ordinal), body);
                continue;
            }

            Assert.Equal(JsonSerializer.Serialize(view, app), body);
        }

        Assert.Contains(JsonSerializer.Serialize(Region, app), await Client.GetStringAsync("/v1/customers/LV1"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("before=-3", "before")]
    public async Task Bad_paging_parameters_get_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetAsync($"/v1/customers/C011/events?{query}");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.NotNull((await Json.ReadAsync(response))["errors"]![field]);
    }

    [Fact]
    public async Task Health_and_readiness_report_the_store()
    {
        using var health = await Client.GetAsync("/healthz");
        var ready = await Client.GetJsonAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("healthy", (string)ready["checks"]!["storage"]!["status"]!);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await Client.GetJsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToArray();
        Assert.Contains("/v1/events", paths);
        Assert.Contains("/v1/customers/{id}", paths);
        Assert.Contains("/v1/customers/{id}/events", paths);
        // A lookup's body is written from the stored form, and still described as the view it is.
        Assert.Equal("#/components/schemas/CustomerView",
            (string?)document["paths"]!["/v1/customers/{id}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);
    }

    [Fact]
    public async Task An_unknown_route_is_a_problem_too()
    {
        using var response = await Client.GetAsync("/v1/nothing-here");

        AssertProblem(response, HttpStatusCode.NotFound);
    }
}

public sealed class SqliteGatewayTests : GatewayContract
{
    private readonly TempDirectory _directory = new();

    protected override Task<IDictionary<string, string?>> StoreSettingsAsync() => Task.FromResult<IDictionary<string, string?>>(
        new Dictionary<string, string?> { ["Storage:Provider"] = "sqlite", ["Storage:ConnectionString"] = _directory.SqliteConnectionString() });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}

public sealed class PostgresGatewayTests : GatewayContract
{
    private PostgresDatabase? _database;

    protected override async Task<IDictionary<string, string?>> StoreSettingsAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        return new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = _database.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
