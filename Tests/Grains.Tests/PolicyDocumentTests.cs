using CustomerActors.Grains.Policy;

namespace CustomerActors.Grains.Tests;

public class PolicyDocumentTests
{
    private static string DefaultJson => PolicyDocument.Default.Json;

    [Fact]
    public void The_shipped_policy_is_valid_and_holds_the_documented_defaults()
    {
        var policy = PolicyDocument.Default.Policy;

        Assert.Equal(1, policy.Version);
        Assert.Equal(new MembershipPolicy(10_000m, 50_000m, 100_000m), policy.Tiers.Membership);
        Assert.Equal(new CreditPolicy(700, 650, 600), policy.Tiers.Credit);
        Assert.Equal(90, policy.Tags.ChurnRisk.DaysWithoutOrder);
        Assert.Equal(50_000m, policy.Risk.LargeTransaction.AbsoluteFrom);
        Assert.Equal(10m, policy.Risk.LargeTransaction.MultipleOfAverage);
        Assert.Equal(30, policy.Risk.LowBalance.Days);
        Assert.Contains("//", DefaultJson, StringComparison.Ordinal); // comments are allowed and kept
    }

    [Fact]
    public void A_misspelt_member_is_rejected_with_its_path()
    {
        var json = DefaultJson.Replace("\"goldFrom\"", "\"gldFrom\"", StringComparison.Ordinal);

        var (document, errors) = PolicyDocument.Parse(json);

        Assert.Null(document);
        var error = Assert.Single(errors);
        Assert.Equal("$.tiers.membership.gldFrom", error.Path);
    }

    [Fact]
    public void A_missing_member_is_rejected()
    {
        var json = DefaultJson.Replace("\"cFrom\": 600", "\"cFromX\": 600", StringComparison.Ordinal);

        Assert.NotEmpty(PolicyDocument.Parse(json).Errors);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_path()
    {
        var json = DefaultJson.Replace("\"silverFrom\": 10000", "\"silverFrom\": \"ten thousand\"", StringComparison.Ordinal);

        var error = Assert.Single(PolicyDocument.Parse(json).Errors);

        Assert.Equal("$.tiers.membership.silverFrom", error.Path);
    }

    [Fact]
    public void Every_nonsensical_value_is_listed_with_its_path()
    {
        var json = DefaultJson
            .Replace("\"goldFrom\": 50000", "\"goldFrom\": 5000", StringComparison.Ordinal)
            .Replace("\"severity\": \"high\" }", "\"severity\": \"urgent\" }", StringComparison.Ordinal)
            .Replace("\"windowDays\": 30, \"activeFrom\"", "\"windowDays\": 400, \"activeFrom\"", StringComparison.Ordinal)
            .Replace("\"grades\": [\"D\"]", "\"grades\": [\"E\"]", StringComparison.Ordinal);

        var (document, errors) = PolicyDocument.Parse(json);

        Assert.Null(document);
        var paths = errors.Select(e => e.Path).ToArray();
        Assert.Contains("$.tiers.membership.goldFrom", paths);
        Assert.Contains("$.risk.largeTransaction.severity", paths);
        Assert.Contains("$.risk.velocity.severity", paths);
        Assert.Contains("$.tags.activity.windowDays", paths);
        Assert.Contains("$.risk.lowCredit.grades[0]", paths);
    }

    [Fact]
    public void Text_that_is_not_json_is_an_error_not_an_exception()
    {
        Assert.NotEmpty(PolicyDocument.Parse("{ not json").Errors);
        Assert.NotEmpty(PolicyDocument.Parse("null").Errors);
    }

    [Fact]
    public void A_new_version_keeps_the_comments_of_the_text()
    {
        var next = PolicyDocument.Default.WithVersion(2);

        Assert.Equal(2, next.Version);
        Assert.Contains("\"version\": 2", next.Json, StringComparison.Ordinal);
        Assert.Contains("// CustomerActors default customer policy", next.Json, StringComparison.Ordinal);
        Assert.Equal(2, PolicyDocument.Parse(next.Json).Document!.Version);
    }
}
