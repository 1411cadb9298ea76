namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>The outcome of reading one event: the event, or the errors that name each bad field.</summary>
public sealed record EventReadResult(TransactionEvent? Event, string? EventId, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Event is not null;
}
