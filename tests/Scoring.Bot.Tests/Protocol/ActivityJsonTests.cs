using System.Text.Json;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Protocol;

public sealed class ActivityJsonTests
{
    [Fact]
    public void Unknown_fields_survive_a_round_trip()
    {
        var activity = ActivityJson.Parse("""
            {"type":"message","id":"1","channelId":"msteams","from":{"id":"u","tenantHint":"x"},
             "conversation":{"id":"c","extraThing":[1,2]},"serviceUrl":"https://smba.example/","text":"hi",
             "futureField":{"nested":true}}
            """)!;

        var written = JsonDocument.Parse(ActivityJson.Serialize(activity)).RootElement;

        Assert.True(written.GetProperty("futureField").GetProperty("nested").GetBoolean());
        Assert.Equal("x", written.GetProperty("from").GetProperty("tenantHint").GetString());
        Assert.Equal(2, written.GetProperty("conversation").GetProperty("extraThing").GetArrayLength());
    }

    [Fact]
    public void An_offline_direct_line_activity_without_recipient_timestamp_or_locale_is_read()
    {
        var activity = ActivityJson.Parse("""
            {"type":"message","id":"abc","channelId":"emulator","serviceUrl":"http://127.0.0.1:3000",
             "from":{"id":"dl_user","name":"User"},"conversation":{"id":"conv-1"},"text":"积分"}
            """)!;

        Assert.Null(activity.Recipient);
        Assert.Null(activity.Timestamp);
        Assert.Null(activity.Locale);
        Assert.Equal("积分", activity.Text);
    }

    [Fact]
    public void An_unreadable_timestamp_becomes_null_instead_of_failing_the_activity()
    {
        var activity = ActivityJson.Parse("""{"type":"message","timestamp":"yesterday-ish","localTimestamp":42}""")!;

        Assert.Null(activity.Timestamp);
        Assert.Null(activity.LocalTimestamp);
    }

    [Fact]
    public void A_card_submit_is_a_message_with_a_value_and_no_text()
    {
        var activity = ActivityJson.Parse("""
            {"type":"message","value":{"action":"approve","eventId":"E-1","reason":""},"channelData":{"postBack":true}}
            """)!;

        Assert.True(activity.IsCardSubmit);
        Assert.Equal("approve", activity.Value!.Value.GetProperty("action").GetString());
        Assert.True(activity.ChannelData!.Value.GetProperty("postBack").GetBoolean());
    }

    [Fact]
    public void A_typed_message_is_not_a_card_submit()
    {
        Assert.False(ActivityJson.Parse("""{"type":"message","text":"help"}""")!.IsCardSubmit);
        Assert.False(ActivityJson.Parse("""{"type":"message","text":"help","value":null}""")!.IsCardSubmit);
    }

    [Fact]
    public void Delivery_mode_expect_replies_is_recognised()
    {
        Assert.True(ActivityJson.Parse("""{"type":"message","deliveryMode":"expectReplies"}""")!.ExpectsReplies);
        Assert.False(ActivityJson.Parse("""{"type":"message","deliveryMode":"normal"}""")!.ExpectsReplies);
        Assert.False(ActivityJson.Parse("""{"type":"message"}""")!.ExpectsReplies);
    }

    [Fact]
    public void Nulls_are_left_out_and_chinese_stays_readable_when_written()
    {
        var json = ActivityJson.Serialize(new Activity { Type = "message", Text = "你好" });

        Assert.Equal("""{"type":"message","text":"你好"}""", json);
    }

    [Fact]
    public void An_expect_replies_body_holds_only_the_activities_array_as_serialised()
    {
        var replies = new List<Activity>
        {
            new() { Type = "message", Text = "已登记：租客0 按时上报，不扣分。\n当前积分：12", ReplyToId = "a\"1" },
            new() { Type = "typing" },
        };

        var body = JsonDocument.Parse(RecordedBody(ActivityJson.SerializeAllUtf8(replies))).RootElement;

        Assert.Equal(["activities"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(replies.Select(ActivityJson.Serialize), body.GetProperty("activities").EnumerateArray().Select(a => a.GetRawText()));
        Assert.Equal("已登记：租客0 按时上报，不扣分。\n当前积分：12", body.GetProperty("activities")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void An_expect_replies_body_written_from_the_activities_is_the_same_bytes_as_from_their_recorded_json()
    {
        var replies = new List<Activity>
        {
            new() { Type = "message", Text = "已登记：租客0 按时上报，不扣分。\n当前积分：12", ReplyToId = "a\"1" },
            new() { Type = "typing" },
        };

        Assert.Equal(RecordedBody(ActivityJson.SerializeAllUtf8(replies)), ActivityJson.ExpectedReplies(replies));
    }

    [Fact]
    public void Replies_recorded_in_UTF_8_spell_what_their_string_spelt()
    {
        // Records written before the replies were kept as UTF-8 are read and answered alike.
        var replies = new List<Activity> { new() { Type = "message", Text = "已登记：租客0 按时上报。\n\"引号\" <b>", Locale = "zh-CN" } };

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(ActivityJson.SerializeAll(replies)), ActivityJson.SerializeAllUtf8(replies));
    }

    /// <summary>The body the endpoint writes into its response around recorded replies.</summary>
    private static byte[] RecordedBody(byte[] activitiesJson)
    {
        var body = new byte[ActivityJson.ExpectedRepliesLength(activitiesJson)];
        ActivityJson.WriteExpectedReplies(activitiesJson, body);
        return body;
    }
}
