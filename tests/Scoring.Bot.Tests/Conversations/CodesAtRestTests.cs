using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Bot.Turns;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// An enrolment code binds whoever types it as the person: the database keeps it only as a hash, and a reply that carries
/// one is kept (for a redelivery, in the outbox) only sealed under a key the database does not hold — a backup or a
/// support dump hands out no live code.
/// </summary>
public sealed class CodesAtRestTests
{
    /// <summary>The bot's app password: every instance has it, the database does not.</summary>
    private static readonly IReadOnlyDictionary<string, string?> Registered = new Dictionary<string, string?>
    {
        ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
        ["Bot:MicrosoftAppPassword"] = "the-bot's-secret",
    };

    /// <summary>Every table's cell (text or bytes) that holds <paramref name="code"/>, as table.column.</summary>
    private static Task<List<string>> CellsHoldingAsync(ChatWorld world, string code) => world.Db.ReadAsync(async s =>
    {
        var found = new List<string>();
        foreach (var table in await s.Connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'"))
            foreach (IDictionary<string, object?> row in await s.Connection.QueryAsync($"SELECT * FROM \"{table}\""))
                foreach (var (column, value) in row)
                    if ((value is string text && text.Contains(code, StringComparison.Ordinal))
                        || (value is byte[] bytes && Encoding.UTF8.GetString(bytes).Contains(code, StringComparison.Ordinal)))
                        found.Add($"{table}.{column}");
        return found;
    });

    private static string CodeIn(string reply) => IssueCodeCommandTests.CodeIn(reply);

    [Fact]
    public async Task A_code_issued_in_chat_is_in_no_row_of_the_database_in_clear_neither_the_recorded_reply_nor_the_outbox()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");

        // Through the outbox, as most channels are answered; the second one answered in the response, as Direct Line asks.
        await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰"), expectReplies: false);
        var kept = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox"));
        var sent = CodeIn(string.Join("\n", kept.Select(world.Services.GetRequiredService<ReplySeal>().Open))); // as the sender sends it
        world.Clock.Advance(PlainRetry.Window);
        var answered = CodeIn(ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "发码 王秀兰")));

        Assert.Empty(await CellsHoldingAsync(world, sent));
        Assert.Empty(await CellsHoldingAsync(world, answered));
    }

    [Fact]
    public async Task A_redelivered_发码_answered_by_another_instance_gets_the_same_code_and_issues_none()
    {
        // A secretary on a flaky connection: the answer carrying the code was lost, and the channel sends the activity again
        // (to whichever instance). Only the answer can tell her the code.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");
        var first = CodeIn(ChatWorld.ActivityText(await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once"))));
        await using var other = world.AnotherInstance();

        var again = await other.GetRequiredService<IActivityHandler>().HandleAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once"), true, CancellationToken.None);

        Assert.Equal(first, CodeIn(ChatWorld.ActivityText(again.Replies)));
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM enrolment_codes WHERE person_id = 'landlord-2'")); // the demo's and one
    }

    [Fact]
    public async Task The_outbox_sends_the_code_from_another_instance_after_a_restart()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");
        await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰"), expectReplies: false);
        await using var other = world.AnotherInstance();

        var waiting = await other.GetRequiredService<Scoring.Storage.Outbox.OutboxStore>().ClaimDueAsync("other", 100, TimeSpan.FromMinutes(1));
        var onTheWire = waiting.Select(m => other.GetRequiredService<ReplySeal>().Open(m.ActivityJson, m.ChannelId, m.ConversationId)).ToList();

        Assert.Contains(onTheWire, json => IssueCodeCommandTests.BindCommandIn(json) is not null);
        Assert.DoesNotContain(waiting, m => IssueCodeCommandTests.BindCommandIn(m.ActivityJson) is not null);
    }

    [Fact]
    public async Task After_the_app_password_is_changed_with_the_old_one_kept_as_previous_a_redelivered_发码_still_gets_its_code()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");
        var first = CodeIn(ChatWorld.ActivityText(await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once"))));
        await using var rotated = world.AnotherInstance(settings: CodeHashesAtRestTests.RotatedKeepingThePrevious);

        var again = await rotated.GetRequiredService<IActivityHandler>().HandleAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once"), true, CancellationToken.None);

        Assert.Equal(first, CodeIn(ChatWorld.ActivityText(again.Replies)));
    }

    [Fact]
    public async Task After_the_app_password_is_changed_with_the_old_one_kept_as_previous_the_outbox_still_sends_the_code_kept_before()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");
        await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰"), expectReplies: false);
        await using var rotated = world.AnotherInstance(settings: CodeHashesAtRestTests.RotatedKeepingThePrevious);

        var waiting = await rotated.GetRequiredService<Scoring.Storage.Outbox.OutboxStore>().ClaimDueAsync("rotated", 100, TimeSpan.FromMinutes(1));
        var onTheWire = waiting.Select(m => rotated.GetRequiredService<ReplySeal>().Open(m.ActivityJson, m.ChannelId, m.ConversationId)).ToList();

        Assert.Contains(onTheWire, json => IssueCodeCommandTests.BindCommandIn(json) is not null);
    }

    [Fact]
    public async Task After_the_app_password_is_changed_without_keeping_the_old_one_the_outbox_sends_the_text_kept_instead()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");
        await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰"), expectReplies: false);
        await using var rotated = world.AnotherInstance(settings: new Dictionary<string, string?>
        {
            ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
            ["Bot:MicrosoftAppPassword"] = "the-bot's-next-secret",
        });

        var waiting = await rotated.GetRequiredService<Scoring.Storage.Outbox.OutboxStore>().ClaimDueAsync("rotated", 100, TimeSpan.FromMinutes(1));
        var onTheWire = waiting.Select(m => rotated.GetRequiredService<ReplySeal>().Open(m.ActivityJson, m.ChannelId, m.ConversationId)).ToList();

        Assert.DoesNotContain(onTheWire, json => IssueCodeCommandTests.BindCommandIn(json) is not null);
        Assert.Contains(onTheWire, json => json.Contains("服务器不保存明文", StringComparison.Ordinal)); // Withheld.Instead
    }

    [Fact]
    public async Task A_sealed_code_in_an_outbox_row_pointed_at_another_conversation_goes_there_only_as_the_text_kept_instead()
    {
        // The sender sends to the row's conversation_id, not to the conversation in the kept JSON: the seal is opened for
        // the conversation it is sent to, so a row rewritten to point elsewhere carries no code there.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("secretary-fangtang");
        await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰"), expectReplies: false);
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("UPDATE bot_outbox SET conversation_id = 'someone-elses'", transaction: s.Transaction));

        var waiting = await world.Services.GetRequiredService<Scoring.Storage.Outbox.OutboxStore>().ClaimDueAsync("me", 100, TimeSpan.FromMinutes(1));
        var onTheWire = waiting.Select(m => world.Services.GetRequiredService<ReplySeal>().Open(m.ActivityJson, m.ChannelId, m.ConversationId)).ToList();

        Assert.NotEmpty(onTheWire);
        Assert.DoesNotContain(onTheWire, json => IssueCodeCommandTests.BindCommandIn(json) is not null);
        Assert.Contains(onTheWire, json => json.Contains("服务器不保存明文", StringComparison.Ordinal)); // Withheld.Instead
    }

    [Fact]
    public async Task Without_the_key_a_redelivery_says_the_code_went_out_in_the_first_answer_and_how_to_get_it_again()
    {
        // Development without an app password: the key is the instance's own, gone with a restart.
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        var first = CodeIn(ChatWorld.ActivityText(await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once"))));
        await world.RestartAsync();

        var again = ChatWorld.ActivityText(await world.DeliverAsync(world.Message("secretary-fangtang", "发码 王秀兰", id: "issue-once")));

        Assert.DoesNotContain(first, again, StringComparison.Ordinal);
        Assert.Contains("王秀兰", again, StringComparison.Ordinal);
        Assert.Contains("发码 王秀兰", again, StringComparison.Ordinal);
        Assert.Contains("作废", again, StringComparison.Ordinal); // a new code voids the one sent before
    }

    [Fact]
    public async Task A_code_sent_to_an_account_asked_to_confirm_the_move_is_not_kept_in_clear_while_it_waits()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "gridworker-1")).Value!;

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "绑定"));
        asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", code.Code));
        var held = await CellsHoldingAsync(world, code.Code);
        var moved = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "确认改绑"));

        Assert.Contains("确认改绑", asked);
        Assert.Empty(held);
        Assert.Contains("改绑成功", moved);
    }

    [Fact]
    public async Task A_code_kept_as_typed_by_an_instance_not_yet_upgraded_still_binds_on_confirmation()
    {
        // A rolling upgrade: the question was asked by an instance that kept the code as typed, the confirmation reaches one
        // that keeps its hash. Read as a hash it was a wrong code, counted towards the hour's lockout.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "gridworker-1")).Value!;
        await world.SayAsync("landlord-1", "绑定");
        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", code.Code));
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync(
            "UPDATE chat_dialogs SET values_json = @kept WHERE user_id = @user", new { kept = $"{{\"code\":\"{code.Code.ToLowerInvariant()}\"}}", user = ChatWorld.UserOf("landlord-1") }, s.Transaction));

        var moved = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "确认改绑"));

        Assert.Contains("确认改绑", asked);
        Assert.Contains("改绑成功", moved);
    }

    [Theory]
    [InlineData("{0}")]              // not understood, quoted back
    [InlineData("我的码是{0}，怎么用")]
    [InlineData("{0} {1}")]          // two live codes in one message: both quoted back
    public async Task A_live_code_typed_without_绑定_and_quoted_back_is_kept_in_no_row_in_clear(string text)
    {
        // A landlord who is also a shop head types the new slip's code alone: the reply that quotes it is kept sealed.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = world.CodeOf("landlord-2");
        var another = world.CodeOf("gridworker-1");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(world.Message("landlord-1", string.Format(text, code, another)), expectReplies: false));

        Assert.Empty(await CellsHoldingAsync(world, code));
        Assert.Empty(await CellsHoldingAsync(world, another));
        var sent = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox"));
        Assert.Contains(sent, json => world.Services.GetRequiredService<ReplySeal>().Open(json).Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_live_code_typed_with_a_zero_width_joiner_inside_and_quoted_back_without_it_is_kept_in_no_row_in_clear()
    {
        // The chat door reads the code without the joiner (CommandParser.Clean), and so the reply quotes it whole.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = world.CodeOf("landlord-2");

        await world.DeliverAsync(world.Message("landlord-1", "码" + code[..4] + "\u200D" + code[4..] + "怎么用"), expectReplies: false);

        Assert.Empty(await CellsHoldingAsync(world, code));
        var sent = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox"));
        Assert.Contains(sent, json => world.Services.GetRequiredService<ReplySeal>().Open(json).Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_live_code_cut_short_where_the_reply_quotes_the_message_keeps_none_of_its_characters_in_clear()
    {
        // 没看懂「…」 quotes 20 Chinese characters: after 17 of them only the code's first six fit, then "…". Those six
        // narrow the code to a few guesses, so they are withheld as the whole code is.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = world.CodeOf("landlord-2");

        var reply = ChatWorld.ActivityText(await world.DeliverAsync(world.Message("landlord-1", "请问这个是什么东西我不太明白怎么用" + code), expectReplies: false));

        var kept = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>(
            "SELECT activity_json FROM bot_outbox UNION ALL SELECT CAST(replies_json AS TEXT) FROM bot_processed_activity"));
        Assert.NotEmpty(kept);
        Assert.All(kept, json => Assert.DoesNotContain(code[..6], json, StringComparison.Ordinal));
        var sent = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox"));
        Assert.Contains(sent, json => world.Services.GetRequiredService<ReplySeal>().Open(json).Contains(code[..6] + "…", StringComparison.Ordinal));
    }
}
