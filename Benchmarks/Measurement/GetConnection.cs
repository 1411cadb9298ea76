using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace CustomerActors.Benchmarks.Measurement;

/// <summary>
/// One keep-alive HTTP/1.1 connection that sends GET requests one at a time and reads each response whole: the
/// status line, the headers, then the body as framed by <c>Content-Length</c> or chunked transfer coding. A load
/// generator that shares two cores with what it measures must spend little per request; <see cref="HttpClient"/>
/// costs several times this (headers collections, a response object, content streams) and its share of the CPU
/// came out of the server's figure. Not a general client: no redirects, no TLS, no pipelining.
/// </summary>
internal sealed class GetConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly string _host;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly byte[] _request = new byte[4 * 1024];
    private int _start;
    private int _end;

    private GetConnection(Socket socket, string host)
    {
        _socket = socket;
        _host = host;
    }

    public static async Task<GetConnection> OpenAsync(Uri server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, cancellationToken).ConfigureAwait(false);
            return new GetConnection(socket, server.Authority);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <c>GET path</c> and reads the whole response; returns its status code.</summary>
    /// <exception cref="IOException">The connection closed or the response was not HTTP/1.1 as expected.</exception>
    public async Task<int> GetAsync(string path)
    {
        var length = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {_host}\r\n\r\n", _request);
        for (var sent = 0; sent < length;)
        {
            sent += await _socket.SendAsync(_request.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
        }

        var headersEnd = await FindAsync(HeaderEnd).ConfigureAwait(false);
        var (status, contentLength, chunked) = ParseHead(_buffer.AsSpan(_start, headersEnd - _start));
        _start = headersEnd + HeaderEnd.Length;
        if (chunked)
        {
            long size;
            do
            {
                var lineEnd = await FindAsync(LineEnd).ConfigureAwait(false);
                size = ParseChunkSize(_buffer.AsSpan(_start, lineEnd - _start));
                _start = lineEnd + LineEnd.Length;
                await SkipAsync(size).ConfigureAwait(false);
                await SkipAsync(LineEnd.Length).ConfigureAwait(false);   // the CRLF after the chunk (or the empty trailer line)
            }
            while (size > 0);
        }
        else
        {
            await SkipAsync(contentLength).ConfigureAwait(false);
        }

        return status;
    }

    public void Dispose() => _socket.Dispose();

    private static (int Status, long ContentLength, bool Chunked) ParseHead(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK"
        if (head.Length < 12 || !head.StartsWith("HTTP/1.1 "u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new IOException("Not an HTTP/1.1 response: " + Encoding.ASCII.GetString(head[..Math.Min(head.Length, 40)]));
        }

        long contentLength = 0;
        var chunked = false;
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                contentLength = Utf8Parser.TryParse(value, out long parsed, out _) ? parsed : throw new IOException("Bad Content-Length");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
        }

        return (status, contentLength, chunked);
    }

    private static long ParseChunkSize(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var digits = Encoding.ASCII.GetString(semicolon >= 0 ? line[..semicolon] : line).Trim();
        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) && size >= 0
            ? size
            : throw new IOException($"Bad chunk size '{digits}'");
    }

    /// <summary>Reads until the buffer holds <paramref name="marker"/> after the read position; returns its index.</summary>
    private async ValueTask<int> FindAsync(byte[] marker)
    {
        var searched = 0;   // relative to the read position, which a fill moves
        while (true)
        {
            var found = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf(marker);
            if (found >= 0)
            {
                return _start + searched + found;
            }

            searched = Math.Max(0, _end - _start - marker.Length + 1);
            await FillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Consumes <paramref name="count"/> bytes (a body, a chunk), reading as needed.</summary>
    private async ValueTask SkipAsync(long count)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync().ConfigureAwait(false);
            }

            var taken = (int)Math.Min(count, _end - _start);
            _start += taken;
            count -= taken;
        }
    }

    /// <summary>Moves unread bytes to the front and reads more after them; positions are reset to the front.</summary>
    private async ValueTask FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new IOException("Response headers larger than the buffer");
        }

        var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("The server closed the connection");
        }

        _end += read;
    }
}
