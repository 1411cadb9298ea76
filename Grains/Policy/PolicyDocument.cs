using System.Text;
using System.Text.Json;

namespace CustomerActors.Grains.Policy;

/// <summary>
/// A policy as the JSON text it was given in (comments kept, so GET -> edit -> PUT round-trips) and as the
/// validated model the rules read.
/// </summary>
public sealed partial record PolicyDocument(string Json, CustomerPolicy Policy)
{
    public int Version => Policy.Version;

    /// <summary>The policy shipped with the platform: <c>Grains/Policy/default-policy.json</c>.</summary>
    public static PolicyDocument Default { get; } = LoadDefault();

    /// <summary>Parses and validates; every error names its JSON path.</summary>
    public static (PolicyDocument? Document, IReadOnlyList<PolicyError> Errors) Parse(string json)
    {
        CustomerPolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.CustomerPolicy);
        }
        catch (JsonException ex)
        {
            return (null, [new PolicyError(ex.Path ?? "$", Describe(ex))]);
        }

        if (policy is null)
        {
            return (null, [new PolicyError("$", "the policy must be a JSON object")]);
        }

        var errors = PolicyValidator.Validate(policy);
        return errors.Count > 0 ? (null, errors) : (new PolicyDocument(json, policy), errors);
    }

    /// <summary>Strict JSON of a policy (no comments), in the shape <see cref="Parse"/> reads.</summary>
    public static string Serialize(CustomerPolicy policy) => JsonSerializer.Serialize(policy, PolicyJsonContext.Default.CustomerPolicy);

    /// <summary>The same document with its version field replaced (the text keeps its comments).</summary>
    public PolicyDocument WithVersion(int version)
    {
        var text = VersionField().Replace(Json, $"\"version\": {version}", 1);
        return new PolicyDocument(text, Policy with { Version = version });
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"version\"\\s*:\\s*\\d+")]
    private static partial System.Text.RegularExpressions.Regex VersionField();

    private static string Describe(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd('.') : message;
    }

    private static PolicyDocument LoadDefault()
    {
        using var stream = typeof(PolicyDocument).Assembly.GetManifestResourceStream("default-policy.json")
            ?? throw new InvalidOperationException("default-policy.json is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var (document, errors) = Parse(reader.ReadToEnd());
        return document ?? throw new InvalidOperationException("The shipped default policy is invalid: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
    }
}
