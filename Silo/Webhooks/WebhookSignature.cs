using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CustomerActors.Silo.Webhooks;

/// <summary>
/// The webhook signature: <c>sha256=</c> and the lowercase hex HMAC-SHA256, keyed by the subscriber's secret,
/// of <c>{timestamp}.{body}</c>, where timestamp is the <c>X-CustomerActors-Timestamp</c> header (Unix seconds).
/// Receivers recompute it, compare in constant time, and reject old timestamps (replays).
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "X-CustomerActors-Id";
    public const string TopicHeader = "X-CustomerActors-Topic";
    public const string TimestampHeader = "X-CustomerActors-Timestamp";
    public const string SignatureHeader = "X-CustomerActors-Signature";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: the signature matches and the timestamp is within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string secret, string timestampHeader, string signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || (now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > tolerance)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)), Encoding.ASCII.GetBytes(signatureHeader));
    }
}
