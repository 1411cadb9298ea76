namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>A parsed batch: every item in input order, valid or not, each with its index.</summary>
public sealed record EventBatch(IReadOnlyList<EventReadResult> Items)
{
    public IEnumerable<(int Index, TransactionEvent Event)> ValidEvents =>
        Items.Select((item, index) => (index, item.Event)).Where(x => x.Event is not null).Select(x => (x.index, x.Event!));
}

/// <summary>Why a whole body could not be read as events.</summary>
public enum BatchFailureKind
{
    /// <summary>The body is not JSON; <see cref="BatchFailure.Message"/> names the position.</summary>
    NotJson,
    /// <summary>The body holds more events than allowed.</summary>
    TooManyEvents,
    /// <summary>The body is JSON but neither an event object nor an array of them.</summary>
    WrongShape,
}

public sealed record BatchFailure(BatchFailureKind Kind, string Message);
