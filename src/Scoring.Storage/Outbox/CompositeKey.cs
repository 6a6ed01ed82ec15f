using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scoring.Storage.Outbox;

/// <summary>
/// A fixed-length key for a tuple of ids: channel ids can be long, and SQL Server caps index keys.
/// Each part is length-prefixed so ("a:b", "c") and ("a", "b:c") never collide.
/// </summary>
internal static class CompositeKey
{
    public static string Of(params string[] parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
