using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CustomerActors.Gateway.Tests;

public sealed class AlertsApiTests : SqliteGatewayTest
{
    private async Task<JsonArray> AlertsAsync(string query = "") => (await Client.GetJsonAsync("/v1/alerts" + query))["items"]!.AsArray();

    [Fact]
    public async Task A_risk_rule_raises_a_durable_alert_with_its_evidence()
    {
        using (await Client.PostEventsAsync(Json.Event("big-1", "R1", "withdrawal", amount: 75_000m)))
        {
        }

        var alert = Assert.Single(await AlertsAsync())!;

        Assert.Equal("R1", (string)alert["customerId"]!);
        Assert.Equal("high", (string)alert["severity"]!);
        Assert.Equal("risk.largeTransaction.absolute", (string)alert["rule"]!);
        Assert.Equal("largeTransaction", (string)alert["subject"]!);
        Assert.Equal("big-1", (string)alert["reason"]!);
        Assert.Equal(75_000m, (decimal)alert["evidence"]!["amount"]!);
        Assert.Equal("open", (string)alert["status"]!);
        Assert.NotNull(alert["raisedAt"]);
        Assert.Equal(1, (int)alert["policyVersion"]!);
    }

    [Fact]
    public async Task Alerts_are_filtered_by_status_severity_customer_and_time_and_paged()
    {
        using (await Client.PostEventsAsync(
            Json.Event("f-1", "F1", "deposit", amount: 60_000m),
            Json.Event("f-2", "F2", "deposit", amount: 60_000m),
            Json.Event("f-3", "F3", "credit_score", amount: null, extra: ",\"score\":500")))
        {
        }

        Assert.Equal(3, (await AlertsAsync()).Count);
        Assert.Equal(["F3"], (await AlertsAsync("?severity=medium")).Select(a => (string)a!["customerId"]!));
        Assert.Equal(["F2"], (await AlertsAsync("?customer=F2")).Select(a => (string)a!["customerId"]!));
        Assert.Empty(await AlertsAsync("?from=2100-01-01T00:00:00Z"));
        Assert.Equal(3, (await AlertsAsync("?status=open&to=2100-01-01T00:00:00Z")).Count);

        var first = await Client.GetJsonAsync("/v1/alerts?limit=2");
        var rest = await Client.GetJsonAsync($"/v1/alerts?limit=2&after={(long)first["nextAfter"]!}");
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Single(rest["items"]!.AsArray());
        Assert.Null(rest["nextAfter"]);
    }

    [Fact]
    public async Task An_alert_is_acknowledged_then_resolved_with_who_and_when()
    {
        using (await Client.PostEventsAsync(Json.Event("ack-1", "A1", "deposit", amount: 90_000m)))
        {
        }

        var id = (string)(await AlertsAsync())[0]!["id"]!;

        using var acknowledged = await Client.PostAsJsonAsync($"/v1/alerts/{id}/acknowledge", new { by = "li.lei", note = "calling the customer" });
        var afterAck = await Json.ReadAsync(acknowledged);
        Assert.Equal(("acknowledged", "li.lei", "calling the customer"), ((string)afterAck["status"]!, (string)afterAck["acknowledgedBy"]!, (string)afterAck["note"]!));
        Assert.NotNull(afterAck["acknowledgedAt"]);

        using var resolved = await Client.PostAsJsonAsync($"/v1/alerts/{id}/resolve", new { by = "han.mei" });
        var afterResolve = await Json.ReadAsync(resolved);
        Assert.Equal(("resolved", "han.mei", "li.lei"), ((string)afterResolve["status"]!, (string)afterResolve["resolvedBy"]!, (string)afterResolve["acknowledgedBy"]!));
        Assert.Empty(await AlertsAsync("?status=open"));
        Assert.Single(await AlertsAsync("?status=resolved"));
    }

    [Fact]
    public async Task Acting_on_an_alert_needs_a_name_and_an_existing_alert()
    {
        using var unknown = await Client.PostAsJsonAsync("/v1/alerts/nope/acknowledge", new { by = "li.lei" });
        using var anonymous = await Client.PostAsJsonAsync("/v1/alerts/nope/resolve", new { note = "x" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        Assert.NotNull((await Json.ReadAsync(anonymous))["errors"]!["by"]);
    }

    [Theory]
    [InlineData("?status=closed", "status")]
    [InlineData("?severity=urgent", "severity")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?after=-1", "after")]
    public async Task Bad_alert_filters_get_a_400_naming_the_parameter(string query, string field)
    {
        using var response = await Client.GetAsync("/v1/alerts" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json.ReadAsync(response))["errors"]![field]);
    }

    [Fact]
    public async Task Every_tier_tag_and_flag_change_is_in_the_change_history()
    {
        using (await Client.PostEventsAsync(Json.Event("h-1", "H1", amount: 12_000m)))
        {
        }

        using (await Client.PostEventsAsync(Json.Event("h-2", "H1", amount: 40_000m)))
        {
        }

        var changes = (await Client.GetJsonAsync("/v1/customers/H1/changes?limit=1000"))["items"]!.AsArray()
            .Select(i => i!["change"]!).ToArray();
        var membership = changes.Where(c => (string)c["name"]! == "membership").ToArray();

        Assert.Equal([("silver", "gold", "h-2"), (null, "silver", "h-1")], membership.Select(c => ((string?)c["before"], (string)c["after"]!, (string)c["reason"]!)));
        Assert.All(membership, c =>
        {
            Assert.Equal("tier", (string)c["kind"]!);
            Assert.Equal(1, (int)c["policyVersion"]!);
            Assert.NotNull(c["at"]);
            Assert.NotNull(c["inputs"]!["spendLast12Months"]);
        });
        Assert.Contains(changes, c => (string)c["name"]! == "purchaseFrequency" && (string)c["kind"]! == "tag");
    }
}
