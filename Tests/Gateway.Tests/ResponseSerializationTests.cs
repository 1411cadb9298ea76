using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CustomerActors.Gateway.Serialization;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Silo.Alerts;
using CustomerActors.Silo.Ingestion;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CustomerActors.Gateway.Tests;

/// <summary>How the hot responses are serialized (<see cref="JsonOk{T}"/>, <see cref="ResponseSerializer"/>).</summary>
public sealed class ResponseSerializationTests : SqliteGatewayTest
{
    private static readonly PropertyInfo CanUseSerializeHandler =
        typeof(JsonTypeInfo).GetProperty("CanUseSerializeHandler", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("System.Text.Json no longer has JsonTypeInfo.CanUseSerializeHandler: find how it now says a generated serializer runs in its fast path.");

    [Theory]
    [InlineData(typeof(CustomerView))]
    [InlineData(typeof(EventPage))]
    [InlineData(typeof(ChangePage))]
    [InlineData(typeof(IngestResult))]
    [InlineData(typeof(AlertView))]
    [InlineData(typeof(AlertPage))]
    public void Hot_responses_are_written_by_the_generated_serializers_fast_path(Type type)
    {
        var options = Factory.Services.GetRequiredService<ResponseSerializer>().Options;

        Assert.True((bool)CanUseSerializeHandler.GetValue(options.GetTypeInfo(type))!);
    }

    [Fact]
    public async Task A_live_state_is_written_with_the_apps_encoder_exactly_as_the_apps_serializer_writes_it()
    {
        // Characters the default encoder escapes and the app's relaxed one does not: the serializer has no encoder now,
        // so the writer must still apply the app's.
        const string Text = "gold+ <vip> & 'o\u00e9' \u4f1a\u5458";
        var decision = new Decision(Text, "tier." + Text, new Dictionary<string, decimal> { [Text] = 12.5m },
            DateTimeOffset.Parse("2026-11-24T01:02:03.456+08:00", System.Globalization.CultureInfo.InvariantCulture), 3, "ev+1");
        var view = new CustomerView
        {
            CustomerId = "C+1",
            Partition = 7,
            Version = 9,
            EventCount = 12,
            Tiers = new Dictionary<string, Decision> { ["membership"] = decision },
            Tags = new Dictionary<string, Decision> { [Text] = decision },
            RiskFlags = [new RiskFlag(Text, decision)],
            Aggregates = new CustomerAggregates { AsOf = decision.Since, SpendLast12Months = 1.10m, Balance = -3m },
        };
        var body = new ArrayBufferWriter<byte>();

        Factory.Services.GetRequiredService<ResponseSerializer>().Write(body, view);

        var app = Factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var written = Encoding.UTF8.GetString(body.WrittenSpan);
        Assert.Equal(JsonSerializer.Serialize(view, app), written);
        Assert.Contains(Text, written, StringComparison.Ordinal);
    }
}
