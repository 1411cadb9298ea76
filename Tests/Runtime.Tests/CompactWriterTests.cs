using CustomerActors.Runtime.Serialization;

namespace CustomerActors.Runtime.Tests;

public class CompactWriterTests
{
    private const uint Header = 0x5445_5354;   // "TEST"

    private static readonly StringTable Colours = new(["red", "green"]);
    private static readonly StringTable Currencies = new(["CNY", "USD", "EUR"]);

    [Fact]
    public void One_thread_reuses_one_writer_for_every_table_and_each_payload_reads_back_with_its_own()
    {
        var first = CompactWriter.Start(Colours, Header);
        first.WriteString("green");
        first.WriteString("blue");
        var colours = first.ToArray();

        var second = CompactWriter.Start(Currencies, Header);
        second.WriteString("USD");
        second.WriteString("blue");
        var currencies = second.ToArray();

        Assert.Same(first, second);
        Assert.Equal(["green", "blue"], Read(colours, Colours, 2));
        Assert.Equal(["USD", "blue"], Read(currencies, Currencies, 2));
        Assert.Equal(4 + 1 + (1 + 1 + 4), currencies.Length);   // the header, "USD" as one byte, "blue" with its tag and length
    }

    [Fact]
    public void A_repeated_string_refers_back_by_a_number_counted_from_the_tables_end_so_a_table_cannot_grow()
    {
        var writer = CompactWriter.Start(Colours, Header);
        writer.WriteString("blue");
        writer.WriteString("blue");
        var bytes = writer.ToArray();

        Assert.Equal(["blue", "blue"], Read(bytes, Colours, 2));

        // The same table with one string appended reads the back-reference as that string.
        Assert.Equal(["blue", "yellow"], Read(bytes, new StringTable(["red", "green", "yellow"]), 2));
    }

    private static List<string?> Read(byte[] bytes, StringTable table, int count)
    {
        var reader = new CompactReader(bytes, table);
        reader.ExpectHeader(Header, "test");
        var read = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            read.Add(reader.ReadString());
        }

        Assert.True(reader.AtEnd);
        return read;
    }
}
