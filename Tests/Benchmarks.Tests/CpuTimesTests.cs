using CustomerActors.Benchmarks.Measurement;

namespace CustomerActors.Benchmarks.Tests;

public class CpuTimesTests
{
    [Fact]
    public void The_total_line_of_proc_stat_splits_into_busy_idle_and_stolen_ticks()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var times = CpuTimes.Parse("cpu  185667 3 44399 138290 3642 11 7624 8171 0 0");

        Assert.Equal(new CpuTimes(Busy: 185667 + 3 + 44399 + 11 + 7624, Idle: 138290 + 3642, Steal: 8171), times);
    }

    [Theory]
    [InlineData("cpu0 1 2 3 4 5 6 7 8 0 0")]
    [InlineData("cpu 1 2 3")]
    public void A_line_that_is_not_the_total_is_refused(string line) =>
        Assert.Throws<FormatException>(() => CpuTimes.Parse(line));

    [Fact]
    public void The_shares_of_a_run_are_what_the_hypervisor_took_and_what_was_idle_of_the_ticks_in_between()
    {
        var before = CpuTimes.Parse("cpu  185667 0 44399 138290 3642 0 7624 8171 0 0");
        var after = CpuTimes.Parse("cpu  185791 0 44509 138674 3761 0 7640 8619 0 0");

        // busy 124 + 110 + 16 = 250, idle 384 + 119 = 503, stolen 448: 1,201 ticks
        Assert.Equal(new CpuShares(StolenPercent: 37.3, IdlePercent: 41.9), CpuShares.Between(before, after));
    }

    [Fact]
    public void Without_readings_or_ticks_there_are_no_shares()
    {
        var reading = CpuTimes.Parse("cpu  1 0 1 1 0 0 0 0 0 0");

        Assert.Null(CpuShares.Between(null, reading));
        Assert.Null(CpuShares.Between(reading, reading));
    }
}
