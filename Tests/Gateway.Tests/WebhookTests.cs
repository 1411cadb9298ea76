using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CustomerActors.Silo.Webhooks;
using CustomerActors.TestSupport;

namespace CustomerActors.Gateway.Tests;

public sealed class WebhookTests : IDisposable
{
    private const string Secret = "test-secret-0123456789";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private GatewayFactory Start(string url, string topics = "", string secret = Secret)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = _directory.SqliteConnectionString(),
            ["Webhooks:Subscribers:risk:Url"] = url,
            ["Webhooks:Subscribers:risk:Secret"] = secret,
            ["Webhooks:RetryBaseDelay"] = "00:00:00.050",
        };
        if (topics.Length > 0)
        {
            settings["Webhooks:Subscribers:risk:Topics:0"] = topics;
        }

        return new GatewayFactory(settings);
    }

    /// <summary>The receiver's check, written independently of the platform's own signing code.</summary>
    private static string ExpectedSignature(string timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed)).ToLowerInvariant();
    }

    [Fact]
    public async Task Every_alert_and_tier_change_is_posted_signed_with_a_stable_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = Start(receiver.Url);
        using var client = factory.CreateClient();

        using (await client.PostEventsAsync(Json.Event("w-1", "W1", "deposit", amount: 80_000m)))
        {
        }

        await Eventually.TrueAsync(() => receiver.Requests.Count >= 4, "the alert and three tier changes arrive");
        var alertId = (string)(await client.GetJsonAsync("/v1/alerts"))["items"]![0]!["id"]!;
        var requests = receiver.Requests.ToArray();
        Assert.All(requests, r =>
        {
            var timestamp = r.Headers[WebhookSignature.TimestampHeader];
            Assert.Equal(ExpectedSignature(timestamp, r.Body), r.Headers[WebhookSignature.SignatureHeader]);
            Assert.True(WebhookSignature.Verify(Secret, timestamp, r.Headers[WebhookSignature.SignatureHeader], r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
            Assert.InRange(long.Parse(timestamp, CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.StartsWith("application/json", r.Headers["Content-Type"], StringComparison.Ordinal);
        });
        var alert = Assert.Single(requests, r => r.Headers[WebhookSignature.TopicHeader] == "alert");
        Assert.Equal(alertId, alert.Headers[WebhookSignature.IdHeader]);
        Assert.Equal("W1", (string)JsonNode.Parse(alert.Body)!["customerId"]!);
        Assert.Equal(3, requests.Count(r => r.Headers[WebhookSignature.TopicHeader] == "tier"));
        Assert.False(WebhookSignature.Verify("another-secret-000000", alert.Headers[WebhookSignature.TimestampHeader], alert.Headers[WebhookSignature.SignatureHeader], alert.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_failing_receiver_gets_retries_with_the_same_id_until_it_accepts()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        await using var factory = Start(receiver.Url, topics: "alert");
        using var client = factory.CreateClient();

        using (await client.PostEventsAsync(Json.Event("w-2", "W2", "deposit", amount: 80_000m)))
        {
        }

        await Eventually.TrueAsync(() => receiver.Requests.Any(r => r.AnsweredWith == 204), "the third attempt is accepted");
        var attempts = receiver.Requests.ToArray();
        Assert.Equal([500, 500, 204], attempts.Select(r => r.AnsweredWith));
        Assert.Single(attempts.Select(r => r.Headers[WebhookSignature.IdHeader]).Distinct()); // a receiver dedupes by it
        Assert.All(attempts, r => Assert.Equal("alert", r.Headers[WebhookSignature.TopicHeader]));

        JsonNode? delivery = null;
        await Eventually.TrueAsync(async () =>
        {
            delivery = (await client.GetJsonAsync("/v1/webhooks/risk/deliveries"))["items"]!.AsArray().SingleOrDefault();
            return delivery is not null && (string)delivery["status"]! == "delivered";
        }, "the delivery is recorded as delivered");
        Assert.Equal(3, (int)delivery!["attempts"]!);
        Assert.Equal(204, (int)delivery["lastStatus"]!);
        Assert.NotNull(delivery["deliveredAt"]);
    }

    [Fact]
    public async Task Delivery_resumes_after_a_restart_without_repeating_what_was_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using (var first = Start(receiver.Url, topics: "alert"))
        {
            using var client = first.CreateClient();
            using (await client.PostEventsAsync(Json.Event("w-3", "W3", "deposit", amount: 80_000m)))
            {
            }

            await Eventually.TrueAsync(() => receiver.Requests.Count == 1, "the first alert is delivered");

            // Stopping between the receiver's answer and the record of it would rightly deliver again (at least
            // once): what must not repeat is a delivery already recorded.
            await Eventually.TrueAsync(async () =>
                (await client.GetJsonAsync("/v1/webhooks/risk/deliveries"))["items"]!.AsArray().SingleOrDefault()?["status"]?.ToString() == "delivered",
                "the first delivery is recorded");
        }

        await using var second = Start(receiver.Url, topics: "alert");
        using var restarted = second.CreateClient();
        using (await restarted.PostEventsAsync(Json.Event("w-4", "W4", "deposit", amount: 80_000m)))
        {
        }

        await Eventually.TrueAsync(() => receiver.Requests.Count == 2, "the second alert is delivered");
        await Task.Delay(300);
        Assert.Equal(2, receiver.Requests.Select(r => r.Headers[WebhookSignature.IdHeader]).Distinct().Count());
        Assert.Equal(2, receiver.Requests.Count);
    }

    [Fact]
    public async Task Subscribers_are_listed_without_their_secrets_and_unknown_ones_are_404()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = Start(receiver.Url);
        using var client = factory.CreateClient();

        var list = await client.GetStringAsync("/v1/webhooks");
        using var unknown = await client.GetAsync("/v1/webhooks/nobody/deliveries");

        Assert.Contains(receiver.Url, list, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, list, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("ftp://example.test/hook", Secret, "Url")]
    [InlineData("http://127.0.0.1:9/hook", "short", "Secret")]
    public async Task A_misconfigured_subscriber_stops_the_start_naming_the_key(string url, string secret, string key)
    {
        await using var factory = Start(url, secret: secret);

        var error = await factory.StartFailureAsync();

        Assert.Contains($"Webhooks:Subscribers:risk:{key}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret == Secret ? Secret : "\0", error.Message, StringComparison.Ordinal);
    }
}
