using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scoring.Storage;

/// <summary>
/// A fixed-length key for a tuple of ids: channel ids can be long, and SQL Server caps index keys.
/// Each part is length-prefixed so ("a:b", "c") and ("a", "b:c") never collide.
/// </summary>
public static class CompositeKey
{
    public static string Of(params ReadOnlySpan<string> parts) => Convert.ToHexStringLower(Hash(parts));

    /// <summary>
    /// The SHA-256 of <c>"{length}:{part}\n"</c> for each part, as UTF-8 (a null part, allowed here, is written as
    /// <c>":\n"</c>). Computed in a buffer of its own: it runs for every chat turn, inside the single writer.
    /// </summary>
    public static byte[] Hash(params ReadOnlySpan<string?> parts)
    {
        var most = 0;
        foreach (var part in parts) most += 12 + Encoding.UTF8.GetMaxByteCount(part?.Length ?? 0); // 10 digits, ':' and '\n'
        byte[]? rented = null;
        Span<byte> text = most <= 1024 ? stackalloc byte[most] : (rented = ArrayPool<byte>.Shared.Rent(most));
        var length = 0;
        foreach (var part in parts)
        {
            if (part is not null)
            {
                part.Length.TryFormat(text[length..], out var digits, provider: CultureInfo.InvariantCulture);
                length += digits;
            }
            text[length++] = (byte)':';
            length += Encoding.UTF8.GetBytes(part, text[length..]);
            text[length++] = (byte)'\n';
        }
        var hash = SHA256.HashData(text[..length]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }
}
