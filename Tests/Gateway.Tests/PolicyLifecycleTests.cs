using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests;

public sealed class PolicyLifecycleTests : SqliteGatewayTest
{
    private async Task<string> EditedPolicyAsync(Func<JsonNode, JsonNode> edit)
    {
        var policy = await Client.GetJsonAsync("/v1/policy");
        return edit(policy).ToJsonString();
    }

    private static JsonNode GoldFrom(JsonNode policy, decimal value)
    {
        policy["tiers"]!["membership"]!["goldFrom"] = value;
        return policy;
    }

    private Task<HttpResponseMessage> PutAsync(string json) => Client.PutAsync("/v1/policy", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task SeedAsync(params (string Customer, decimal Spend)[] customers)
    {
        using var _ = await Client.PostEventsAsync([.. customers.Select((c, i) => Json.Event($"seed-{c.Customer}-{i}", c.Customer, amount: c.Spend))]);
    }

    private async Task<string> MembershipAsync(string customer) =>
        (string)(await Client.GetJsonAsync($"/v1/customers/{customer}"))["tiers"]!["membership"]!["value"]!;

    [Fact]
    public async Task A_new_policy_is_live_at_once_and_rolled_out_to_stored_customers()
    {
        await SeedAsync(("L1", 60_000m), ("L2", 75_000m), ("L3", 20_000m));

        using var put = await PutAsync(await EditedPolicyAsync(p => GoldFrom(p, 70_000m)));

        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var accepted = await Json.ReadAsync(put);
        Assert.Equal(2, (int)accepted["version"]!);
        Assert.Equal("/v1/policy/rollouts/v2", put.Headers.Location!.OriginalString);
        Assert.Equal(2, (int)(await Client.GetJsonAsync("/v1/policy"))["version"]!);

        await Eventually.TrueAsync(async () => (string)(await Client.GetJsonAsync("/v1/policy/rollouts/v2"))["status"]! == "completed", "the rollout completes");
        var rollout = await Client.GetJsonAsync("/v1/policy/rollouts/v2");
        Assert.Equal(3, (long)rollout["customers"]!);

        // L1 was idle since its event: the rollout downgraded it, recorded why, and alerted.
        Assert.Equal("silver", await MembershipAsync("L1"));
        Assert.Equal("gold", await MembershipAsync("L2"));
        var l1 = await Client.GetJsonAsync("/v1/customers/L1");
        Assert.Equal(2, (int)l1["tiers"]!["membership"]!["policyVersion"]!);
        var change = (await Client.GetJsonAsync("/v1/customers/L1/changes"))["items"]![0]!["change"]!;
        Assert.Equal(("membership", "gold", "silver", "policy", 2), ((string)change["name"]!, (string)change["before"]!, (string)change["after"]!, (string)change["reason"]!, (int)change["policyVersion"]!));
        Assert.Contains((await Client.GetJsonAsync("/v1/alerts?customer=L1"))["items"]!.AsArray(), a => (string)a!["subject"]! == "membershipDowngrade");

        var versions = (await Client.GetJsonAsync("/v1/policy/versions")).AsArray();
        Assert.Equal([(2, true), (1, false)], versions.Select(v => ((int)v!["version"]!, (bool)v["active"]!)));
        Assert.Equal(50_000m, (decimal)(await Client.GetJsonAsync("/v1/policy/versions/1"))["tiers"]!["membership"]!["goldFrom"]!);
    }

    [Fact]
    public async Task An_invalid_policy_is_refused_with_every_error_and_the_active_one_stays()
    {
        var json = await EditedPolicyAsync(p =>
        {
            p["tiers"]!["membership"]!["goldFrom"] = 1m;
            p["risk"]!["velocity"]!["severity"] = "urgent";
            return p;
        });

        using var put = await PutAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var errors = (await Json.ReadAsync(put))["errors"]!.AsObject();
        Assert.Contains("$.tiers.membership.goldFrom", errors.Select(e => e.Key));
        Assert.Contains("$.risk.velocity.severity", errors.Select(e => e.Key));
        Assert.Equal(1, (int)(await Client.GetJsonAsync("/v1/policy"))["version"]!);
    }

    [Fact]
    public async Task A_change_based_on_an_old_version_is_a_conflict()
    {
        var first = await EditedPolicyAsync(p => GoldFrom(p, 60_000m));
        var second = await EditedPolicyAsync(p => GoldFrom(p, 80_000m));
        using (await PutAsync(first))
        {
        }

        using var stale = await PutAsync(second);

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(60_000m, (decimal)(await Client.GetJsonAsync("/v1/policy"))["tiers"]!["membership"]!["goldFrom"]!);
    }

    [Fact]
    public async Task A_dry_run_counts_what_would_change_with_examples_and_changes_nothing()
    {
        await SeedAsync(("D1", 60_000m), ("D2", 65_000m), ("D3", 90_000m), ("D4", 5_000m));
        var before = await Client.GetJsonAsync("/v1/customers/D1");

        using var response = await Client.PostAsync("/v1/policy/dry-run",
            new StringContent(await EditedPolicyAsync(p => GoldFrom(p, 70_000m)), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await Json.ReadAsync(response);
        Assert.Equal(4, (long)report["customers"]!);
        var membership = Assert.Single(report["changes"]!["tiers.membership"]!.AsArray())!;
        Assert.Equal(("gold", "silver", 2L), ((string)membership["from"]!, (string)membership["to"]!, (long)membership["count"]!));
        Assert.Equal(["D1", "D2"], membership["examples"]!.AsArray().Select(e => (string)e!));

        Assert.Equal(1, (int)(await Client.GetJsonAsync("/v1/policy"))["version"]!);
        var after = await Client.GetJsonAsync("/v1/customers/D1");
        Assert.Equal((long)before["version"]!, (long)after["version"]!);
        Assert.Equal("gold", (string)after["tiers"]!["membership"]!["value"]!);
    }

    [Fact]
    public async Task An_invalid_candidate_cannot_be_dry_run()
    {
        using var response = await Client.PostAsync("/v1/policy/dry-run", new StringContent("{\"version\": 1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_newest_stored_policy_is_active_after_a_restart()
    {
        using (await PutAsync(await EditedPolicyAsync(p => GoldFrom(p, 70_000m))))
        {
        }

        await RestartAsync();

        await Eventually.TrueAsync(async () => (int)(await Client.GetJsonAsync("/v1/policy"))["version"]! == 2, "the stored version 2 is active again");
        Assert.Equal(70_000m, (decimal)(await Client.GetJsonAsync("/v1/policy"))["tiers"]!["membership"]!["goldFrom"]!);
    }
}
