using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Scoring.Bot.Protocol;

/// <summary>How activities are read from and written to the wire.</summary>
public static class ActivityJson
{
    // The serialiser's own converters throughout: how activities are read, and what ActivityWriter writes as.
    private static readonly JsonSerializerOptions Plain = CreateOptions();

    /// <summary>The same options with only the serialiser's own converters (a test holds ActivityWriter to them).</summary>
    internal static JsonSerializerOptions PlainOptions => Plain;

    /// <summary>camelCase, nulls left out, names matched without regard to case (channels differ).</summary>
    public static JsonSerializerOptions Options { get; } = WithWriter(Plain);

    public static Activity? Parse(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize<Activity>(utf8, Plain);

    public static Activity? Parse(string json) => JsonSerializer.Deserialize<Activity>(json, Plain);

    public static string Serialize(Activity activity) => JsonSerializer.Serialize(activity, Options);

    /// <summary>Activities as a JSON array (replies as recorded and as answered with <c>expectReplies</c>).</summary>
    public static string SerializeAll(IReadOnlyList<Activity> activities) => JsonSerializer.Serialize(activities, Options);

    /// <summary>Activities as a JSON array in UTF-8, as <see cref="SerializeAll"/> spells it: how replies are recorded and answered.</summary>
    public static byte[] SerializeAllUtf8(IReadOnlyList<Activity> activities) => JsonSerializer.SerializeToUtf8Bytes(activities, Options);

    /// <summary>
    /// The length of the body of an <c>expectReplies</c> answer, <c>{"activities":[…]}</c> (the Bot Framework's
    /// ExpectedReplies), around activities already serialised by <see cref="SerializeAllUtf8"/>.
    /// </summary>
    public static int ExpectedRepliesLength(ReadOnlySpan<byte> activitiesJson) => ExpectedRepliesHead.Length + activitiesJson.Length + 1;

    /// <summary>Writes that body into <paramref name="body"/> (the response's own buffer), <see cref="ExpectedRepliesLength"/> bytes long.</summary>
    public static void WriteExpectedReplies(ReadOnlySpan<byte> activitiesJson, Span<byte> body)
    {
        ExpectedRepliesHead.CopyTo(body);
        activitiesJson.CopyTo(body[ExpectedRepliesHead.Length..]);
        body[^1] = (byte)'}';
    }

    private static ReadOnlySpan<byte> ExpectedRepliesHead => "{\"activities\":"u8;

    /// <summary>The body of an <c>expectReplies</c> answer around activities not serialised before, written as UTF-8 at once.</summary>
    public static byte[] ExpectedReplies(IReadOnlyList<Activity> activities) =>
        JsonSerializer.SerializeToUtf8Bytes(new ExpectedRepliesBody(activities), Options);

    private sealed record ExpectedRepliesBody(IReadOnlyList<Activity> Activities);

    private static JsonSerializerOptions WithWriter(JsonSerializerOptions plain)
    {
        var options = new JsonSerializerOptions(plain);
        options.Converters.Add(new ActivityWriter(plain));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Chinese text stays readable in stored JSON and on the wire.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>
/// Receivers must not reject an activity for its timestamp (A2042): an unreadable one becomes null.
/// </summary>
internal sealed class LenientTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value))
        {
            return value;
        }
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }
        reader.Skip();
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
