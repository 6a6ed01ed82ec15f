using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scoring.Bot.Protocol;
using Scoring.Bot.Tests.World;
using Scoring.Bot.Turns;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Tests.Endpoint;

public sealed class BotEndpointTests
{
    private const string ServiceUrl = "http://127.0.0.1:9";

    internal static JsonObject Message(string text = "hello", string id = "act-1", string? deliveryMode = null) => new()
    {
        ["type"] = "message",
        ["id"] = id,
        ["channelId"] = "emulator",
        ["serviceUrl"] = ServiceUrl,
        ["from"] = new JsonObject { ["id"] = "user-1", ["name"] = "User" },
        ["conversation"] = new JsonObject { ["id"] = "conv-1" },
        ["recipient"] = new JsonObject { ["id"] = "bot-1", ["name"] = "Scoring" },
        ["locale"] = "en-US",
        ["text"] = text,
        ["deliveryMode"] = deliveryMode,
    };

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    /// <summary>Posts a body as the test built it (streamed without a length, with a byte order mark…).</summary>
    private static Task<HttpResponseMessage> PostRawAsync(BotApp app, HttpContent content)
    {
        content.Headers.ContentType = new("application/json");
        return app.Client.PostAsync("/api/messages", content);
    }

    private static async Task<List<JsonElement>> RepliesAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("activities").EnumerateArray().ToList();
    }

    [Theory]
    [InlineData("{\"type\": \"message\",")]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"message\"")]
    [InlineData("{\"type\": 42}")]
    [InlineData("")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        await using var app = await BotApp.StartAsync();

        var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        Assert.Equal((400, "activity-malformed"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_value_nested_deeper_than_the_reader_allows_is_a_400_not_a_stack_overflow()
    {
        await using var app = await BotApp.StartAsync();
        var body = Message().ToJsonString().TrimEnd('}') + ",\"value\":" + new string('[', 50_000) + new string(']', 50_000) + "}";

        var response = await app.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("activity-malformed", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_over_256_KB_is_a_413()
    {
        await using var app = await BotApp.StartAsync();

        var response = await app.PostAsync(Message(new string('x', 300 * 1024)).ToJsonString());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("activity-too-large", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_content_length_is_a_413_too()
    {
        await using var app = await BotApp.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Message(new string('x', 300 * 1024)).ToJsonString());
        using var content = new StreamContent(new NonSeekableStream(bytes));

        var response = await PostRawAsync(app, content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_without_a_content_length_is_read_whole_however_many_buffers_it_takes()
    {
        await using var app = await BotApp.StartAsync();
        // Well past the first 4 KB buffer, so reading it grows the buffer several times; a lost chunk would be malformed JSON.
        var bytes = Encoding.UTF8.GetBytes(Message("积分" + new string(' ', 100 * 1024), deliveryMode: "expectReplies").ToJsonString());
        using var content = new StreamContent(new NonSeekableStream(bytes), bufferSize: 1000);

        var response = await PostRawAsync(app, content);

        Assert.NotEmpty(await RepliesAsync(response));
    }

    [Fact]
    public async Task An_activity_missing_required_fields_is_a_400_naming_them()
    {
        await using var app = await BotApp.StartAsync();
        var activity = Message();
        activity.Remove("serviceUrl");
        activity["from"] = new JsonObject { ["name"] = "no id" };

        var response = await app.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await ProblemAsync(response);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Equal("activity-incomplete", problem.GetProperty("code").GetString());
        Assert.Contains("from.id", detail);
        Assert.Contains("serviceUrl", detail);
    }

    [Fact]
    public async Task A_service_url_that_is_not_http_is_a_400()
    {
        await using var app = await BotApp.StartAsync();
        var activity = Message();
        activity["serviceUrl"] = "file:///etc/passwd";

        var response = await app.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_conversation_update_with_no_members_added_is_answered_2xx_and_sends_nothing()
    {
        await using var app = await BotApp.StartAsync();
        var update = Message();
        update["type"] = "conversationUpdate";
        update.Remove("text");
        update["membersAdded"] = new JsonArray();

        var response = await app.PostAsync(update.ToJsonString());

        Assert.True(response.IsSuccessStatusCode);
        Assert.Null(await app.Outbox.NextDueAsync());
    }

    [Fact]
    public async Task A_conversation_update_is_answered_2xx_even_when_the_handler_fails()
    {
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(new FailingHandler()));
        var update = Message();
        update["type"] = "conversationUpdate";
        update["membersAdded"] = new JsonArray(new JsonObject { ["id"] = "user-1" });

        var response = await app.PostAsync(update.ToJsonString());

        Assert.True(response.IsSuccessStatusCode);
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("event")]
    [InlineData("messageReaction")]
    [InlineData("somethingInvented")]
    public async Task Typing_and_unknown_activity_types_are_ignored_with_200(string type)
    {
        var handler = new CountingHandler();
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(handler));
        var activity = Message();
        activity["type"] = type;

        var response = await app.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, handler.Calls);
    }

    [Theory]
    [InlineData("messageUpdate", false)]
    [InlineData("messageDelete", false)]
    [InlineData("messageUpdate", true)]
    public async Task An_edit_or_a_deletion_goes_to_the_handler_and_its_reply_goes_as_replies_go(string type, bool expectReplies)
    {
        var effects = new EffectCounter();
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(sp => new EffectCountingHandler(sp.GetRequiredService<TurnRecorder>(), effects)));
        var revision = Message(deliveryMode: expectReplies ? "expectReplies" : null);
        revision["type"] = type;

        var response = await app.PostAsync(revision.ToJsonString());

        Assert.Equal(1, effects.Count);
        if (expectReplies)
        {
            Assert.Equal("effect 1", Assert.Single(await RepliesAsync(response)).GetProperty("text").GetString());
            Assert.Null(await app.Outbox.NextDueAsync());
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Single(await app.Outbox.ClaimDueAsync("test", 10, TimeSpan.FromMinutes(1)));
        }
    }

    [Fact]
    public async Task The_stand_in_handler_does_not_echo_an_edit()
    {
        await using var app = await BotApp.StartAsync();
        var revision = Message();
        revision["type"] = "messageUpdate";

        var response = await app.PostAsync(revision.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await app.Outbox.NextDueAsync());
        Assert.NotNull(await app.Services.GetRequiredService<ConversationReferenceStore>().FindAsync("emulator", "user-1"));
    }

    [Fact]
    public async Task Removing_the_app_marks_the_senders_reference_unreachable_and_their_next_activity_clears_it()
    {
        await using var app = await BotApp.StartAsync();
        var references = app.Services.GetRequiredService<ConversationReferenceStore>();
        await app.PostAsync(Message().ToJsonString());
        var removed = Message();
        removed["type"] = "installationUpdate";
        removed["action"] = "remove";
        removed.Remove("text");

        var response = await app.PostAsync(removed.ToJsonString());
        var marked = (await references.FindAsync("emulator", "user-1"))!.UnreachableSince;
        var added = Message();
        added["type"] = "installationUpdate";
        added["action"] = "add";
        added.Remove("text");
        await app.PostAsync(added.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(marked);
        Assert.Null((await references.FindAsync("emulator", "user-1"))!.UnreachableSince);
    }

    [Fact]
    public async Task An_unknown_invoke_is_a_501()
    {
        await using var app = await BotApp.StartAsync();
        var invoke = Message();
        invoke["type"] = "invoke";
        invoke["name"] = "composeExtension/query";

        var response = await app.PostAsync(invoke.ToJsonString());

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("invoke-not-supported", (await ProblemAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Expect_replies_puts_the_replies_in_the_body_and_nothing_in_the_outbox()
    {
        await using var app = await BotApp.StartAsync();

        var response = await app.PostAsync(Message("积分", deliveryMode: "expectReplies").ToJsonString());

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal((await response.Content.ReadAsByteArrayAsync()).Length, response.Content.Headers.ContentLength);
        var reply = Assert.Single(await RepliesAsync(response));
        Assert.Equal("message", reply.GetProperty("type").GetString());
        Assert.Contains("积分", reply.GetProperty("text").GetString());
        Assert.Equal("act-1", reply.GetProperty("replyToId").GetString());
        Assert.Equal("user-1", reply.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("bot-1", reply.GetProperty("from").GetProperty("id").GetString());
        Assert.Null(await app.Outbox.NextDueAsync());
    }

    [Fact]
    public async Task A_normal_message_is_acknowledged_with_200_and_its_reply_waits_in_the_outbox()
    {
        await using var app = await BotApp.StartAsync();

        var response = await app.PostAsync(Message().ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var claimed = Assert.Single(await app.Outbox.ClaimDueAsync("test", 10, TimeSpan.FromMinutes(1)));
        Assert.Equal("act-1", claimed.ReplyToId);
        Assert.Equal("conv-1", claimed.ConversationId);
        Assert.Equal(ServiceUrl, claimed.ServiceUrl);
    }

    [Fact]
    public async Task A_redelivered_activity_changes_nothing_and_gets_the_same_answer()
    {
        var effects = new EffectCounter();
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(sp => new EffectCountingHandler(sp.GetRequiredService<TurnRecorder>(), effects)));
        var activity = Message("report", deliveryMode: "expectReplies").ToJsonString();

        var first = await RepliesAsync(await app.PostAsync(activity));
        var second = await RepliesAsync(await app.PostAsync(activity));

        Assert.Equal(1, effects.Count);
        Assert.Equal("effect 1", Assert.Single(first).GetProperty("text").GetString());
        Assert.Equal(first.Select(r => r.GetRawText()), second.Select(r => r.GetRawText()));
    }

    [Fact]
    public async Task Simultaneous_deliveries_of_one_activity_have_one_effect_and_one_answer()
    {
        var effects = new EffectCounter();
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(sp => new EffectCountingHandler(sp.GetRequiredService<TurnRecorder>(), effects)));
        var activity = Message("report", deliveryMode: "expectReplies").ToJsonString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () => await RepliesAsync(await app.PostAsync(activity)))));

        Assert.Equal(1, effects.Count);
        Assert.All(answers, replies => Assert.Equal("effect 1", Assert.Single(replies).GetProperty("text").GetString()));
    }

    [Fact]
    public async Task A_redelivered_activity_in_normal_mode_enqueues_no_second_reply()
    {
        await using var app = await BotApp.StartAsync();
        var activity = Message().ToJsonString();

        await app.PostAsync(activity);
        await app.PostAsync(activity);

        Assert.Single(await app.Outbox.ClaimDueAsync("test", 10, TimeSpan.FromMinutes(1)));
        Assert.Empty(await app.Outbox.ClaimDueAsync("test", 10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_failing_handler_becomes_an_apology_and_a_log_entry_without_what_the_user_wrote()
    {
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(new FailingHandler()));

        var response = await app.PostAsync(Message("my phone is 13800138000", deliveryMode: "expectReplies").ToJsonString());

        var apology = Assert.Single(await RepliesAsync(response));
        Assert.Contains("Sorry", apology.GetProperty("text").GetString());
        Assert.Contains(app.Log.Lines, e => e.Level == LogLevel.Error && e.ToString().Contains(nameof(InvalidOperationException)));
        Assert.DoesNotContain(app.Log.Texts, t => t.Contains("13800138000"));
    }

    [Fact]
    public async Task A_failing_handler_in_normal_mode_sends_the_apology_through_the_outbox_in_the_users_language()
    {
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(new FailingHandler()));
        var activity = Message("积分");
        activity["locale"] = "zh-CN";

        var response = await app.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var apology = Assert.Single(await app.Outbox.ClaimDueAsync("test", 10, TimeSpan.FromMinutes(1)));
        Assert.Contains("抱歉", apology.ActivityJson);
    }

    [Theory]
    [InlineData("fr-FR", "Sorry")]  // neither Chinese nor English: English, as every other reply
    [InlineData("zh-TW", "抱歉")]
    [InlineData(null, "抱歉")]      // no locale: Chinese first
    public async Task The_apology_picks_its_language_as_every_other_reply_does(string? locale, string expected)
    {
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(new FailingHandler()));
        var activity = Message("积分", deliveryMode: "expectReplies");
        activity["locale"] = locale;

        var apology = Assert.Single(await RepliesAsync(await app.PostAsync(activity.ToJsonString())));

        Assert.Contains(expected, apology.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unreachable_database_is_a_503_not_an_apology_even_when_the_fault_comes_wrapped(bool wrapped)
    {
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(new LockedDatabaseHandler(wrapped)));

        var response = await app.PostAsync(Message().ToJsonString());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.RetryAfter?.ToString());
        Assert.Equal("database-unavailable", (await ProblemAsync(response)).GetProperty("code").GetString());
        Assert.Null(await app.Outbox.NextDueAsync());
    }

    [Fact]
    public async Task An_offline_direct_line_message_without_recipient_or_timestamp_is_answered()
    {
        await using var app = await BotApp.StartAsync();
        var activity = Message(deliveryMode: "expectReplies");
        activity.Remove("recipient");
        activity.Remove("locale");

        var reply = Assert.Single(await RepliesAsync(await app.PostAsync(activity.ToJsonString())));

        Assert.Equal(Reply.DefaultBotAccount().Id, reply.GetProperty("from").GetProperty("id").GetString());
        Assert.Contains("你好", reply.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_body_with_a_byte_order_mark_is_read()
    {
        await using var app = await BotApp.StartAsync();
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Message(deliveryMode: "expectReplies").ToJsonString())).ToArray();
        using var content = new ByteArrayContent(bytes);

        var response = await PostRawAsync(app, content);

        Assert.Single(await RepliesAsync(response));
    }

    [Fact]
    public async Task Every_inbound_activity_refreshes_the_senders_conversation_reference()
    {
        await using var app = await BotApp.StartAsync();
        var typing = Message();
        typing["type"] = "typing";
        typing["serviceUrl"] = "http://127.0.0.1:7001";

        await app.PostAsync(Message().ToJsonString());
        var first = await app.Services.GetRequiredService<ConversationReferenceStore>().FindAsync("emulator", "user-1");
        await app.PostAsync(typing.ToJsonString());
        var second = await app.Services.GetRequiredService<ConversationReferenceStore>().FindAsync("emulator", "user-1");

        Assert.Equal(ServiceUrl, first!.ServiceUrl);
        Assert.Equal("conv-1", first.ConversationId);
        Assert.Equal("http://127.0.0.1:7001", second!.ServiceUrl);
        Assert.Contains("bot-1", second.BotAccountJson);
    }

    [Fact]
    public async Task A_turn_that_fails_still_leaves_where_to_reach_its_sender()
    {
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler, FailingHandler>());

        await app.PostAsync(Message().ToJsonString());

        Assert.Equal("conv-1", (await app.Services.GetRequiredService<ConversationReferenceStore>().FindAsync("emulator", "user-1"))?.ConversationId);
    }

    [Fact]
    public async Task A_turn_writes_its_senders_reference_with_its_answer_and_a_re_delivery_writes_neither_again_while_the_next_message_does()
    {
        var effects = new EffectCounter();
        await using var app = await BotApp.StartAsync(configure: s => s.AddSingleton<IActivityHandler>(sp => new EffectCountingHandler(sp.GetRequiredService<TurnRecorder>(), effects)));
        var store = app.Services.GetRequiredService<ConversationReferenceStore>();
        var activity = Message("report", deliveryMode: "expectReplies");

        await RepliesAsync(await app.PostAsync(activity.ToJsonString()));
        var written = await store.FindAsync("emulator", "user-1");
        activity["serviceUrl"] = "http://127.0.0.1:7002"; // the channel re-delivers from elsewhere
        await RepliesAsync(await app.PostAsync(activity.ToJsonString()));

        var afterRedelivery = await store.FindAsync("emulator", "user-1");
        activity["id"] = "a-new-message";
        await RepliesAsync(await app.PostAsync(activity.ToJsonString()));

        Assert.Equal(ServiceUrl, written?.ServiceUrl);
        Assert.Equal(ServiceUrl, afterRedelivery?.ServiceUrl);
        Assert.Equal(2, effects.Count);
        Assert.Equal("http://127.0.0.1:7002", (await store.FindAsync("emulator", "user-1"))?.ServiceUrl);
    }

    [Fact]
    public async Task A_sender_whose_account_changed_in_a_field_or_in_an_extra_property_has_the_reference_written_again_at_once()
    {
        await using var app = await BotApp.StartAsync();
        var store = app.Services.GetRequiredService<ConversationReferenceStore>();

        await app.PostAsync(Message(id: "m1").ToJsonString());
        var renamed = Message(id: "m2");
        renamed["from"] = new JsonObject { ["id"] = "user-1", ["name"] = "Renamed" };
        await app.PostAsync(renamed.ToJsonString());
        var afterRename = await store.FindAsync("emulator", "user-1");
        var extended = Message(id: "m3");
        extended["from"] = new JsonObject { ["id"] = "user-1", ["name"] = "Renamed", ["tenantRegion"] = "cn" };
        await app.PostAsync(extended.ToJsonString());

        Assert.Contains("Renamed", afterRename!.UserAccountJson);
        Assert.Contains("tenantRegion", (await store.FindAsync("emulator", "user-1"))!.UserAccountJson);
    }

    [Fact]
    public async Task An_unchanged_sender_is_not_written_again_for_a_while()
    {
        await using var app = await BotApp.StartAsync();
        var store = app.Services.GetRequiredService<ConversationReferenceStore>();
        await app.PostAsync(Message(id: "m1").ToJsonString());
        var first = await store.FindAsync("emulator", "user-1");

        await app.PostAsync(Message(id: "m2").ToJsonString());

        Assert.Equal(first!.UpdatedAt, (await store.FindAsync("emulator", "user-1"))!.UpdatedAt);
    }

    [Fact]
    public async Task A_group_conversation_does_not_become_where_a_person_gets_notices()
    {
        await using var app = await BotApp.StartAsync();
        var group = Message();
        group["conversation"] = new JsonObject { ["id"] = "19:group@thread.v2", ["isGroup"] = true };

        await app.PostAsync(group.ToJsonString());

        Assert.Null(await app.Services.GetRequiredService<ConversationReferenceStore>().FindAsync("emulator", "user-1"));
    }

    [Fact]
    public async Task Without_an_app_id_and_without_allowing_anonymous_use_the_endpoint_says_how_to_configure_it()
    {
        await using var app = await BotApp.StartAsync(settings: new Dictionary<string, string?>());

        var response = await app.PostAsync(Message().ToJsonString());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        var problem = await ProblemAsync(response);
        Assert.Contains("Bot:AllowUnauthenticated=true", problem.GetProperty("detail").GetString());
        Assert.Equal("bot-not-configured", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Replies_reach_the_connector_with_colons_and_pipes_in_ids_escaped()
    {
        await using var connector = await FakeConnector.StartAsync();
        await using var app = await BotApp.StartAsync(withSender: true);
        var activity = Message(id: "1234|5:6");
        activity["serviceUrl"] = connector.ServiceUrl;
        activity["conversation"] = new JsonObject { ["id"] = "a:1b2c|livechat" };

        var response = await app.PostAsync(activity.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (connector.Delivered.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var delivered = Assert.Single(connector.Delivered);
        Assert.Equal("/v3/conversations/a%3A1b2c%7Clivechat/activities/1234%7C5%3A6", delivered.RawTarget);
        Assert.Equal("a:1b2c|livechat", delivered.ConversationId);
        Assert.Null(delivered.Authorization);
    }

    private sealed class CountingHandler : IActivityHandler
    {
        private int calls;

        public int Calls => calls;

        public Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(TurnOutcome.Silent);
        }
    }

    private sealed class EffectCounter
    {
        private int count;

        public int Count => count;

        public int Increment() => Interlocked.Increment(ref count);
    }

    /// <summary>Follows the turn contract through <see cref="TurnRecorder.RunOnceAsync"/> and counts how often its effect ran.</summary>
    private sealed class EffectCountingHandler(TurnRecorder recorder, EffectCounter effects) : IActivityHandler
    {
        public Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct) =>
            recorder.RunOnceAsync(activity, expectReplies, _ =>
                Task.FromResult<IReadOnlyList<Activity>>([Reply.To(activity, $"effect {effects.Increment()}")]), ct);
    }

    private sealed class FailingHandler : IActivityHandler
    {
        public Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct) =>
            throw new InvalidOperationException($"Could not parse '{activity.Text}'");
    }

    private sealed class LockedDatabaseHandler(bool wrapped = false) : IActivityHandler
    {
        public Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct)
        {
            var locked = new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);
            throw wrapped ? new InvalidOperationException("a use case gave up", locked) : locked;
        }
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
