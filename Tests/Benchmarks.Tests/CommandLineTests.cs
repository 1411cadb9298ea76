namespace CustomerActors.Benchmarks.Tests;

public class CommandLineTests
{
    [Fact]
    public void A_url_given_on_the_command_line_is_the_platform_driven()
    {
        var parsed = Commands.Lookup().Parse(["--url", "http://127.0.0.1:5123", "--seconds", "1"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(new Uri("http://127.0.0.1:5123"), parsed.GetValue<Uri>("--url"));
    }

    [Fact]
    public void Without_a_url_the_default_address_is_driven()
    {
        var parsed = Commands.Ingest().Parse(["--events", "10"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), parsed.GetValue<Uri>("--url"));
    }

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("not a url")]
    public void A_url_that_is_not_an_absolute_http_address_is_refused_by_name(string url)
    {
        var parsed = Commands.Latency().Parse(["--url", url]);

        var error = Assert.Single(parsed.Errors);
        Assert.Contains("--url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trace_or_results_folder_that_does_not_exist_is_refused_by_its_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        Assert.Contains(missing, Assert.Single(Commands.GcPauses().Parse([missing]).Errors).Message, StringComparison.Ordinal);
        Assert.Contains(missing, Assert.Single(Commands.Summarize().Parse([missing]).Errors).Message, StringComparison.Ordinal);
    }
}
