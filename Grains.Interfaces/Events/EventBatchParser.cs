using System.Text.Json;

namespace CustomerActors.Grains.Interfaces.Events;

/// <summary>
/// Splits a body into events: a JSON array of events, a single event object, or NDJSON (one event a line).
/// A body that is not JSON fails as a whole with the position; in NDJSON a malformed line is rejected on its own.
/// </summary>
public sealed class EventBatchParser(TransactionEventReader reader)
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public TransactionEventReader Reader => reader;

    public (EventBatch? Batch, BatchFailure? Failure) ParseJson(ReadOnlyMemory<byte> body, int maxEvents)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, new BatchFailure(BatchFailureKind.NotJson, DescribeSyntaxError(ex, lineOffset: 0)));
        }

        using (document)
        {
            var root = document.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    return (new EventBatch([reader.Read(root)]), null);
                case JsonValueKind.Array:
                    var count = root.GetArrayLength();
                    if (count > maxEvents)
                    {
                        return (null, TooMany(count, maxEvents));
                    }

                    var items = new List<EventReadResult>(count);
                    foreach (var element in root.EnumerateArray())
                    {
                        items.Add(reader.Read(element));
                    }

                    return (new EventBatch(items), null);
                default:
                    return (null, new BatchFailure(BatchFailureKind.WrongShape, "the body must be an event object or a JSON array of events"));
            }
        }
    }

    public (EventBatch? Batch, BatchFailure? Failure) ParseNdjson(ReadOnlyMemory<byte> body, int maxEvents)
    {
        var items = new List<EventReadResult>();
        var span = body.Span;
        var start = 0;
        var line = 0;
        while (start < span.Length)
        {
            line++;
            var length = span[start..].IndexOf((byte)'\n');
            var end = length < 0 ? span.Length : start + length;
            var slice = body[start..end];
            start = end + 1;

            if (slice.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            if (items.Count == maxEvents)
            {
                return (null, TooMany(items.Count + 1, maxEvents, atLeast: true));
            }

            try
            {
                using var document = JsonDocument.Parse(slice, DocumentOptions);
                items.Add(reader.Read(document.RootElement));
            }
            catch (JsonException ex)
            {
                items.Add(new EventReadResult(null, null, [new FieldError("$", $"line {line} is not valid JSON: {DescribeSyntaxError(ex, line - 1)}")]));
            }
        }

        return (new EventBatch(items), null);
    }

    private static BatchFailure TooMany(int count, int maxEvents, bool atLeast = false) =>
        new(BatchFailureKind.TooManyEvents, $"the body holds {(atLeast ? "more than " + maxEvents : count)} events; at most {maxEvents} are accepted in one request");

    private static string DescribeSyntaxError(JsonException ex, long lineOffset)
    {
        // JsonException line numbers and positions are zero-based.
        var line = (ex.LineNumber ?? 0) + lineOffset + 1;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        var reason = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd('.');
        return $"{reason} (line {line}, byte {column})";
    }
}
