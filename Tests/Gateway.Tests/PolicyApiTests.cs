using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests;

public sealed class PolicyApiTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private GatewayFactory Factory(string? policyPath = null) => new(new Dictionary<string, string?>
    {
        ["Storage:ConnectionString"] = _directory.SqliteConnectionString(),
        ["Policy:Path"] = policyPath,
    });

    /// <summary>Writes a deployment policy file: the shipped defaults with one text replaced.</summary>
    private async Task<string> WritePolicyFileAsync(string name, string oldValue, string newValue)
    {
        var path = Path.Combine(_directory.Path, name);
        var defaults = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "default-policy.json"));
        await File.WriteAllTextAsync(path, defaults.Replace(oldValue, newValue, StringComparison.Ordinal));
        return path;
    }

    [Fact]
    public async Task The_active_policy_is_served_as_json_with_its_version()
    {
        await using var factory = Factory();
        using var client = factory.CreateClient();

        var policy = await client.GetJsonAsync("/v1/policy");

        Assert.Equal(1, (int)policy["version"]!);
        Assert.Equal(50_000m, (decimal)policy["tiers"]!["membership"]!["goldFrom"]!);
        Assert.Equal(90, (int)policy["tags"]!["churnRisk"]!["daysWithoutOrder"]!);
    }

    [Fact]
    public async Task A_deployment_policy_file_changes_the_rules()
    {
        var path = await WritePolicyFileAsync("policy.json", "\"goldFrom\": 50000", "\"goldFrom\": 20000");
        await using var factory = Factory(path);
        using var client = factory.CreateClient();

        using (await client.PostEventsAsync(Json.Event("p-1", "P1", amount: 25_000m)))
        {
        }

        Assert.Equal("gold", (string)(await client.GetJsonAsync("/v1/customers/P1"))["tiers"]!["membership"]!["value"]!);
        Assert.Equal(20_000m, (decimal)(await client.GetJsonAsync("/v1/policy"))["tiers"]!["membership"]!["goldFrom"]!);
    }

    [Fact]
    public async Task An_invalid_policy_file_stops_the_start_naming_each_error()
    {
        var path = await WritePolicyFileAsync("bad-policy.json", "\"goldFrom\": 50000", "\"goldFrom\": 5");
        await using var factory = Factory(path);

        var error = await factory.StartFailureAsync();

        Assert.Contains("$.tiers.membership.goldFrom", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_policy_file_stops_the_start()
    {
        await using var factory = Factory(Path.Combine(_directory.Path, "nowhere.json"));

        Assert.Contains("no file at", (await factory.StartFailureAsync()).Message, StringComparison.Ordinal);
    }
}
