using CustomerActors.Grains.Interfaces.Events;

namespace CustomerActors.Silo.Ingestion;

/// <summary>An event that was not accepted: its position in the input, its id if it had one, and what is wrong.</summary>
public sealed record RejectedEvent(int Index, string? EventId, IReadOnlyList<FieldError> Errors);

/// <summary>The outcome of ingesting a batch: counts of new and duplicate events, and each rejected one.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<RejectedEvent> Rejected);
