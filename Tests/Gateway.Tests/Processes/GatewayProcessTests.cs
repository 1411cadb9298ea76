using System.Net;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests.Processes;

[Collection(ProcessCollection.Name)]
public sealed class GatewayProcessTests
{
    [Fact]
    public async Task The_built_gateway_reads_the_configuration_next_to_its_binary_from_any_working_directory()
    {
        using var install = new TempDirectory();
        using var elsewhere = new TempDirectory();
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(install.Path, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // Only the copied appsettings.json says the batch limit is 3 (the default is 10,000).
        var settings = Path.Combine(install.Path, "appsettings.json");
        File.WriteAllText(settings, File.ReadAllText(settings).Replace("\"MaxBatchSize\": 10000", "\"MaxBatchSize\": 3", StringComparison.Ordinal));

        await using var gateway = await GatewayProcess.StartAsync(elsewhere.Path, new Dictionary<string, string>(),
            Path.Combine(install.Path, "CustomerActors.Gateway.dll"));
        using var tooMany = await gateway.Client.PostEventsAsync(
            Json.Event("w-1", "W1"), Json.Event("w-2", "W1"), Json.Event("w-3", "W1"), Json.Event("w-4", "W1"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.True(File.Exists(Path.Combine(elsewhere.Path, "data", "customers.db")), "the default SQLite file lives under ./data/ of the working directory");
    }
}
