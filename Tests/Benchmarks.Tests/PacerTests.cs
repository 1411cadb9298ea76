using System.Diagnostics;
using System.Globalization;
using CustomerActors.Benchmarks.Measurement;

namespace CustomerActors.Benchmarks.Tests;

public class PacerTests
{
    [Fact]
    public async Task Every_request_is_sent_once_in_order_and_never_before_it_is_due()
    {
        var sent = new List<(long Index, long Due, long At)>();

        await Pacer.RunAsync(rate: 20_000, TimeSpan.FromMilliseconds(200), (index, due) => sent.Add((index, due, Stopwatch.GetTimestamp())));

        Assert.Equal(4_000, sent.Count);
        Assert.Equal(Enumerable.Range(0, 4_000).Select(i => (long)i), sent.Select(s => s.Index));
        Assert.All(sent, s => Assert.True(s.At >= s.Due, $"request {s.Index} sent before it was due"));
        Assert.True(sent.Zip(sent.Skip(1)).All(pair => pair.First.Due <= pair.Second.Due), "due moments out of order");
    }

    [Fact]
    public async Task A_rate_whose_interval_is_a_few_microseconds_sleeps_rather_than_spins()
    {
        // 20,000 a second is one request every 50 us. The pacer once returned from a wait shorter than that without
        // sleeping and looped until the moment came: a busy-wait that took a whole core from the platform it measured.
        // Its own thread's CPU time (read on that thread, in the send callback, from Linux's /proc) shows which it does.
        long firstTicks = 0, lastTicks = 0, firstAt = 0, lastAt = 0;
        const int Rate = 20_000, Requests = 12_000;

        await Pacer.RunAsync(Rate, TimeSpan.FromSeconds((double)Requests / Rate), (index, _) =>
        {
            if (index == 0)
            {
                (firstTicks, firstAt) = (ThreadCpuTicks(), Stopwatch.GetTimestamp());
            }
            else if (index == Requests - 1)
            {
                (lastTicks, lastAt) = (ThreadCpuTicks(), Stopwatch.GetTimestamp());
            }
        });

        var cpu = (lastTicks - firstTicks) / 100.0;   // clock ticks of 10 ms (USER_HZ)
        var wall = Stopwatch.GetElapsedTime(firstAt, lastAt).TotalSeconds;
        Assert.True(cpu < wall / 2, $"the pacer's thread was on a CPU {cpu:0.00} s of {wall:0.00} s");
    }

    /// <summary>User plus system time of the calling thread, in clock ticks (fields 14 and 15 of its stat line).</summary>
    private static long ThreadCpuTicks()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // fields from the third (state) on
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
}
