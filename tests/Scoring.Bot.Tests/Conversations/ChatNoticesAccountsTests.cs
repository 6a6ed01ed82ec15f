using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scoring.Application;
using Scoring.Bot.Conversations;

namespace Scoring.Bot.Tests.Conversations;

public sealed class ChatNoticesAccountsTests
{
    private static async Task<int> CountAsync(ChatWorld world, string who, string text) =>
        (await world.OutboxTextsAsync(who)).Count(t => t.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_secretary_with_two_chat_accounts_hears_each_new_items_notice_once_on_each()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        var second = await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "secretary-fangtang");
        Assert.True(second.Succeeded, second.Failure?.English);
        await world.SayAsync("secretary-desk", second.Value!.BindCommand);
        await world.BindAsync("landlord-1");

        await world.SayAsync("landlord-1", "代办 王小明 复工备案");
        world.Clock.Advance(TimeSpan.FromMinutes(1));
        await world.SayAsync("landlord-1", "调解 邻里纠纷");
        await world.SayAsync("landlord-1", "违规 李娜 乱扔垃圾");
        world.Clock.Advance(ChatNotices.BatchWindow);
        var work = world.Services.GetServices<IHostedService>().OfType<ChatNoticeWork>().Single();
        await work.RunOnceAsync();
        await work.RunOnceAsync();

        foreach (var account in new[] { "secretary-fangtang", "secretary-desk" })
        {
            Assert.Equal(1, await CountAsync(world, account, "新的待核查：应天乐「为租客代办」+1"));
            Assert.Equal(1, await CountAsync(world, account, "有 2 条新的待核查上报"));
        }
    }

    [Fact]
    public async Task A_secretarys_new_items_notice_reads_the_staff_accounts_alone_not_the_further_records_only_subjects_have()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("secretary-fangtang");
        await world.BindAsync("landlord-1");
        // The notice is looked for inside every report's transaction: a staff member's accounts are read from chat_accounts
        // alone, chat_account_records (0680) holding only landlords' and shop heads' further records. Gone, it is not read.
        await world.Db.WriteAsync(s => s.Connection.ExecuteAsync("DROP TABLE chat_account_records", transaction: s.Transaction));

        await world.SayAsync("landlord-1", "代办 王小明 复工备案");

        Assert.Equal(1, await CountAsync(world, "secretary-fangtang", "新的待核查：应天乐「为租客代办」+1"));
    }
}
