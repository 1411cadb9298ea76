using System.Globalization;

namespace CustomerActors.Gateway.Api;

/// <summary>Reads query parameters, collecting an error per bad one so a single 400 names them all.</summary>
internal sealed class QueryParameters
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public bool IsValid => Errors.Count == 0;

    public int PageSize(string? limit)
    {
        if (limit is null)
        {
            return DefaultPageSize;
        }

        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize)
        {
            return size;
        }

        Errors["limit"] = [$"must be a whole number from 1 to {MaxPageSize}"];
        return DefaultPageSize;
    }

    /// <summary>A positive position (a <c>before</c> or <c>after</c> cursor); <paramref name="allowZero"/> for <c>after=0</c>.</summary>
    public long? Position(string name, string? value, bool allowZero = false)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var position) && (position >= 1 || (allowZero && position == 0)))
        {
            return position;
        }

        Errors[name] = [$"must be a {(allowZero ? "non-negative" : "positive")} whole number: the cursor of the previous page"];
        return null;
    }

    public DateTimeOffset? Timestamp(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return timestamp;
        }

        Errors[name] = ["must be an ISO 8601 timestamp, e.g. 2026-11-22T10:00:00Z"];
        return null;
    }

    public string? OneOf(string name, string? value, IReadOnlyList<string> allowed)
    {
        if (value is null || allowed.Contains(value))
        {
            return value;
        }

        Errors[name] = [$"must be one of {string.Join(", ", allowed)}"];
        return null;
    }

    public void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            Errors[name] = [message];
        }
    }
}
