using CustomerActors.Grains.Customers;
using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Grains.Policy;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Grains.Tests;

public class RuleInputsTests
{
    private static readonly DateTimeOffset Now = Scenario.Now;

    [Fact]
    public void Kept_inputs_are_copied_out_of_the_evaluations_buffer_which_the_next_evaluation_reuses()
    {
        var context = NewContext();
        var inputs = context.Inputs(("orders", 3m), ("windowMonths", 6m));
        var kept = inputs.Keep();
        context.Recycle();

        var next = NewContext();
        var other = next.Inputs(("logins", 9m), ("windowDays", 30m));

        Assert.Equal([new("orders", 3m), new("windowMonths", 6m)], kept.ToArray());
        Assert.Equal(9m, other["logins"]);
        Assert.Throws<ObjectDisposedException>(() => context.Inputs(("orders", 1m)));
    }

    [Fact]
    public void Inputs_written_before_the_buffer_grows_still_read_as_written()
    {
        var context = NewContext();
        var first = context.Inputs(("orders", 1m), ("logins", 2m));
        var many = Enumerable.Range(0, 300).Select(i => ($"input{i}", (decimal)i)).ToArray();

        var large = context.Inputs(many);
        var last = context.Inputs(("count", 5m));

        Assert.Equal((1m, 2m, 2), (first["orders"], first["logins"], first.Count));
        Assert.Equal((300, 299m), (large.Count, large["input299"]));
        Assert.Equal(5m, last["count"]);
        Assert.False(first.TryGetValue("count", out _));
    }

    [Fact]
    public void Inputs_are_the_same_as_a_decisions_only_with_the_same_names_values_scales_and_order()
    {
        var context = NewContext();
        var inputs = context.Inputs(("amount", 1.0m), ("count", 2m));

        foreach (var decided in new[] { Map(("amount", 1.0m), ("count", 2m)), Stored(("amount", 1.0m), ("count", 2m)) })
        {
            Assert.True(inputs.SameAs(decided));
        }

        foreach (var decided in new[]
        {
            Map(("amount", 1.00m), ("count", 2m)), Stored(("amount", 1.00m), ("count", 2m)),
            Map(("count", 2m), ("amount", 1.0m)), Stored(("count", 2m), ("amount", 1.0m)),
            Map(("amount", 1.0m)), Stored(("amount", 1.0m), ("count", 3m)),
            new Dictionary<string, decimal> { ["amount"] = 1.0m, ["count"] = 3m },
        })
        {
            Assert.False(inputs.SameAs(decided));
        }

        Assert.True(inputs.SameAs(new Dictionary<string, decimal> { ["amount"] = 1.0m, ["count"] = 2m }));
    }

    [Fact]
    public void Inputs_kept_already_compare_with_a_decisions_as_a_map_does_and_are_kept_as_they_are()
    {
        var evidence = Stored(("amount", 50_000m), ("absoluteFrom", 50_000m));
        var inputs = new RuleInputs(evidence);

        Assert.Same(evidence, inputs.Keep());
        Assert.True(inputs.SameAs(evidence));
        Assert.True(inputs.SameAs(Stored(("amount", 50_000m), ("absoluteFrom", 50_000m))));
        Assert.True(inputs.SameAs(Map(("amount", 50_000m), ("absoluteFrom", 50_000m))));
        Assert.False(inputs.SameAs(Stored(("amount", 50_000.0m), ("absoluteFrom", 50_000m))));
        Assert.True(new RuleInputs(Map(("amount", 2m))).SameAs(Stored(("amount", 2m))));
        Assert.Equal(50_000m, inputs["amount"]);
    }

    private static RuleContext NewContext() => new(new CustomerFacts(), PolicyDocument.Default.Policy, Now);

    private static InputMap Map(params (string Name, decimal Value)[] inputs) => new(inputs);

    private static readonly StringTable Names = new(["amount", "absoluteFrom", "count"]);

    /// <summary>A map as a state read in place holds it: left in the stored bytes.</summary>
    private static IReadOnlyDictionary<string, decimal> Stored(params (string Name, decimal Value)[] inputs)
    {
        var writer = CompactWriter.Start(Names, 0x5445_5354);
        writer.WriteDecimalMap(new InputMap(inputs));
        var reader = CompactReader.OverKept(writer.ToArray(), Names, new CompactReadStrings());
        reader.ExpectHeader(0x5445_5354, "test");
        return Assert.IsType<StoredDecimalMap>(reader.ReadDecimalMapInPlace());
    }
}
