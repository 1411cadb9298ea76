namespace CustomerActors.TestSupport;

/// <summary>Waits for a condition that becomes true asynchronously, failing with a message after a timeout.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Xunit.Assert.Fail($"Timed out waiting: {because}");
            }

            await Task.Delay(10);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Xunit.Assert.Fail($"Timed out waiting: {because}");
            }

            await Task.Delay(20);
        }
    }
}
