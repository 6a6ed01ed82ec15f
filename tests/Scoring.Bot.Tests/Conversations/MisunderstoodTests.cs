using Scoring.Bot.Conversations;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// What the bot does when it does not understand, or is told a report was wrong: the words older landlords type or dictate
/// (traditional characters, homophones, a space inside a command word, a voice message, a button pressed twice), and
/// 撤回/搞错了.
/// </summary>
public sealed class MisunderstoodTests
{
    private static IReadOnlyList<string> Buttons(IReadOnlyList<Activity> replies) =>
        replies[^1].SuggestedActions?.Actions.Select(a => a.Title ?? "").ToList() ?? [];

    [Theory]
    [InlineData("積分")]
    [InlineData("我要看积分")]
    [InlineData("查积分")]
    [InlineData("我的分数是多少")]
    [InlineData("基分")]
    [InlineData("积 分")]
    public async Task A_score_asked_in_other_words_is_answered_with_the_score(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains("的当前积分", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("代辦 王小明 帮他买菜")]
    [InlineData("違規 王小明 楼道抽烟")]
    public async Task A_command_word_in_traditional_characters_runs_as_the_simplified_one(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains("已上报", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("反回 王小明 昨天晚上8点", "返回", "返回 王小明 昨天晚上8点")]
    [InlineData("返 回 王小明 昨天晚上8点", "返回", "返回 王小明 昨天晚上8点")]
    [InlineData("带办 王小明 帮他买菜", "代办", "代办 王小明 帮他买菜")]
    public async Task A_report_under_a_misheard_or_split_command_word_is_asked_about_and_runs_only_when_pressed(string line, string word, string meant)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1));

        var asked = await world.SayAsync("landlord-1", line);
        var nothing = await world.CountAsync("SELECT COUNT(*) FROM tenant_returns") + await world.CountAsync("SELECT COUNT(*) FROM score_events");
        var pressed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", Buttons(asked)[0]));

        Assert.Contains($"您是要「{word}」吗", ChatWorld.ActivityText(asked), StringComparison.Ordinal);
        Assert.Equal(meant, Buttons(asked)[0]);
        Assert.Equal(0, nothing);
        Assert.Contains("已", pressed, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns") + await world.CountAsync("SELECT COUNT(*) FROM score_events"));
    }

    [Fact]
    public async Task A_write_guessed_for_someone_who_may_not_give_it_is_not_offered()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");

        var said = await world.SayAsync("gridworker-1", "待办 王小明 帮他买菜");

        Assert.DoesNotContain("您是要", ChatWorld.ActivityText(said), StringComparison.Ordinal);
        Assert.DoesNotContain("代办 王小明 帮他买菜", Buttons(said));
    }

    [Fact]
    public async Task A_message_not_understood_gets_a_short_answer_with_the_menu_not_the_whole_help()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var said = await world.SayAsync("landlord-1", "今天天气不错");
        var text = said[^1].Text!;

        Assert.StartsWith("没看懂「今天天气不错」", text, StringComparison.Ordinal);
        Assert.Contains("发「帮助」看全部用法", text, StringComparison.Ordinal);
        Assert.DoesNotContain("您可以发送", text, StringComparison.Ordinal);
        Assert.True(text.Length < 80, text);
        Assert.Contains("返回", Buttons(said));
        Assert.Contains("积分", Buttons(said));
    }

    [Fact]
    public async Task A_button_pressed_again_after_its_dialog_ended_is_answered_as_such()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.SayAsync("landlord-1", "返回");
        await world.SayAsync("landlord-1", "王小明");
        Assert.Contains("已登记", ChatWorld.ActivityText(await world.SayAsync("landlord-1", "昨天")));

        var again = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "昨天"));

        Assert.DoesNotContain("没看懂", again, StringComparison.Ordinal);
        Assert.Contains("按钮按了两次", again, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_tenant_button_pressed_twice_is_answered_as_such_not_as_an_unreadable_time()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");
        await world.SayAsync("landlord-1", "王小明");

        var again = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "王小明"));

        Assert.DoesNotContain("看不懂", again, StringComparison.Ordinal);
        Assert.Contains("按钮按了两次", again, StringComparison.Ordinal);
        Assert.Contains("王小明是什么时候到的", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_voice_message_is_answered_that_voice_cannot_be_heard_and_how_to_send_it_as_text()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var voice = world.Message("landlord-1", null);
        voice.Attachments = [new Attachment { ContentType = "audio/amr", ContentUrl = "http://x/voice.amr" }];

        var said = await world.DeliverAsync(voice);
        var text = ChatWorld.ActivityText(said);

        Assert.Contains("我听不了语音", text, StringComparison.Ordinal);
        Assert.Contains("转文字", text, StringComparison.Ordinal);
        Assert.DoesNotContain("图片和文件", text, StringComparison.Ordinal);
        Assert.DoesNotContain("您可以发送", text, StringComparison.Ordinal);
        Assert.Contains("返回", Buttons(said));
    }

    [Fact]
    public async Task A_voice_message_in_a_step_asks_the_step_again_saying_voice_cannot_be_heard()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明");
        var voice = world.Message("landlord-1", null);
        voice.Attachments = [new Attachment { ContentType = "audio/amr", ContentUrl = "http://x/voice.amr" }];

        var text = ChatWorld.ActivityText(await world.DeliverAsync(voice));

        Assert.Contains("我听不了语音", text, StringComparison.Ordinal);
        Assert.Contains("王小明是什么时候到的", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("撤回")]
    [InlineData("搞错了")]
    [InlineData("报错了")]
    [InlineData("撤销")]
    [InlineData("撤銷 M7E18YMZE")]
    public async Task A_landlord_saying_a_report_was_wrong_is_shown_it_and_told_how_to_have_it_corrected(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.SayAsync("landlord-1", "代办 王小明 帮他买菜");
        var id = await world.LatestEventIdAsync();
        var before = await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Pending'");

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains("您最近的上报", said, StringComparison.Ordinal);
        Assert.Contains("为租客代办", said, StringComparison.Ordinal);
        Assert.Contains(id, said, StringComparison.Ordinal);
        Assert.Contains("待核查", said, StringComparison.Ordinal);
        Assert.Contains("书记驳回", said, StringComparison.Ordinal);
        Assert.Contains("返回", said, StringComparison.Ordinal); // and how a return's time is corrected
        Assert.DoesNotContain("没看懂", said, StringComparison.Ordinal);
        Assert.DoesNotContain("核查由书记和街道工作人员处理", said, StringComparison.Ordinal);
        Assert.Equal(before, await world.CountAsync("SELECT COUNT(*) FROM score_events WHERE status = 'Pending'"));
    }

    [Fact]
    public async Task A_landlord_with_a_late_return_charged_is_told_to_send_the_right_time_and_have_the_charge_waived()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.SayAsync("landlord-1", "返回 王小明 11月16日 08:00");
        var id = await world.LatestEventIdAsync();

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "搞错了"));

        Assert.Contains("未及时上报租客返回", said, StringComparison.Ordinal);
        Assert.Contains(id, said, StringComparison.Ordinal);
        Assert.Contains("免除", said, StringComparison.Ordinal);
        Assert.Contains("按正确的到达时间再发一次", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_landlord_with_nothing_reported_is_told_so()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "撤回"));

        Assert.Contains("您最近的上报：没有", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_staff_member_revoking_still_revokes()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");

        var said = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "撤销"));

        Assert.Contains("要撤销的记录编号", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("代办 王小明 帮他买菜")]
    [InlineData("返回 王小明 昨天晚上8点")]
    [InlineData("返回 王小明 11月16日 08:00")]
    public async Task A_report_s_receipt_says_how_to_undo_it(string line)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromHours(1));

        var said = ChatWorld.ActivityText(await world.SayAsync("landlord-1", line));

        Assert.Contains("报错了？发「撤回」", said, StringComparison.Ordinal);
    }
}
