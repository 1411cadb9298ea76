namespace CustomerActors.Runtime.Serialization;

/// <summary>
/// The strings a <see cref="CompactReader"/> met written out, which later references in the same payload point back to.
/// A reader makes its own list when it meets the first one, and a payload with a few dozen such strings (a customer's
/// event ids) grows it several times. A caller that reads payloads one after another on one thread lends the readers one
/// of these instead, which each reader clears when it starts. Never lend one to two readers in use at the same time.
/// </summary>
public sealed class CompactReadStrings
{
    internal List<(int Start, int Length, string? Value)> Items { get; } = [];
}
