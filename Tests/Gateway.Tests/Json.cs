using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CustomerActors.Gateway.Tests;

internal static class Json
{
    public static StringContent Body(string json, string contentType = "application/json") => new(json, Encoding.UTF8, contentType);

    public static string Event(string id, string customer, string type = "purchase", decimal? amount = 100m, string? occurredAt = null, string extra = "")
    {
        var amountPart = amount is null ? "" : $",\"amount\":{amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var at = occurredAt ?? DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return $"{{\"eventId\":\"{id}\",\"customerId\":\"{customer}\",\"type\":\"{type}\",\"occurredAt\":\"{at}\"{amountPart}{extra}}}";
    }

    public static string Array(IEnumerable<string> events) => "[" + string.Join(",", events) + "]";

    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new JsonException("empty body");

    public static Task<HttpResponseMessage> PostEventsAsync(this HttpClient client, params string[] events) =>
        client.PostAsync("/v1/events", Body(Array(events)));

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync(response);
    }

    public static Task<T?> ReadAsAsync<T>(HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>();
}
