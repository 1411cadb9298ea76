using System.Text.Json;
using System.Text.Json.Serialization;

namespace CustomerActors.Grains.Policy;

/// <summary>
/// Policy JSON: comments and trailing commas allowed; every member required; unknown members rejected, so a
/// misspelt threshold is an error rather than a silently ignored one.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    WriteIndented = true)]
[JsonSerializable(typeof(CustomerPolicy))]
internal sealed partial class PolicyJsonContext : JsonSerializerContext;
