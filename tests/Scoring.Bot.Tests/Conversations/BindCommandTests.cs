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
    public async Task Binding_an_account_already_bound_to_someone_else_says_whom_it_no_longer_speaks_for()
    {
        await using var world = await ChatWorld.CreateAsync();
        await world.BindAsync("landlord-1");
        var issued = await world.Services.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", "landlord-3");

        var replies = await world.SayAsync("landlord-1", issued.Value!.BindCommand);

        var text = ChatWorld.ActivityText(replies);
        Assert.Contains("改绑成功", text);
        Assert.Contains("应天乐", text);
        Assert.DoesNotContain("绑定成功", text);
    }
}
