using System.Buffers;

namespace CustomerActors.Gateway.Api;

/// <summary>
/// A request body read into an array rented from the shared pool and returned on dispose: a batch of thousands of
/// events is megabytes, and a fresh array that size each request lands on the large object heap, where it costs a
/// full collection now and then.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private byte[] _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the whole body; <paramref name="sizeHint"/> (the Content-Length, when sent) sizes the first array.</summary>
    public static async Task<PooledBody> ReadAsync(Stream body, long? sizeHint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp((sizeHint ?? 0) + 1, 4096, Array.MaxLength));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new PooledBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
