using CustomerActors.Runtime.Reminders;
using CustomerActors.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CustomerActors.Gateway.Tests;

/// <summary>Time-driven rules through the real gateway and silo, with a clock the test moves.</summary>
public sealed class TimeRuleTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public void Dispose() => _directory.Dispose();

    private GatewayFactory Start() => new(
        new Dictionary<string, string?> { ["Storage:ConnectionString"] = _directory.SqliteConnectionString() },
        services => services.AddSingleton<TimeProvider>(_clock));

    private static Task<int> RunSchedulerAsync(GatewayFactory factory) =>
        factory.Services.GetRequiredService<ReminderScheduler>().RunDueAsync(CancellationToken.None);

    [Fact]
    public async Task An_idle_gold_customer_is_downgraded_when_its_spend_leaves_the_window()
    {
        await using var factory = Start();
        using var client = factory.CreateClient();
        var at = _clock.GetUtcNow().AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        using (await client.PostEventsAsync(Json.Event("g-1", "T1", amount: 60_000m, occurredAt: at)))
        {
        }

        Assert.Equal("gold", (string)(await client.GetJsonAsync("/v1/customers/T1"))["tiers"]!["membership"]!["value"]!);

        _clock.Advance(TimeSpan.FromDays(367));
        await RunSchedulerAsync(factory);
        await RunSchedulerAsync(factory);

        var state = await client.GetJsonAsync("/v1/customers/T1");
        Assert.Equal("regular", (string)state["tiers"]!["membership"]!["value"]!);
        var change = (await client.GetJsonAsync("/v1/customers/T1/changes"))["items"]!.AsArray()
            .Select(i => i!["change"]!).First(c => (string)c["name"]! == "membership");
        Assert.Equal(("gold", "regular", "time"), ((string)change["before"]!, (string)change["after"]!, (string)change["reason"]!));
        var alerts = (await client.GetJsonAsync("/v1/alerts?customer=T1"))["items"]!.AsArray();
        Assert.Contains(alerts, a => (string)a!["subject"]! == "membershipDowngrade" && (string)a["reason"]! == "time");
    }

    [Fact]
    public async Task A_time_rule_scheduled_before_a_restart_fires_after_it()
    {
        await using (var before = Start())
        {
            using var client = before.CreateClient();
            var at = _clock.GetUtcNow().AddHours(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            using (await client.PostEventsAsync(Json.Event("c-1", "T2", amount: 100m, occurredAt: at)))
            {
            }

            Assert.Equal("no", (string)(await client.GetJsonAsync("/v1/customers/T2"))["tags"]!["churnRisk"]!["value"]!);
        }

        _clock.Advance(TimeSpan.FromDays(91));
        await using var after = Start();
        using var restarted = after.CreateClient();
        await Eventually.TrueAsync(async () =>
        {
            await RunSchedulerAsync(after);
            var state = await restarted.GetJsonAsync("/v1/customers/T2");
            return (string)state["tags"]!["churnRisk"]!["value"]! == "yes";
        }, "churn risk is set 90 days after the last order, by the restarted silo");
    }
}
