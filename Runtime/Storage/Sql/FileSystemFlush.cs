using System.Runtime.InteropServices;

namespace CustomerActors.Runtime.Storage.Sql;

/// <summary>
/// Flushes a file system's written data to its device (Linux <c>syncfs</c>), through a descriptor of a directory on
/// it. Never through a descriptor of the database file itself: closing any descriptor of a file drops every POSIX
/// lock the process holds on it, SQLite's included.
/// </summary>
internal static partial class FileSystemFlush
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux

    /// <summary>Flushes the file system holding <paramref name="directory"/>; false where that is not available.</summary>
    public static bool TryFlush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var descriptor = Open(directory, ReadOnly | Directory);
        if (descriptor < 0)
        {
            return false;
        }

        try
        {
            return SyncFs(descriptor) == 0;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "syncfs")]
    private static partial int SyncFs(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
