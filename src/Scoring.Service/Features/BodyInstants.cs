using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Scoring.Service.Features;

/// <summary>
/// A body's value refused while it was read, for what it says rather than its kind (<c>code</c> invalid-input, and the
/// field it is in): the reader stops there, so say why in both languages.
/// </summary>
public sealed class BodyValueRefused(string value, string message, string messageZh) : JsonException(message)
{
    public string Value { get; } = value;
    public string MessageZh { get; } = messageZh;
}

/// <summary>
/// Instants in a body (a report's <c>occurredAt</c>) are RFC 3339 date-times, with their offset (<c>+08:00</c>) or <c>Z</c>.
/// One without (<c>2026-11-22T20:00:00</c>, a browser's datetime-local) would be read in the host machine's time zone —
/// a report scored in one week on a server in China and in the next in a UTC container — so it is refused, saying to
/// give the offset. Written as the serialiser writes them.
/// </summary>
public sealed class BodyInstants : System.Text.Json.Serialization.JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The reader's DateTime keeps whether the text had an offset (Local), Z (Utc) or neither (Unspecified).
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var read) && read.Kind == DateTimeKind.Unspecified)
            throw new BodyValueRefused(reader.GetString()!,
                "a date and time needs its offset, e.g. 2026-11-22T20:00:00+08:00 (or Z for UTC): a time without one is not read in any time zone.",
                "日期时间须写明时区偏移，如 2026-11-22T20:00:00+08:00（UTC 时间写 Z）；不带偏移的时间无法确定是哪个时区的。");
        return reader.GetDateTimeOffset();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>
    /// The OpenAPI generator cannot see into a converter of ours and would document every instant as a bare format: they
    /// are still RFC 3339 strings (null where the type allows it), as the serialiser's own converter has them.
    /// </summary>
    internal static void KeepDocumented(IServiceCollection services) =>
        services.Configure<OpenApiOptions>(ApiDocs.DocumentName, o => o.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;
            if (type == typeof(DateTimeOffset)) schema.Type = JsonSchemaType.String;
            else if (type == typeof(DateTimeOffset?)) schema.Type = JsonSchemaType.Null | JsonSchemaType.String;
            return Task.CompletedTask;
        }));
}
