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

    public static string ToText(DateTimeOffset value) => value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture);

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
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
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
