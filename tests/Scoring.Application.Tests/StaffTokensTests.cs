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
}
