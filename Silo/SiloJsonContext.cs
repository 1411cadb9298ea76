using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerActors.Silo.Policy;

namespace CustomerActors.Silo;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RolloutProgress))]
internal sealed partial class SiloJsonContext : JsonSerializerContext;
