using CustomerActors.Runtime.Diagnostics;

namespace CustomerActors.Runtime.Tests;

public class ProcessDiskIoTests
{
    private const string ProcSelfIo = """
        rchar: 48912345
        wchar: 7340032
        syscr: 4521
        syscw: 1288
        read_bytes: 14622720
        write_bytes: 221184
        cancelled_write_bytes: 4096
        """;

    [Fact]
    public void The_bytes_read_from_and_written_to_devices_are_taken_from_their_own_lines()
    {
        // rchar and wchar count every read and write call, page cache included: not what reached the devices.
        Assert.Equal(new DiskIo(14_622_720, 221_184), ProcessDiskIo.Parse(ProcSelfIo));
    }

    [Theory]
    [InlineData("rchar: 1\nwchar: 2\n")]
    [InlineData("read_bytes: 10\n")]
    [InlineData("read_bytes: 10\nwrite_bytes: many\n")]
    [InlineData("")]
    public void Text_without_both_counters_reads_as_none(string text) => Assert.Null(ProcessDiskIo.Parse(text));

    [Fact]
    public void The_counters_are_read_where_linux_keeps_them()
    {
        var io = ProcessDiskIo.Read();

        Assert.Equal(OperatingSystem.IsLinux(), io is not null);
    }
}
