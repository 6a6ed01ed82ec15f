using System.Text.Json;
using CsCheck;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Protocol;

/// <summary>Activities are written field by field (ActivityWriter); the bytes must be the serialiser's own, whatever is set.</summary>
public class ActivityWriterTests
{
    private static Gen<T> OneOf<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    private static readonly Gen<string?> Text = Gen.OneOf(
        Gen.Const((string?)null), Gen.Const((string?)""), Gen.String.Select(s => (string?)s),
        OneOf<string?>("已登记：租客0 11月18日 08:00 到达", "a\"b\\c\n<b>&'", "\u2028\u0001😀", "积分"));

    private static readonly Gen<JsonElement?> Element = OneOf<JsonElement?>(
        null, JsonSerializer.SerializeToElement("返回"), JsonSerializer.SerializeToElement(12),
        JsonDocument.Parse("""{"kind":"return","n":[1,2,{"x":null}],"名":"王"}""").RootElement);

    private static readonly Gen<Dictionary<string, JsonElement>?> Extra = Gen.OneOf(
        Gen.Const((Dictionary<string, JsonElement>?)null),
        Gen.Const((Dictionary<string, JsonElement>?)new Dictionary<string, JsonElement>()),
        Gen.Select(OneOf("tenantRegion", "名字", "x\"y"), Element).Select((k, v) =>
            (Dictionary<string, JsonElement>?)new Dictionary<string, JsonElement> { [k] = v ?? JsonSerializer.SerializeToElement(true) }));

    private static readonly Gen<ChannelAccount?> Account = Gen.Select(Text, Text, Text, Text, Extra, Gen.Int[0, 4]).Select((id, name, aad, role, extra, none) =>
        none == 0 ? null : new ChannelAccount { Id = id, Name = name, AadObjectId = aad, Role = role, Extra = extra });

    private static readonly Gen<ConversationAccount?> Conversation = Gen.Select(Text, Text, OneOf<bool?>(null, true, false), Text, Text, Extra)
        .Select((id, name, group, type, tenant, extra) => (ConversationAccount?)new ConversationAccount
        {
            Id = id, Name = name, IsGroup = group, ConversationType = type, TenantId = tenant, AadObjectId = tenant, Role = type, Extra = extra,
        });

    private static readonly Gen<CardAction?> Button = Gen.Select(Text, Text, Text, Element, Element, Extra, Gen.Int[0, 6]).Select((type, title, text, value, data, extra, none) =>
        none == 0 ? null : new CardAction { Type = type, Title = title, Image = text, Text = text, DisplayText = title, Value = value, ChannelData = data, Extra = extra });

    private static readonly Gen<SuggestedActions?> Suggested = Gen.Select(Gen.Int[0, 3], Text.List[0, 2], Button.List[0, 7], Extra).Select((none, to, actions, extra) =>
        none == 0 ? null : new SuggestedActions { To = none == 1 ? null : to.ConvertAll(x => x!), Actions = actions.ConvertAll(x => x!), Extra = extra });

    private static readonly Gen<DateTimeOffset?> Time = Gen.OneOf(
        Gen.Const((DateTimeOffset?)null),
        Gen.Long[0, 3_000_000_000_000].Select(ms => (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(8))));

    private static readonly Gen<Activity> AnyActivity =
        Gen.Select(Gen.Select(Text, Text, Time, Time, Text, Text, Text), Gen.Select(Account, Conversation, Account, Account.List[0, 2], Suggested, Extra),
                Gen.Select(Text, Text, Element, Element, Element, Gen.Int[0, 2]))
            .Select((head, people, tail) => new Activity
            {
                Type = head.Item1, Id = head.Item2, Timestamp = head.Item3, LocalTimestamp = head.Item4, LocalTimezone = head.Item5,
                ServiceUrl = head.Item6, ChannelId = head.Item7,
                From = people.Item1, Conversation = people.Item2, Recipient = people.Item3,
                MembersAdded = people.Item4.Count == 0 ? null : people.Item4.ConvertAll(x => x!), MembersRemoved = people.Item4.Count == 1 ? people.Item4.ConvertAll(x => x!) : null,
                SuggestedActions = people.Item5, Extra = people.Item6,
                TextFormat = tail.Item1, AttachmentLayout = tail.Item2, Locale = tail.Item1, Text = tail.Item2, Speak = tail.Item1,
                InputHint = tail.Item2, Summary = tail.Item1, ReplyToId = tail.Item2, Name = tail.Item1, ValueType = tail.Item2,
                DeliveryMode = tail.Item1, ChannelData = tail.Item3, Value = tail.Item4, RelatesTo = tail.Item5,
                Entities = tail.Item6 == 0 ? null : tail.Item3 is { } e ? [e, e] : [],
                Attachments = tail.Item6 == 2 ? [new Attachment { ContentType = "application/vnd.microsoft.card.adaptive", Content = tail.Item4, Name = tail.Item1 }] : null,
            });

    [Fact]
    public void An_activity_is_written_as_the_serialiser_writes_it()
    {
        AnyActivity.Sample(a => JsonSerializer.Serialize(a, ActivityJson.Options) == JsonSerializer.Serialize(a, ActivityJson.PlainOptions), iter: 5_000);
    }

    [Fact]
    public void Replies_and_the_expect_replies_body_are_written_as_the_serialiser_writes_them()
    {
        AnyActivity.List[0, 3].Sample(replies =>
            ActivityJson.SerializeAllUtf8(replies).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(replies, ActivityJson.PlainOptions)), iter: 1_000);
    }

    [Fact]
    public void A_written_activity_reads_back_through_the_same_options()
    {
        var reply = new Activity { Type = "message", Text = "已登记", Timestamp = new DateTimeOffset(2026, 11, 18, 9, 0, 0, TimeSpan.FromHours(8)) };

        var read = JsonSerializer.Deserialize<List<Activity>>(ActivityJson.SerializeAll([reply]), ActivityJson.Options)!.Single();

        Assert.Equal((reply.Type, reply.Text, reply.Timestamp), (read.Type, read.Text, read.Timestamp));
    }

    [Fact]
    public void An_activity_with_every_property_set_is_written_as_the_serialiser_writes_it_so_a_property_added_later_is_not_dropped()
    {
        // The generator above sets the properties known today; this one sets whatever the model has, found by reflection.
        var everything = (Activity)Filled(typeof(Activity), depth: 0)!;

        Assert.Equal(JsonSerializer.Serialize(everything, ActivityJson.PlainOptions), JsonSerializer.Serialize(everything, ActivityJson.Options));
    }

    private static object? Filled(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "v" + depth;
        if (type == typeof(bool)) return true;
        if (type == typeof(int) || type == typeof(long)) return Convert.ChangeType(7, type, System.Globalization.CultureInfo.InvariantCulture);
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(8));
        if (type == typeof(JsonElement)) return JsonSerializer.SerializeToElement(new { k = 1 });
        if (type == typeof(Dictionary<string, JsonElement>)) return new Dictionary<string, JsonElement> { ["extraField"] = JsonSerializer.SerializeToElement(1) };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(type)!;
            if (depth < 3) list.Add(Filled(type.GetGenericArguments()[0], depth + 1));
            return list;
        }
        if (depth >= 3 || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null) return null;
        var value = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties().Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
            property.SetValue(value, Filled(property.PropertyType, depth + 1));
        return value;
    }
}
