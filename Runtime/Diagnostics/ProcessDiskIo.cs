using System.Globalization;

namespace CustomerActors.Runtime.Diagnostics;

/// <summary>
/// Bytes this process has caused to be read from and written to storage devices, from Linux's <c>/proc/self/io</c>
/// (<c>read_bytes</c> and <c>write_bytes</c>: what reached the block devices, including the write-back of pages the
/// process dirtied, not what only passed through the page cache). The embedded store's write volume: a commit writes
/// every page it dirtied to the write-ahead log, and a checkpoint writes it again into the database file.
/// </summary>
public static class ProcessDiskIo
{
    private const string Source = "/proc/self/io";

    /// <summary>The counters so far, or null where the system does not keep them (not Linux, or not readable here).</summary>
    public static DiskIo? Read()
    {
        try
        {
            return File.Exists(Source) ? Parse(File.ReadAllText(Source)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the <c>read_bytes</c> and <c>write_bytes</c> lines of the file's text; null if either is missing.</summary>
    public static DiskIo? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long? read = null, written = null;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || !long.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line[..colon])
            {
                case "read_bytes":
                    read = value;
                    break;
                case "write_bytes":
                    written = value;
                    break;
            }
        }

        return read is { } r && written is { } w ? new DiskIo(r, w) : null;
    }
}

/// <summary>Bytes read from and written to storage devices so far.</summary>
public sealed record DiskIo(long ReadBytes, long WrittenBytes);
