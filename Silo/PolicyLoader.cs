using CustomerActors.Grains.Policy;
using Microsoft.Extensions.Options;

namespace CustomerActors.Silo;

/// <summary>Loads the starting policy: the file <c>Policy:Path</c> names, or the shipped defaults.</summary>
public static class PolicyLoader
{
    public static (PolicyDocument? Document, IReadOnlyList<string> Errors) TryLoad(PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return (PolicyDocument.Default, []);
        }

        var path = Path.GetFullPath(options.Path);
        if (!File.Exists(path))
        {
            return (null, [$"Policy:Path: no file at {path}"]);
        }

        var (document, errors) = PolicyDocument.Parse(File.ReadAllText(path));
        return (document, [.. errors.Select(e => $"Policy:Path {path}: {e.Path}: {e.Message}")]);
    }

    public static PolicyDocument Load(PolicyOptions options)
    {
        var (document, errors) = TryLoad(options);
        return document ?? throw new OptionsValidationException(nameof(PolicyOptions.Path), typeof(PolicyOptions), errors);
    }
}

/// <summary>Checks at start that the policy file exists and is valid, listing every error with its JSON path.</summary>
internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        var (document, errors) = PolicyLoader.TryLoad(options);
        return document is null ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
