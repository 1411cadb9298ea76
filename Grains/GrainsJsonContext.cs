using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains;

/// <summary>Source-generated JSON for stored state and journal entries: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CustomerState))]
[JsonSerializable(typeof(TransactionEvent))]
[JsonSerializable(typeof(CustomerView))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(DecisionChange))]
[JsonSerializable(typeof(DecisionChange[]))]
[JsonSerializable(typeof(AlertRaised))]
[JsonSerializable(typeof(TierChanged))]
public sealed partial class GrainsJsonContext : JsonSerializerContext;
