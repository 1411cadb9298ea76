using CustomerActors.Grains.Interfaces.Customers;
using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Runtime.Tests;

public class StoredDecimalMapTests
{
    private const uint Header = 0x5445_5354;   // "TEST"

    private static readonly StringTable Names = new(["amount", "count", "threshold"]);

    [Fact]
    public void A_map_of_known_names_read_from_kept_data_stays_in_it_and_reads_as_written()
    {
        var bytes = Written(Map(("amount", 1.50m), ("threshold", -2m)), Map(("count", 7m)));

        var (first, second) = ReadTwo(bytes, kept: true);

        var stored = Assert.IsType<StoredDecimalMap>(first);
        Assert.Equal(2, stored.Count);
        Assert.Equal([new("amount", 1.50m), new("threshold", -2m)], stored.ToArray());
        Assert.Equal("1.50", stored["amount"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(stored.ContainsKey("count"));
        Assert.Equal(7m, Assert.IsType<StoredDecimalMap>(second)["count"]);
    }

    [Fact]
    public void A_map_with_a_name_written_out_is_decoded_at_once_and_what_follows_still_reads()
    {
        // "balance" is not a known string: written out in the first map, referred back to in the second, whose reading
        // therefore depends on the first.
        var bytes = Written(Map(("amount", 1m), ("balance", 2m)), Map(("balance", 3m)));

        var (first, second) = ReadTwo(bytes, kept: true);

        Assert.IsType<InputMap>(first);
        Assert.IsType<InputMap>(second);
        Assert.Equal([new("amount", 1m), new("balance", 2m)], first.ToArray());
        Assert.Equal([new("balance", 3m)], second.ToArray());
    }

    [Fact]
    public void A_map_read_from_data_not_kept_is_decoded_at_once()
    {
        var (first, _) = ReadTwo(Written(Map(("amount", 1m)), Map()), kept: false);

        Assert.Equal([new("amount", 1m)], Assert.IsType<InputMap>(first).ToArray());
    }

    [Fact]
    public void Compared_without_decoding_the_same_names_values_scales_and_order_are_the_same()
    {
        var (stored, _) = ReadTwo(Written(Map(("amount", 1.0m), ("count", 2m)), Map()), kept: true);
        var map = Assert.IsType<StoredDecimalMap>(stored);

        Assert.True(map.SameAs(Map(("amount", 1.0m), ("count", 2m)).Entries));
        Assert.False(map.SameAs(Map(("amount", 1.00m), ("count", 2m)).Entries));   // equal, but shown differently
        Assert.False(map.SameAs(Map(("amount", 1.0m), ("count", 3m)).Entries));
        Assert.False(map.SameAs(Map(("count", 2m), ("amount", 1.0m)).Entries));
        Assert.False(map.SameAs(Map(("amount", 1.0m)).Entries));
        Assert.False(map.SameAs(Map(("amount", 1.0m), ("threshold", 2m)).Entries));
    }

    [Fact]
    public void Written_with_its_own_table_its_bytes_are_copied_and_with_another_it_is_written_entry_by_entry()
    {
        var (stored, _) = ReadTwo(Written(Map(("amount", 1.5m), ("count", 2m)), Map()), kept: true);
        var map = Assert.IsType<StoredDecimalMap>(stored);
        var reordered = new StringTable(["count", "amount"]);

        var same = CompactWriter.Start(Names, Header);
        same.WriteDecimalMap(map);
        var copied = same.ToArray();
        var other = CompactWriter.Start(reordered, Header);
        other.WriteDecimalMap(map);
        var rewritten = other.ToArray();

        Assert.Equal([.. BitConverter.GetBytes(Header).Reverse(), .. map.Written], copied);
        var reader = new CompactReader(rewritten, reordered);
        reader.ExpectHeader(Header, "test");
        Assert.Equal([("amount", 1.5m), ("count", 2m)], reader.ReadDecimalMap());
    }

    private static InputMap Map(params (string Name, decimal Value)[] inputs) => new(inputs);

    private static byte[] Written(InputMap first, InputMap second)
    {
        var writer = CompactWriter.Start(Names, Header);
        writer.WriteDecimalMap(first);
        writer.WriteDecimalMap(second);
        return writer.ToArray();
    }

    private static (IReadOnlyDictionary<string, decimal> First, IReadOnlyDictionary<string, decimal> Second) ReadTwo(byte[] bytes, bool kept)
    {
        var reader = kept ? CompactReader.OverKept(bytes, Names, new CompactReadStrings()) : new CompactReader(bytes, Names, new CompactReadStrings());
        reader.ExpectHeader(Header, "test");
        var first = reader.ReadDecimalMapInPlace();
        var second = reader.ReadDecimalMapInPlace();
        Assert.True(reader.AtEnd);
        return (first, second);
    }
}
