using System.Globalization;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>
/// The machine's CPU time counters (the first line of Linux's <c>/proc/stat</c>, in clock ticks, all cores together), to
/// say how much of a run's CPU time the hypervisor took for other guests (<c>steal</c>) and how much was idle.
/// </summary>
public sealed record CpuTimes(long Busy, long Idle, long Steal)
{
    /// <summary>Now's counters; null where there is no <c>/proc/stat</c> (not Linux).</summary>
    public static CpuTimes? Read() => File.Exists("/proc/stat") ? Parse(File.ReadLines("/proc/stat").First()) : null;

    /// <summary>
    /// Parses <c>cpu user nice system idle iowait irq softirq steal ...</c>: idle is idle plus iowait, busy the rest
    /// before steal (guest time is already in user time).
    /// </summary>
    public static CpuTimes Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 9 || fields[0] != "cpu")
        {
            throw new FormatException($"Not the total line of /proc/stat: '{line}'.");
        }

        var ticks = fields[1..9].Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return new CpuTimes(Busy: ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6], Idle: ticks[3] + ticks[4], Steal: ticks[7]);
    }
}

/// <summary>Shares of the machine's CPU time between two readings: taken by the hypervisor, and idle.</summary>
public sealed record CpuShares(double StolenPercent, double IdlePercent)
{
    public static CpuShares? Between(CpuTimes? before, CpuTimes? after)
    {
        if (before is null || after is null)
        {
            return null;
        }

        var (busy, idle, steal) = (after.Busy - before.Busy, after.Idle - before.Idle, after.Steal - before.Steal);
        var total = busy + idle + steal;
        return total <= 0 ? null : new CpuShares(Math.Round(100.0 * steal / total, 1), Math.Round(100.0 * idle / total, 1));
    }
}
