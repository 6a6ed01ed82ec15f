using System.Text.Json;
using System.Text.Json.Nodes;
using Scoring.Bot.Protocol;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Tests.Protocol;

public sealed class ReplyTests
{
    private static Activity Inbound(bool withRecipient = true) => new()
    {
        Type = ActivityTypes.Message,
        Id = "act|1:2",
        ChannelId = "msteams",
        ServiceUrl = "https://smba.example/apac/",
        Locale = "zh-CN",
        From = new ChannelAccount { Id = "29:user", Name = "应小喜" },
        Recipient = withRecipient ? new ChannelAccount { Id = "28:bot", Name = "Scoring" } : null,
        Conversation = new ConversationAccount { Id = "a:conv", TenantId = "t-1" },
        Text = "积分",
    };

    [Fact]
    public void A_reply_swaps_the_accounts_and_threads_under_the_inbound_activity()
    {
        var inbound = Inbound();

        var reply = Reply.To(inbound, "你的积分：12");

        Assert.Equal("message", reply.Type);
        Assert.Equal("28:bot", reply.From!.Id);
        Assert.Equal("29:user", reply.Recipient!.Id);
        Assert.Equal("a:conv", reply.Conversation!.Id);
        Assert.Equal("t-1", reply.Conversation.TenantId);
        Assert.Equal("act|1:2", reply.ReplyToId);
        Assert.Equal("zh-CN", reply.Locale);
        Assert.Equal("msteams", reply.ChannelId);
        Assert.Equal("https://smba.example/apac/", reply.ServiceUrl);
        Assert.Equal("你的积分：12", reply.Text);
    }

    [Fact]
    public void A_reply_to_a_client_that_sent_no_recipient_comes_from_the_default_bot_account()
    {
        var reply = Reply.To(Inbound(withRecipient: false), "hi");

        Assert.Equal(Reply.DefaultBotAccount().Id, reply.From!.Id);
    }

    [Fact]
    public void A_reply_does_not_share_account_objects_with_the_inbound_activity()
    {
        var inbound = Inbound();

        var reply = Reply.To(inbound, "x");
        reply.Recipient!.Name = "changed";

        Assert.Equal("应小喜", inbound.From!.Name);
    }

    [Fact]
    public void Suggested_actions_are_imBack_buttons_that_send_their_title()
    {
        var reply = Reply.To(Inbound(), "选一个").WithSuggestedActions("帮助", "积分");

        var written = JsonNode.Parse(ActivityJson.Serialize(reply))!;
        var actions = written["suggestedActions"]!["actions"]!.AsArray();
        Assert.Equal(["帮助", "积分"], actions.Select(a => (string)a!["value"]!));
        Assert.All(actions, a => Assert.Equal("imBack", (string)a!["type"]!));
        Assert.Equal("29:user", (string)written["suggestedActions"]!["to"]![0]!);
    }

    [Fact]
    public void A_button_made_again_sends_the_same_value_and_long_titles_are_kept_whole()
    {
        var longTitle = new string('租', 200);
        var first = Reply.ImBack("积分");
        var again = Reply.ImBack("积分");
        var other = Reply.ImBack("榜单", "list");

        Assert.Equal("积分", again.Value!.Value.GetString());
        Assert.Equal(first.Value!.Value.GetRawText(), again.Value.Value.GetRawText());
        Assert.Equal("list", other.Value!.Value.GetString());
        Assert.Equal(longTitle, Reply.ImBack(longTitle).Value!.Value.GetString());
        Assert.Equal("say \"hi\"", Reply.ImBack("say \"hi\"").Value!.Value.GetString());
    }

    [Fact]
    public void An_adaptive_card_is_attached_with_its_content_type()
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = "待核查" }),
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.Submit", ["title"] = "通过", ["data"] = new JsonObject { ["action"] = "approve" } }),
        };

        var reply = Reply.To(Inbound()).WithAdaptiveCard(card);

        var attachment = Assert.Single(reply.Attachments!);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        var written = JsonDocument.Parse(ActivityJson.Serialize(reply)).RootElement;
        Assert.Equal("待核查", written.GetProperty("attachments")[0].GetProperty("content").GetProperty("body")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void A_proactive_message_goes_to_the_stored_conversation_without_threading()
    {
        var reference = new ConversationReference("msteams", "29:user", "a:conv", "https://smba.example/",
            """{"id":"28:bot","name":"Scoring"}""", """{"id":"29:user","name":"应小喜"}""", "en-US", DateTimeOffset.UnixEpoch);

        var notice = Reply.Proactive(reference, "Your report was approved.");

        Assert.Null(notice.ReplyToId);
        Assert.Equal("a:conv", notice.Conversation!.Id);
        Assert.Equal("28:bot", notice.From!.Id);
        Assert.Equal("29:user", notice.Recipient!.Id);
        Assert.Equal("en-US", notice.Locale);
    }
}
