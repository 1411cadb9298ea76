using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>
/// Open-loop pacing for a fixed request rate without spinning: the load generator shares the machine's cores
/// with the platform, so a busy-wait would take a core from what it measures. Sleeps with <c>nanosleep</c>
/// until the next request is due, however close that is (the kernel wakes it tens of microseconds late at most,
/// where <c>Task.Delay</c> is a millisecond; every request due by then is sent at once), and reports every request
/// as due at its scheduled moment, so latency counts from when it should have been sent and a late wake-up counts
/// against the platform, never for it.
/// </summary>
internal static partial class Pacer
{
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
        // No shortcut for short waits: returning early to spin until the moment came took a whole core at 20,000
        // requests a second (a 50 us interval), the core the platform being measured shares.
        var remaining = timestamp - Stopwatch.GetTimestamp();
        if (remaining <= 0)
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
