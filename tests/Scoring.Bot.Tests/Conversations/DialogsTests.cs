using Scoring.Bot.Conversations;
using Scoring.Domain;

namespace Scoring.Bot.Tests.Conversations;

public sealed class DialogsTests
{
    [Fact]
    public async Task A_turn_starts_from_who_writes_and_their_row_read_together_each_possibly_missing()
    {
        await using var world = await ChatWorld.CreateAsync();
        Task<(Scoring.Storage.ChatPerson? Person, DialogRecord? Record)> TurnOf(string who) =>
            world.Db.ReadAsync(s => Dialogs.LoadTurnAsync(s, ChatWorld.Channel, ChatWorld.UserOf(who)));

        var (stranger, strangerRow) = await TurnOf("nobody");
        Assert.Null(stranger);
        Assert.Null(strangerRow);

        await world.SayAsync("visitor", "你好");
        var (visitor, visitorRow) = await TurnOf("visitor");
        Assert.Null(visitor);
        Assert.NotNull(visitorRow);
        Assert.Null(visitorRow.State);

        await world.BindAsync("landlord-1");
        await world.SayAsync("landlord-1", "返回");
        var (landlord, landlordRow) = await TurnOf("landlord-1");
        Assert.Equal(("subject", "landlord-1", SubjectKind.Landlord), (landlord!.PersonKind, landlord.PersonId, landlord.Subject!.Kind));
        Assert.Null(landlord.Staff);
        Assert.Equal(Verb.Return, landlordRow!.State!.Verb);
        Assert.Equal(ChatWorld.UserOf("landlord-1"), landlordRow.UserId);

        await world.BindAsync("secretary-fangtang");
        var (secretary, _) = await TurnOf("secretary-fangtang");
        Assert.Equal(StaffRole.Secretary, secretary!.Staff!.Role);
        Assert.Null(secretary.Subject);
    }
}
