using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scoring.Storage.Outbox;

/// <summary>
/// Instants as each dialect stores them: ISO-8601 UTC text with milliseconds in SQLite (so text
/// order is time order), datetimeoffset in SQL Server.
/// </summary>
internal static class StoredInstant
{
    private const string SqliteFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static object ToParameter(StorageProvider provider, DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return provider == StorageProvider.SqlServer
            ? new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero)
            : utc.ToString(SqliteFormat, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset? FromColumn(object? value) => value switch
    {
        null or DBNull => null,
        DateTimeOffset instant => instant.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidCastException($"Cannot read an instant from {value.GetType().Name}."),
    };
}

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
