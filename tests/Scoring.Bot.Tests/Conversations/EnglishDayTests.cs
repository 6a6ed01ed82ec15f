using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoring.Bot.Conversations;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// An ordinary day for people who write English (a Teams user, a landlord who prefers it): the replies are English
/// throughout, people's and places' names apart, and read as English does.
/// </summary>
public sealed partial class EnglishDayTests
{
    [Fact]
    public async Task Asked_when_a_tenant_arrived_in_english_the_examples_are_english()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "return 王小明", "en-GB"));

        Assert.Contains("When did 王小明 arrive?", asked, StringComparison.Ordinal);
        await AssertNoChineseButNamesAsync(world, asked);
    }

    [Fact]
    public async Task A_day_and_month_that_read_both_ways_are_asked_about_naming_both_days()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "return 王小明 1/2", "en-GB"));
        var answered = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "yesterday 9pm", "en-GB"));

        Assert.Contains("\"1/2\" could be 2 January or 1 February", asked, StringComparison.Ordinal);
        Assert.Contains("Recorded: 王小明 arrived 2026-11-17 21:00", answered, StringComparison.Ordinal);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Fact]
    public async Task A_day_and_month_that_read_both_ways_are_asked_about_in_chinese_too()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 1/2"));

        Assert.Contains("「1/2」可能是1月2日，也可能是2月1日", asked, StringComparison.Ordinal);
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM tenant_returns"));
    }

    [Theory]
    [InlineData("return 李娜 this morning at 7", "李娜 arrived 2026-11-18 07:00")]
    [InlineData("return 李娜 9.30pm", "李娜 arrived 2026-11-17 21:30")]
    [InlineData("return 李娜 17/11 9pm", "李娜 arrived 2026-11-17 21:00")]
    [InlineData("return 李娜 yesterday at noon", "李娜 arrived 2026-11-17 12:00")]
    public async Task A_landlord_reports_a_return_as_english_speakers_say_the_time(string typed, string expected)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-US");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", typed, "en-US"));

        Assert.Contains(expected, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_record_waiting_is_one_record_in_the_hourly_reminder()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang", "en-GB");
        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回 王小明 2026-11-16 08:30");
        // The report's own notice is her message of the 09:00 hour: the reminder comes at 10:00.
        world.Clock.Advance(TimeSpan.FromHours(1));

        await world.Services.GetServices<IHostedService>().OfType<ChatNoticeWork>().Single().RunOnceAsync();

        var told = string.Join("\n", await world.OutboxTextsAsync("secretary-fangtang"));
        Assert.Contains("Verification reminder (10:00): 1 record waits;", told, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_balance_of_one_is_one_point()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-US");
        await world.BindAsync("secretary-fangtang", "en-US");
        await world.SayAsync("secretary-fangtang", "deduct 应天乐 concealed a tenant in room 3", "en-US");
        await world.SayAsync("secretary-fangtang", "Deliberately concealed a tenant", "en-US"); // the rule the word was read as, confirmed
        for (int i = 0; i < 5; i++)
        {
            await world.SayAsync("secretary-fangtang", $"deduct 应天乐 disinfected floor {i}", "en-US");
            await world.SayAsync("secretary-fangtang", "Corridors/common areas not disinfected on schedule", "en-US");
        }

        var score = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "score", "en-US"));

        Assert.Contains("应天乐, your balance: 1 point\n", score, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_officer_issuing_a_code_in_english_is_given_the_english_command_to_pass_on()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1", "en-GB");

        var issued = ChatWorld.ActivityText(await world.SayAsync("officer-1", "code 吴丽娜", "en-GB"));

        Assert.Matches("Ask them to send me \"bind [0-9A-Z]{8}\" in a private chat", issued);
        await AssertNoChineseButNamesAsync(world, issued);
    }

    [Theory]
    [InlineData("gridworker-1", "deduct 陈建国 disinfection stairwell", "\"Corridors/common areas not disinfected on schedule\"", "Points: -1", "stairwell")]
    [InlineData("gridworker-1", "deduct 陈建国 concealing hid a tenant in room 3", "\"Deliberately concealed a tenant\"", "Points: -6", "hid a tenant in room 3")]
    [InlineData("gridworker-1", "deduct 陈建国 not disinfected 3rd floor", "\"Corridors/common areas not disinfected on schedule\"", "Points: -1", "3rd floor")]
    [InlineData("secretary-changchun", "deduct 王强生 registration 饰品店 opened", "\"A shop opened without registering\"", "Points: -2", "饰品店 opened")]
    public async Task Staff_name_a_rule_by_any_form_of_an_english_word_of_it(string who, string typed, string rule, string points, string evidence)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync(who, "en-GB");

        var asked = ChatWorld.ActivityText(await world.SayAsync(who, typed, "en-GB"));
        var reply = ChatWorld.ActivityText(await world.SayAsync(who, rule.Trim('"'), "en-GB")); // the rule it was read as, confirmed

        Assert.Contains($"Do you mean {rule}", asked, StringComparison.Ordinal);
        Assert.Contains(rule, reply, StringComparison.Ordinal);
        Assert.Contains(points, reply, StringComparison.Ordinal);
        Assert.Equal(evidence, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>("SELECT evidence FROM score_events")));
    }

    [Theory]
    [InlineData("mediate settled a row about the rent", "Reported \"Helped mediate a dispute\" (settled a row about the rent).")]
    [InlineData("service 王小明 work-resumption filing", "(王小明: work-resumption filing).")]
    [InlineData("mediate settled a row between the neighbours on the second floor about noise at night",
        "(settled a row between the neighbours on…).")]
    public async Task A_report_in_english_is_quoted_back_in_whole_words(string typed, string quoted)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", typed, "en-GB"));

        Assert.Contains(quoted, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secretary_is_refused_in_the_words_the_chat_uses_for_records()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");
        await world.BindAsync("secretary-fangtang", "en-GB");
        await world.SayAsync("landlord-1", "service 王小明 shopping", "en-GB");
        var id = await world.LatestEventIdAsync();
        await world.SayAsync("secretary-fangtang", $"approve {id}", "en-GB");

        var unknown = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "reject NOSUCH123 whatever", "en-GB"));
        var decided = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", $"reject {id} wrong one", "en-GB"));

        Assert.Contains("There is no record with id 'NOSUCH123'.", unknown, StringComparison.Ordinal);
        Assert.Contains($"Record {id} is already approved; it cannot be rejected.", decided, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_landlords_help_in_english_says_what_a_late_return_costs_as_the_chinese_does()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1", "en-GB");

        var help = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "help", "en-GB"));
        var chinese = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助"));

        Assert.Contains("到达后24小时内上报不扣分", chinese, StringComparison.Ordinal);
        Assert.Contains("(no deduction when reported within 24 h of arrival)", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_card_says_who_reported_it_without_brackets_in_brackets()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1");
        await world.BindAsync("secretary-fangtang", "en-GB");
        await world.SayAsync("gridworker-1", "扣分 陈建国 消毒 楼道");
        await world.SayAsync("gridworker-1", "未按时消毒楼道等公共区域");

        var english = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "pending", "en-GB"));
        var chinese = ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查"));

        Assert.Contains("2026-11-18 09:00 by 钱晓东 (grid worker)", english, StringComparison.Ordinal);
        Assert.Contains("11月18日 09:00，钱晓东（网格员）上报", chinese, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("publish week 45 landlord", "Preview of the 2026-W45 landlord red/black list")]
    [InlineData("publish the week before last landlord", "Preview of the 2026-W45 landlord red/black list")]
    [InlineData("publish last week shop head", "Preview of the 2026-W46 shop head red/black list")]
    [InlineData("publish landlord list for week 44", "Preview of the 2026-W44 landlord red/black list")]
    public async Task An_officer_names_the_week_and_the_list_as_english_says_them(string typed, string preview)
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.RosterEnteredInAsync(Scoring.Domain.Weeks.IsoWeek.Parse("2026-W44"));
        await world.BindAsync("officer-1", "en-GB");

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", typed, "en-GB"));

        Assert.Contains(preview, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_week_number_not_yet_reached_this_year_is_refused_not_replaced_by_last_week()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("officer-1", "en-GB");

        var reply = ChatWorld.ActivityText(await world.SayAsync("officer-1", "publish week 60 landlord", "en-GB"));

        Assert.Contains("There is no week 60", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("Preview", reply, StringComparison.Ordinal);
    }

    // A Web Chat page's join (Direct Line's conversationUpdate) carries no locale: the person's language stays what they write in.
    [Fact]
    public async Task A_join_without_a_locale_keeps_the_language_notices_are_written_in()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1", "en-GB");
        world.Clock.Advance(TimeSpan.FromMinutes(11));
        var join = world.Join("gridworker-1");
        join.Locale = null;
        join.Conversation!.Id = "conv-gridworker-1-new-page";

        var welcome = ChatWorld.ActivityText(await world.DeliverAsync(join));

        var stored = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string?>(
            "SELECT locale FROM bot_conversation_reference WHERE user_id = 'chat-gridworker-1'"));
        Assert.Equal("en-GB", stored);
        Assert.Contains("Hello", welcome, StringComparison.Ordinal);
        await AssertNoChineseButNamesAsync(world, welcome);
    }

    [Fact]
    public async Task A_join_without_a_locale_soon_after_a_message_keeps_the_language_too()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("gridworker-1", "en-GB");
        var join = world.Join("gridworker-1");
        join.Locale = null;

        await world.DeliverAsync(join);

        var stored = await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string?>(
            "SELECT locale FROM bot_conversation_reference WHERE user_id = 'chat-gridworker-1'"));
        Assert.Equal("en-GB", stored);
    }

    /// <summary>Fails on any Chinese character in <paramref name="reply"/> outside the names of the demo street's people and places.</summary>
    private static async Task AssertNoChineseButNamesAsync(ChatWorld world, string reply)
    {
        var names = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>(
            "SELECT name FROM subjects UNION SELECT name FROM tenants UNION SELECT name FROM shops UNION SELECT name FROM staff " +
            "UNION SELECT name FROM communities UNION SELECT name FROM streets"));
        var rest = names.OrderByDescending(n => n.Length).Aggregate(reply, (text, name) => text.Replace(name, "", StringComparison.Ordinal));
        Assert.DoesNotMatch(Chinese(), rest);
    }

    [GeneratedRegex(@"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")]
    private static partial Regex Chinese();
}
