using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Scoring.Storage;

/// <summary>
/// Times are stored in UTC: as sortable ISO-8601 text in SQLite (which has no date type) and as
/// datetimeoffset in SQL Server. This handler does both directions for Dapper.
/// </summary>
public sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const int TextLength = 28; // what Format writes: 2026-11-18T01:30:00.0000000Z
    // Lazy, not a flag: a second caller must wait until the handler is in place, or Dapper compiles (and caches
    // for good) that caller's statements without it.
    private static readonly Lazy<bool> Registration = new(RegisterOnce);

    public static void Register() => _ = Registration.Value;

    private static bool RegisterOnce()
    {
        // Dapper sends types of its built-in map as they are and never asks a handler; without this, SQLite got
        // its own "yyyy-MM-dd HH:mm:ss+08:00" text in whatever offset the value had, which does not sort as instants.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
        SqlMapper.AddTypeHandler(new NullableHandler());
        return true;
    }

    /// <summary>
    /// An instant as SQLite stores it: <see cref="Format"/> in UTC. Written digit by digit (every statement with a time
    /// binds it, and the general formatter was ~5x slower); tests compare it with <c>ToString(Format)</c>.
    /// </summary>
    public static string ToText(DateTimeOffset value) => string.Create(TextLength, value.UtcDateTime, static (text, utc) =>
    {
        Digits(text[..4], utc.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = '.';
        Digits(text.Slice(20, 7), (int)(utc.Ticks % TimeSpan.TicksPerSecond));
        text[27] = 'Z';
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (char)('0' + value % 10);
    }

    /// <summary>
    /// Reads the text <see cref="ToText"/> writes without the general parser (a score card reads a few dozen times);
    /// false for any other text, which the general parser then reads.
    /// </summary>
    internal static bool TryParseStored(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length != TextLength || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || text[19] != '.' || text[27] != 'Z'
            || !Number(text, 0, 4, out var year) || !Number(text, 5, 2, out var month) || !Number(text, 8, 2, out var day)
            || !Number(text, 11, 2, out var hour) || !Number(text, 14, 2, out var minute) || !Number(text, 17, 2, out var second)
            || !Number(text, 20, 7, out var fraction)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks + fraction, TimeSpan.Zero);
        return true;
    }

    private static bool Number(string text, int start, int length, out int value)
    {
        value = 0;
        foreach (var c in text.AsSpan(start, length))
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = ToText(value);
        }
        else
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s => TryParseStored(s, out var stored) ? stored
            : DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        _ => throw new DataException($"Cannot read a time from {value.GetType().Name}."),
    };

    private sealed class NullableHandler : SqlMapper.TypeHandler<DateTimeOffset?>
    {
        private static readonly DateTimeOffsetHandler Inner = new();
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset? value)
        {
            if (value is { } v) Inner.SetValue(parameter, v);
            else parameter.Value = DBNull.Value;
        }
        public override DateTimeOffset? Parse(object value) => value is null or DBNull ? null : Inner.Parse(value);
    }
}
