using Scoring.Domain;

namespace Scoring.Application.Tests;

public sealed class StaffTokensTests
{
    [Fact]
    public async Task A_secretary_who_issued_her_grid_worker_s_token_may_revoke_it_but_not_a_grid_worker_s_of_another_community()
    {
        // A lost phone: she issues a new token and takes the old one back, without waiting for an officer.
        await using var world = await TestWorld.CreateAsync();
        var tokens = new StaffTokens(world.Db, world.Clock);
        var token = (await tokens.IssueAsync(await world.StaffAsync("secretary-fangtang"), "gridworker-1")).Value!;

        var byOtherSecretary = await tokens.RevokeAllAsync(await world.StaffAsync("secretary-changchun"), "gridworker-1");
        var stillWorks = await tokens.AuthenticateAsync(token);
        var byHer = await tokens.RevokeAllAsync(await world.StaffAsync("secretary-fangtang"), "gridworker-1");

        Assert.Equal(FailureKind.Forbidden, byOtherSecretary.Failure?.Kind);
        Assert.NotNull(stillWorks);
        Assert.True(byHer.Succeeded, byHer.Failure?.English);
        Assert.Null(await tokens.AuthenticateAsync(token));
    }

    [Fact]
    public async Task Revoking_after_a_lost_phone_also_unbinds_her_chat_accounts_and_voids_her_unused_code_on_the_street_s_record()
    {
        // The lost phone's WeChat stays logged in: revoking only her tokens would leave it approving and issuing codes as her.
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var tokens = new StaffTokens(world.Db, world.Clock);
        var token = (await tokens.IssueAsync(officer, "secretary-fangtang")).Value!;
        Assert.True((await world.Enrolment.BindAsync("telegram", "lost-phone", (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!.Code)).Succeeded);
        var unused = (await world.Enrolment.IssueAsync(officer, "staff", "secretary-fangtang")).Value!;

        var revoked = await tokens.RevokeAllAsync(officer, "secretary-fangtang");
        var record = (await new StaffActions(world.Db).ReadAsync(officer, "houzhai", 10, null)).Value!.Items;

        Assert.True(revoked.Succeeded, revoked.Failure?.English);
        Assert.Equal(new CredentialsLapsed(2, 1, 1), revoked.Value); // and the demo street's token
        Assert.Null(await tokens.AuthenticateAsync(token));
        Assert.Null(await world.Enrolment.IdentifyAsync("telegram", "lost-phone"));
        Assert.Equal("code-replaced", (await world.Enrolment.BindAsync("wechat", "whoever-found-the-slip", unused.Code)).Failure?.Code);
        Assert.Contains(record, a => a.Action == StaffActions.AccountUnbound && a.TargetId == "secretary-fangtang" && a.ActorId == "officer-1" && a.Detail == "credentials revoked; telegram:lost-phone");
        Assert.Contains(record, a => a.Action == StaffActions.TokensRevoked && a.TargetId == "secretary-fangtang"
            && a.Detail == "2; credentials revoked; 1 unused code(s) voided; 1 chat account(s) unbound");
    }

    [Fact]
    public async Task The_console_s_revocation_takes_back_the_same_and_is_on_record_as_the_console_s()
    {
        await using var world = await TestWorld.CreateAsync();
        Assert.True((await world.Enrolment.BindAsync("wecom", "his-phone", (await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-fangtang"), "staff", "gridworker-1")).Value!.Code)).Succeeded);

        var revoked = await new StaffTokens(world.Db, world.Clock).RevokeAllAsync(null, "gridworker-1");
        var record = (await new StaffActions(world.Db).ReadAsync(await world.StaffAsync("officer-1"), "houzhai", 10, null)).Value!.Items;

        Assert.Equal(1, revoked.Value?.AccountsUnbound);
        Assert.Null(await world.Enrolment.IdentifyAsync("wecom", "his-phone"));
        Assert.Contains(record, a => a.Action == StaffActions.AccountUnbound && a.TargetId == "gridworker-1" && a.ActorId == StaffActions.Console);
    }
}
