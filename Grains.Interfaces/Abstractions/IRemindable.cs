namespace CustomerActors.Grains.Interfaces.Abstractions;

/// <summary>
/// A grain that keeps a durable due time with its state (like an Orleans reminder): the silo calls it when
/// that moment has come, even if the grain was idle or the silo restarted in between.
/// </summary>
public interface IRemindable
{
    /// <summary>The due moment <paramref name="dueAt"/> has come. The grain re-evaluates and writes its next due time.</summary>
    Task ReceiveReminderAsync(DateTimeOffset dueAt);
}
