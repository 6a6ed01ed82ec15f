using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>
/// A code binds one more chat account and takes none away: the office sees which accounts speak for a landlord and cuts
/// one off (an old phone sold or lost), and the person binding a new one hears of the others.
/// </summary>
public sealed class SubjectChatAccountsTests
{
    private static async Task<string> CodeAsync(TestWorld world, string person, string by = "secretary-fangtang") =>
        (await world.Enrolment.IssueAsync(await world.StaffAsync(by), "subject", person)).Value!.Code;

    private static SubjectChatAccounts AccountsOf(TestWorld world) => new(world.Db, world.Clock);

    /// <summary>landlord-1 bound on his old phone, then on a new one after a change of number.</summary>
    private static async Task<TestWorld> LandlordWithTwoAccountsAsync()
    {
        var world = await CreateAsync();
        Assert.True((await world.Enrolment.BindAsync("wechat", "oldphone-openid-1234", await CodeAsync(world, "landlord-1"))).Succeeded);
        world.Clock.Advance(TimeSpan.FromDays(3));
        Assert.True((await world.Enrolment.BindAsync("wechat", "newphone-openid-5678", await CodeAsync(world, "landlord-1"))).Succeeded);
        return world;
    }

    [Fact]
    public async Task The_secretary_sees_which_accounts_speak_for_a_landlord_masked_with_when_each_was_bound()
    {
        await using var world = await LandlordWithTwoAccountsAsync();

        var listed = await AccountsOf(world).ListAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1");

        Assert.True(listed.Succeeded, listed.Failure?.English);
        Assert.Collection(listed.Value!.Accounts,
            a => Assert.Equal(("wechat", "ol********34", Wednesday), (a.ChannelId, a.MaskedUserId, a.BoundAt)),
            a => Assert.Equal(("wechat", "ne********78", Wednesday.AddDays(3)), (a.ChannelId, a.MaskedUserId, a.BoundAt)));
        Assert.All(listed.Value.Accounts, a => Assert.DoesNotContain("openid", a.Id + a.MaskedUserId));
        Assert.All(listed.Value.Accounts, a => Assert.Matches("^[0-9a-f]{16}$", a.Id));
    }

    [Fact]
    public async Task The_secretary_unbinds_the_old_phone_s_account_which_then_speaks_for_nobody_and_the_record_says_who_did()
    {
        await using var world = await LandlordWithTwoAccountsAsync();
        var secretary = await world.StaffAsync("secretary-fangtang");
        var old = (await AccountsOf(world).ListAsync(secretary, "landlord-1")).Value!.Accounts[0];
        world.Clock.Advance(TimeSpan.FromMinutes(1));

        var unbound = await AccountsOf(world).UnbindAsync(secretary, "landlord-1", old.Id);

        Assert.True(unbound.Succeeded, unbound.Failure?.English);
        Assert.Null(await world.Enrolment.IdentifyAsync("wechat", "oldphone-openid-1234"));
        Assert.Equal("landlord-1", (await world.Enrolment.IdentifyAsync("wechat", "newphone-openid-5678"))!.Subject!.Id);
        Assert.Equal(["ne********78"], unbound.Value!.Accounts.Select(a => a.MaskedUserId));
        var record = (await new StaffActions(world.Db).ReadAsync(await world.StaffAsync("officer-1"), "houzhai", 5, null)).Value!.Items[0];
        Assert.Equal(("secretary-fangtang", StaffActions.AccountUnbound, "landlord-1"), (record.ActorId, record.Action, record.TargetId));
        Assert.DoesNotContain("openid", record.Detail);
    }

    [Fact]
    public async Task An_account_that_speaks_for_a_shop_head_record_too_keeps_it_when_unbound_from_the_landlord()
    {
        await using var world = await CreateAsync();
        // A landlord who is a shop head too, with one account (as 应天乐 and 王强生 stand in for one person here).
        Assert.True((await world.Enrolment.BindAsync("wechat", "both-openid", await CodeAsync(world, "landlord-1"))).Succeeded);
        Assert.True((await world.Enrolment.BindAsync("wechat", "both-openid", await CodeAsync(world, "shophead-1", by: "officer-1"))).Succeeded);
        var secretary = await world.StaffAsync("secretary-fangtang");
        var account = (await AccountsOf(world).ListAsync(secretary, "landlord-1")).Value!.Accounts.Single();
        Assert.True(account.SpeaksForOthers);

        Assert.True((await AccountsOf(world).UnbindAsync(secretary, "landlord-1", account.Id)).Succeeded);

        var who = await world.Enrolment.IdentifyAsync("wechat", "both-openid");
        Assert.Equal("shophead-1", who!.Subject!.Id);
        Assert.False(who.SpeaksFor("landlord-1"));
    }

    [Fact]
    public async Task Another_community_s_secretary_and_a_grid_worker_neither_see_nor_unbind_a_landlord_s_accounts()
    {
        await using var world = await LandlordWithTwoAccountsAsync();
        var id = SubjectChatAccounts.IdOf("wechat", "oldphone-openid-1234");

        foreach (var who in new[] { "secretary-changchun", "gridworker-1" })
        {
            Assert.Equal("forbidden", (await AccountsOf(world).ListAsync(await world.StaffAsync(who), "landlord-1")).Failure?.Code);
            Assert.Equal("forbidden", (await AccountsOf(world).UnbindAsync(await world.StaffAsync(who), "landlord-1", id)).Failure?.Code);
        }
        Assert.NotNull(await world.Enrolment.IdentifyAsync("wechat", "oldphone-openid-1234"));
    }

    [Fact]
    public async Task An_account_of_someone_else_is_not_found_under_this_landlord()
    {
        await using var world = await LandlordWithTwoAccountsAsync();
        Assert.True((await world.Enrolment.BindAsync("wechat", "neighbour", await CodeAsync(world, "landlord-2"))).Succeeded);

        var refused = await AccountsOf(world).UnbindAsync(await world.StaffAsync("officer-1"), "landlord-1", SubjectChatAccounts.IdOf("wechat", "neighbour"));

        Assert.Equal("chat-account-not-found", refused.Failure?.Code);
        Assert.Equal("landlord-2", (await world.Enrolment.IdentifyAsync("wechat", "neighbour"))!.Subject!.Id);
    }

    [Fact]
    public async Task Binding_a_new_account_says_how_many_other_accounts_already_speak_for_the_landlord()
    {
        await using var world = await CreateAsync();
        var first = await world.Enrolment.BindAsync("wechat", "oldphone", await CodeAsync(world, "landlord-1"));
        var second = await world.Enrolment.BindAsync("telegram", "newphone", await CodeAsync(world, "landlord-1"));

        Assert.Equal(0, first.Value!.OtherAccounts);
        Assert.Equal(1, second.Value!.OtherAccounts);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("abcd", "****")]
    [InlineData("abcdef", "ab**ef")]
    [InlineData("29:1AbCdEfGhIjKlMnOpQrStUvWxYz", "29********Yz")]
    public void A_user_id_shows_its_first_and_last_two_characters_at_most(string userId, string masked) =>
        Assert.Equal(masked, SubjectChatAccounts.Mask(userId));
}
