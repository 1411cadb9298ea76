using System.Text.Json;
using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Grains.Tests;

public class DecisionChangesCodecTests
{
    private static readonly DecisionChange[] Changes = [.. new Scenario()
        .Event(TransactionType.Purchase, Scenario.Now.AddDays(-1), 60_000.10m)
        .Event(TransactionType.CreditScore, Scenario.Now.AddHours(-1), score: 580)
        .Results.SelectMany(r => r.Changes)];

    [Fact]
    public void A_turns_changes_read_back_exactly_and_in_order()
    {
        Assert.True(Changes.Length > 10);

        var decoded = DecisionChangesCodec.Deserialize(DecisionChangesCodec.Serialize(Changes));

        Assert.Equal(Json(Changes), Json(decoded));
    }

    [Fact]
    public void Rows_written_as_json_by_earlier_versions_are_still_read()
    {
        Assert.Equal(Json(Changes), Json(DecisionChangesCodec.Deserialize(JsonSerializer.SerializeToUtf8Bytes(Changes, GrainsJsonContext.Default.DecisionChangeArray))));
        Assert.Equal(Json(Changes[..1]), Json(DecisionChangesCodec.Deserialize(JsonSerializer.SerializeToUtf8Bytes(Changes[0], GrainsJsonContext.Default.DecisionChange))));
    }

    [Fact]
    public void The_row_is_a_fraction_of_the_json_and_damage_is_rejected()
    {
        var bytes = DecisionChangesCodec.Serialize(Changes);

        Assert.True(bytes.Length * 4 < Json(Changes).Length, $"{bytes.Length} bytes against {Json(Changes).Length} of JSON");
        Assert.Throws<InvalidDataException>(() => DecisionChangesCodec.Deserialize(bytes.AsSpan(0, bytes.Length - 3)));
    }

    private static string Json(DecisionChange[] changes) => JsonSerializer.Serialize(changes, GrainsJsonContext.Default.DecisionChangeArray);
}
