namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>What is wrong with one field of an event. <see cref="Field"/> is the JSON property name.</summary>
public sealed record FieldError(string Field, string Message);
