using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>
/// Open-loop pacing for a fixed request rate without spinning: the load generator shares the machine's cores
/// with the platform, so a busy-wait would take a core from what it measures. Sleeps with <c>nanosleep</c>
/// (tens of microseconds late at most, where <c>Task.Delay</c> is a millisecond) and reports every request as
/// due at its scheduled moment, so latency counts from when it should have been sent.
/// </summary>
internal static partial class Pacer
{
    /// <summary>Shortest sleep worth a system call; closer than this the request is simply sent.</summary>
    private static readonly long MinimumSleep = Stopwatch.Frequency / 20_000;

    /// <summary>
    /// Calls <paramref name="send"/> with each request's index and due timestamp, <paramref name="rate"/> per second
    /// for <paramref name="duration"/>, on a dedicated thread; returns when the last one has been started.
    /// </summary>
    public static Task RunAsync(int rate, TimeSpan duration, Action<long, long> send)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(rate, duration, send);
                done.SetResult();
            }
#pragma warning disable CA1031 // Handed to the awaiting caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "pacer" };
        thread.Start();
        return done.Task;
    }

    private static void Run(int rate, TimeSpan duration, Action<long, long> send)
    {
        var start = Stopwatch.GetTimestamp();
        var total = (long)(duration.TotalSeconds * rate);
        var interval = Stopwatch.Frequency / (double)rate;
        for (long i = 0; i < total;)
        {
            var now = Stopwatch.GetTimestamp();
            for (; i < total && start + (long)(i * interval) <= now; i++)
            {
                send(i, start + (long)(i * interval));
            }

            if (i < total)
            {
                SleepUntil(start + (long)(i * interval));
            }
        }
    }

    private static void SleepUntil(long timestamp)
    {
        var remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining < MinimumSleep)
        {
            return;
        }

        var nanoseconds = (long)(remaining * (1_000_000_000.0 / Stopwatch.Frequency));
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
            return;
        }

        var request = new[] { nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000 };
        _ = NanoSleep(request, IntPtr.Zero);
    }

    /// <summary><c>int nanosleep(const struct timespec *req, struct timespec *rem)</c>; timespec is two longs on 64-bit Unix.</summary>
    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep([In] long[] request, IntPtr remaining);
}
