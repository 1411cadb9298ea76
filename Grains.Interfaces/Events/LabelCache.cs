using System.Text;
using System.Text.Json;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>
/// The first <see cref="Capacity"/> distinct short labels read (channels, industries, regions), so that events naming the
/// same one share a string instead of each holding its own until its batch is durable. Thread-safe: readers scan an
/// immutable snapshot; a label is added under a lock. Beyond the capacity, labels are simply not shared.
/// </summary>
internal sealed class LabelCache
{
    public const int Capacity = 64;

    private readonly Lock _lock = new();
    private (byte[] Utf8, string Text)[] _labels = [];

    /// <summary>The cached string equal to the JSON string <paramref name="value"/>, or null (not a string, or not cached).</summary>
    public string? Find(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        foreach (var (utf8, text) in Volatile.Read(ref _labels))
        {
            if (value.ValueEquals(utf8))
            {
                return text;
            }
        }

        return null;
    }

    /// <summary>Caches <paramref name="text"/> while there is room, and returns the instance to use for it.</summary>
    public string Add(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            foreach (var (_, cached) in _labels)
            {
                if (string.Equals(cached, text, StringComparison.Ordinal))
                {
                    return cached;
                }
            }

            if (_labels.Length < Capacity)
            {
                Volatile.Write(ref _labels, [.. _labels, (Encoding.UTF8.GetBytes(text), text)]);
            }

            return text;
        }
    }
}
