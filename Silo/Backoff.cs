namespace CustomerActors.Silo;

/// <summary>Exponential backoff between a base and a maximum delay; <see cref="Reset"/> after a success.</summary>
internal sealed class Backoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private TimeSpan? _next;

    public TimeSpan Next()
    {
        var delay = _next ?? baseDelay;
        _next = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxDelay.Ticks));
        return delay;
    }

    public void Reset() => _next = null;
}
