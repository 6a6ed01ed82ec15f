using Scoring.Bot.Protocol;

namespace Scoring.Bot.Tests.Conversations;

public sealed class ConversationHandlerTests
{
    [Fact]
    public async Task A_join_that_lists_a_null_member_still_greets_the_newcomer()
    {
        await using var world = await ChatWorld.CreateAsync();
        var join = world.Join("landlord-1");
        join.MembersAdded = [null!, new ChannelAccount { Id = ChatWorld.UserOf("landlord-1") }];

        var replies = await world.DeliverAsync(join);

        Assert.Contains("积分助手", ChatWorld.ActivityText(replies));
    }
}
