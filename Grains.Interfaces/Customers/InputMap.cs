using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace CustomerActors.Grains.Interfaces.Customers;

/// <summary>
/// The inputs a rule decided on: a handful of named values in the order the rule gave them, held in one array
/// (a customer carries about twenty of these, and a dictionary each would be most of its memory). Lookups scan:
/// a rule has at most a few inputs.
/// </summary>
public sealed class InputMap : IReadOnlyDictionary<string, decimal>
{
    private readonly (string Name, decimal Value)[] _inputs;

    /// <param name="inputs">Taken as is, not copied: the caller hands it over.</param>
    public InputMap((string Name, decimal Value)[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        _inputs = inputs;
    }

    public static InputMap Empty { get; } = new([]);

    public int Count => _inputs.Length;

    /// <summary>The inputs in order, without an enumerator.</summary>
    public ReadOnlySpan<(string Name, decimal Value)> Entries => _inputs;

    /// <summary>
    /// The same names and values as <paramref name="other"/> in the same order, each value with the same scale (1.0 and
    /// 1.00 show differently).
    /// </summary>
    public bool SameAs(ReadOnlySpan<(string Name, decimal Value)> other)
    {
        if (other.Length != _inputs.Length)
        {
            return false;
        }

        for (var i = 0; i < _inputs.Length; i++)
        {
            if (!Same(_inputs[i], other[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One input against another: the same name, and the same value with the same scale.</summary>
    public static bool Same((string Name, decimal Value) input, (string Name, decimal Value) other) =>
        string.Equals(input.Name, other.Name, StringComparison.Ordinal) && input.Value == other.Value && input.Value.Scale == other.Value.Scale;

    public decimal this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No input '{key}'.");

    public IEnumerable<string> Keys => _inputs.Select(i => i.Name);

    public IEnumerable<decimal> Values => _inputs.Select(i => i.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out decimal value) => TryFind(_inputs, key, out value);

    /// <summary>The value of the input named <paramref name="key"/> among <paramref name="inputs"/>, by a scan.</summary>
    public static bool TryFind(ReadOnlySpan<(string Name, decimal Value)> inputs, string key, out decimal value)
    {
        foreach (var (name, input) in inputs)
        {
            if (string.Equals(name, key, StringComparison.Ordinal))
            {
                value = input;
                return true;
            }
        }

        value = default;
        return false;
    }

    public IEnumerator<KeyValuePair<string, decimal>> GetEnumerator()
    {
        foreach (var (name, value) in _inputs)
        {
            yield return new KeyValuePair<string, decimal>(name, value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
