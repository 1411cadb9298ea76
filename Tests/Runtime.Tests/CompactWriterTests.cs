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

    [Fact]
    public void Strings_read_as_utf8_or_as_strings_count_alike_for_later_references()
    {
        var writer = CompactWriter.Start(Colours, Header);
        foreach (var value in new[] { "blue", "green", null, "会员 \"x\"", "blue", "会员 \"x\"", "blue" })
        {
            writer.WriteString(value);
        }

        var bytes = writer.ToArray();
        var reader = new CompactReader(bytes, Colours);
        reader.ExpectHeader(Header, "test");

        // Each string in turn as bytes or as a string: a reference back finds the string whichever way it was first read.
        Assert.Equal("blue", Utf8(ref reader));
        Assert.Equal("green", reader.ReadString());
        Assert.False(reader.TryReadUtf8(out _));
        Assert.Equal("会员 \"x\"", reader.ReadString());
        Assert.Equal("blue", reader.ReadString());
        Assert.Equal("会员 \"x\"", Utf8(ref reader));
        Assert.Equal("blue", Utf8(ref reader));
        Assert.True(reader.AtEnd);
        Assert.Equal(["blue", "green", null, "会员 \"x\"", "blue", "会员 \"x\"", "blue"], Read(bytes, Colours, 7));
    }

    [Fact]
    public void A_reference_past_the_strings_read_is_invalid_data_as_bytes_too()
    {
        var writer = CompactWriter.Start(Colours, Header);
        writer.WriteString("blue");
        writer.WriteString("blue");
        var bytes = writer.ToArray();

        // Without the first string the second refers to nothing.
        byte[] reference = [.. bytes[..4], .. bytes[^1..]];

        Assert.Throws<InvalidDataException>(() => Read(reference, Colours, 1));
        Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new CompactReader(reference, Colours);
            reader.ExpectHeader(Header, "test");
            return reader.ReadRequiredUtf8().Length;
        });
    }

    [Fact]
    public void A_lent_string_list_starts_empty_for_each_reader_so_references_never_reach_another_payloads_strings()
    {
        var writer = CompactWriter.Start(Colours, Header);
        writer.WriteString("blue");
        writer.WriteString("blue");
        var bytes = writer.ToArray();
        byte[] reference = [.. bytes[..4], .. bytes[^1..]];
        var strings = new CompactReadStrings();

        var first = new CompactReader(bytes, Colours, strings);
        first.ExpectHeader(Header, "test");
        Assert.Equal(("blue", "blue"), (first.ReadString(), first.ReadString()));

        Assert.Throws<InvalidDataException>(() =>
        {
            var second = new CompactReader(reference, Colours, strings);
            second.ExpectHeader(Header, "test");
            return second.ReadString();
        });
    }

    private static string Utf8(ref CompactReader reader) => System.Text.Encoding.UTF8.GetString(reader.ReadRequiredUtf8());

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
