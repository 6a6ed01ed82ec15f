using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;

namespace Scoring.Bot.Tests.Conversations;

public sealed class BindCommandTests
{
    [Fact]
    public async Task The_bind_command_handed_out_with_a_code_binds_a_chat_account_when_sent_as_it_is()
    {
        await using var world = await ChatWorld.CreateAsync();
        var issued = await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-3");
        Assert.True(issued.Succeeded, issued.Failure?.English);

        var replies = await world.SayAsync("new-phone", issued.Value!.BindCommand);

        Assert.Contains("绑定成功", ChatWorld.ActivityText(replies));
        var bound = await world.Services.GetRequiredService<Enrolment>().IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf("new-phone"));
        Assert.Equal("landlord-3", bound?.Subject?.Id);
    }

    [Fact]
    public async Task A_telegram_deep_link_s_start_with_a_code_binds_and_a_plain_start_greets_as_before()
    {
        // https://t.me/<bot>?start=<code> opens the chat and sends "/start <code>" when the person presses Start.
        await using var world = await ChatWorld.CreateAsync();

        var greeted = ChatWorld.ActivityText(await world.SayAsync("landlord-2", "/start"));
        var linked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", $"/start {world.CodeOf("landlord-1").ToLowerInvariant()}"));

        Assert.Contains("请先绑定账号", greeted);
        Assert.Contains("绑定成功", linked);
        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))?.Subject?.Id);
    }

    [Fact]
    public async Task A_landlord_binding_a_new_phone_is_told_his_old_account_still_speaks_for_him_and_how_to_cut_it_off()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var issued = await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-1");

        var zh = ChatWorld.ActivityText(await world.SayAsync("new-phone", issued.Value!.BindCommand));

        Assert.Contains("绑定成功", zh);
        Assert.Contains("另有1个聊天账号也代表您", zh);
        Assert.Contains("解绑", zh);
        var again = await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-1");
        var en = ChatWorld.ActivityText(await world.SayAsync("third-phone", again.Value!.BindCommand, locale: "en-US"));
        Assert.Contains("2 other chat accounts also speak for you", en);
    }

    [Fact]
    public async Task A_first_binding_says_nothing_of_other_accounts()
    {
        await using var world = await ChatWorld.CreateAsync();

        var reply = ChatWorld.ActivityText(await world.BindAsync("landlord-1"));

        Assert.Contains("绑定成功", reply);
        Assert.DoesNotContain("聊天账号也代表您", reply);
    }

    [Fact]
    public async Task A_code_copied_with_a_zero_width_space_from_a_forwarded_message_binds()
    {
        await using var world = await ChatWorld.CreateAsync();

        var reply = ChatWorld.ActivityText(await world.SayAsync("landlord-1", $"绑定 \uFEFF{world.CodeOf("landlord-1")}\u200B"));

        Assert.Contains("绑定成功", reply);
    }

    [Fact]
    public async Task An_account_bound_as_a_landlord_sent_a_grid_workers_code_is_asked_first_and_stays_the_landlords_until_it_confirms()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "gridworker-1")).Value!;

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", code.BindCommand));

        // A staff post needs an account of its own: a landlord who is also a grid worker is told so before the landlord's
        // reports, score and reminders leave this account, and how to keep both.
        Assert.Contains("单独使用一个账号", asked);
        Assert.Contains("应天乐", asked);
        Assert.Contains("钱晓东", asked);
        Assert.Contains("另一个聊天账号", asked);
        Assert.Contains("确认改绑", asked);
        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))?.Subject?.Id);
        Assert.Contains("应天乐", ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分")));

        var confirmed = ChatWorld.ActivityText(await world.SayAsync("landlord-1", code.BindCommand));
        Assert.Contains("确认改绑", confirmed); // the code again is no confirmation: it asks again
        var moved = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "确认改绑"));

        Assert.Contains("改绑成功", moved);
        Assert.Contains("应天乐", moved);
        Assert.Equal("gridworker-1", (await IdentifyAsync(world, "landlord-1"))?.Staff?.Id);
    }

    [Fact]
    public async Task Cancelling_a_rebind_keeps_the_account_as_it_was_and_the_code_unused_for_another_account()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("officer-1"), "staff", "gridworker-1")).Value!;
        await world.SayAsync("landlord-1", code.BindCommand);

        await world.SayAsync("landlord-1", "取消");
        var second = ChatWorld.ActivityText(await world.SayAsync("second-phone", code.BindCommand));

        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))?.Subject?.Id);
        Assert.Contains("绑定成功", second);
        Assert.Equal("gridworker-1", (await IdentifyAsync(world, "second-phone"))?.Staff?.Id);
    }

    [Fact]
    public async Task A_bind_sent_again_in_a_new_message_by_the_account_that_took_the_code_says_it_is_bound_not_that_the_code_is_spent()
    {
        await using var world = await ChatWorld.CreateAsync();
        var first = ChatWorld.ActivityText(await world.BindAsync("landlord-1"));

        // The QR code scanned twice, or the message sent again while the first answer was on its way.
        var again = ChatWorld.ActivityText(await world.BindAsync("landlord-1"));

        Assert.Contains("绑定成功", first);
        Assert.DoesNotContain("已被使用", again);
        Assert.Contains("应天乐", again);
        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))?.Subject?.Id);
    }

    [Fact]
    public async Task A_new_code_of_the_person_an_account_already_speaks_for_says_so_and_not_that_it_moved_from_them_to_them()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-1")).Value!;

        var text = ChatWorld.ActivityText(await world.SayAsync("landlord-1", code.BindCommand));

        Assert.DoesNotContain("改绑", text);
        Assert.DoesNotContain("不再代表", text);
        Assert.Contains("应天乐", text);
        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))?.Subject?.Id);
    }

    [Fact]
    public async Task Another_persons_code_sent_in_a_group_moves_nothing_and_names_nobody_there()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var code = (await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-changchun"), "subject", "shophead-1")).Value!;

        var text = ChatWorld.ActivityText(await world.DeliverAsync(world.GroupMessage("landlord-1", code.BindCommand, mentioningTheBot: true)));

        Assert.Contains("私聊", text);
        Assert.DoesNotContain("王强生", text);
        Assert.Equal("landlord-1", (await IdentifyAsync(world, "landlord-1"))?.Subject?.Id);
    }

    private static Task<ChatIdentity?> IdentifyAsync(ChatWorld world, string who) =>
        world.Services.GetRequiredService<Enrolment>().IdentifyAsync(ChatWorld.Channel, ChatWorld.UserOf(who));
}
