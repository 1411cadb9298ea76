using System.Text.Json;
using System.Text.Json.Serialization;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Silo.Alerts;
using CustomerActors.Silo.Ingestion;

namespace CustomerActors.Gateway.Serialization;

/// <summary>
/// Compile-time JSON contracts for the responses on the hot paths (live state, history pages, ingest results,
/// alerts): written by generated code instead of reflection-driven converters. Same shape as before (web
/// defaults: camelCase, nulls written); every other type still goes through the reflection resolver behind it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CustomerView))]
[JsonSerializable(typeof(EventPage))]
[JsonSerializable(typeof(ChangePage))]
[JsonSerializable(typeof(IngestResult))]
[JsonSerializable(typeof(AlertView))]
[JsonSerializable(typeof(AlertPage))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
