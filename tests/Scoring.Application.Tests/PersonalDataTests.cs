using Dapper;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>
/// "我的信息有哪些" and "删除我的信息", answered by the office in one step: a person's data in one answer, and someone off the
/// roster erased at once (as the hourly round erases those long off it), on the street's record with the reason.
/// </summary>
public sealed class PersonalDataTests
{
    private static PersonalData DataOf(TestWorld world) => new(world.Db, world.Clock);

    private static async Task<string> CodeAsync(TestWorld world, string person) =>
        (await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", person)).Value!.Code;

    /// <summary>landlord-1 with a chat account, an approved point, an identity card, and his tenant 王小明 taken off his list.</summary>
    private static async Task<TestWorld> LandlordWithHistoryAsync()
    {
        var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var rosters = new Application.Rosters(world.Db, world.Clock);
        Assert.True((await rosters.UpdateSubjectAsync(officer, "landlord-1", new SubjectDraft(IdCard: "11010519491231002x"))).Succeeded);
        Assert.True((await world.Enrolment.BindAsync("wechat", "ying-openid-0001", await CodeAsync(world, "landlord-1"))).Succeeded);
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService);
        var gone = (await rosters.ListTenantsAsync(officer, "landlord-1")).Value!.Single(t => t.Name == "王小明");
        Assert.True((await rosters.DeactivateTenantAsync(officer, gone.Id)).Succeeded);
        return world;
    }

    [Fact]
    public async Task A_landlord_s_data_in_one_answer_lists_his_bound_account_masked_his_closed_tenant_his_events_and_what_staff_did()
    {
        await using var world = await LandlordWithHistoryAsync();

        var export = await DataOf(world).ExportAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1");

        Assert.True(export.Succeeded, export.Failure?.English);
        var x = export.Value!;
        Assert.Equal(("应天乐", "13900000001", "002X"), (x.Subject.Name, x.Subject.Phone, x.IdCardLastFour?.ToUpperInvariant()));
        Assert.Equal(("wechat", "yi********01"), (x.ChatAccounts.Single().ChannelId, x.ChatAccounts.Single().MaskedUserId));
        Assert.Contains(x.Tenants, t => t is { Name: "王小明", Active: false });
        Assert.Contains(x.Tenants, t => t is { Name: "李娜", Active: true });
        Assert.Contains(x.Events, e => e.RuleCode == DefaultRules.LandlordService);
        Assert.Contains(x.StaffActions, a => a.Action == StaffActions.AccountBound && a.ActorId == "wechat:yi********01");
        Assert.Contains(x.StaffActions, a => a.Action == StaffActions.TenantClosed);
        Assert.Contains(x.StaffActions, a => a.Action == StaffActions.CodeIssued);
        Assert.DoesNotContain(x.StaffActions, a => a.TargetId == "landlord-2");
    }

    [Fact]
    public async Task A_person_s_data_is_the_secretary_s_of_their_community_and_the_officers_not_a_grid_worker_s_nor_another_secretary_s()
    {
        await using var world = await LandlordWithHistoryAsync();

        Assert.True((await DataOf(world).ExportAsync(await world.StaffAsync("officer-1"), "landlord-1")).Succeeded);
        Assert.Equal("forbidden", (await DataOf(world).ExportAsync(await world.StaffAsync("gridworker-1"), "landlord-1")).Failure?.Code);
        Assert.Equal("forbidden", (await DataOf(world).ExportAsync(await world.StaffAsync("secretary-changchun"), "landlord-1")).Failure?.Code);
    }

    [Fact]
    public async Task An_officer_erases_a_landlord_off_the_roster_at_once_as_the_hourly_round_would_and_the_record_keeps_the_reason()
    {
        await using var world = await LandlordWithHistoryAsync();
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await new Application.Rosters(world.Db, world.Clock).DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);
        world.Clock.Advance(TimeSpan.FromMinutes(1));

        var erased = await DataOf(world).EraseAsync(officer, "landlord-1", "本人申请删除（房屋已出售）");

        Assert.True(erased.Succeeded, erased.Failure?.English);
        var x = await world.SubjectAsync("landlord-1");
        Assert.Equal(("应*乐", (string?)null, (DateTimeOffset?)world.Clock.GetUtcNow()), (x.Name, x.Phone, x.ErasedAt));
        Assert.Null(await world.Enrolment.IdentifyAsync("wechat", "ying-openid-0001"));
        Assert.Equal(0, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM identity_cards WHERE subject_id = 'landlord-1'", transaction: s.Transaction)));
        Assert.All(await world.Db.ReadAsync(s => s.ListTenantsAsync("landlord-1")), t => Assert.Equal((null, null, false), (t.Room, t.Phone, t.Active)));
        var record = (await new StaffActions(world.Db).ReadAsync(officer, "houzhai", 1, null)).Value!.Items.Single();
        Assert.Equal(("officer-1", StaffActions.SubjectErased, "landlord-1"), (record.ActorId, record.Action, record.TargetId));
        Assert.StartsWith("on request: 本人申请删除（房屋已出售）;", record.Detail);
        Assert.Equal("subject-erased", (await DataOf(world).EraseAsync(officer, "landlord-1", "again")).Failure?.Code);
    }

    [Fact]
    public async Task Someone_on_the_roster_is_not_erased_on_request()
    {
        await using var world = await LandlordWithHistoryAsync();

        var refused = await DataOf(world).EraseAsync(await world.StaffAsync("officer-1"), "landlord-1", "本人申请");

        Assert.Equal((FailureKind.Conflict, "subject-on-roster"), (refused.Failure?.Kind, refused.Failure?.Code));
        Assert.Equal(("应天乐", "13900000001"), ((await world.SubjectAsync("landlord-1")).Name, (await world.SubjectAsync("landlord-1")).Phone));
    }

    [Fact]
    public async Task An_erasure_takes_an_officer_and_a_reason_without_a_phone_in_it()
    {
        await using var world = await LandlordWithHistoryAsync();
        var officer = await world.StaffAsync("officer-1");
        Assert.True((await new Application.Rosters(world.Db, world.Clock).DeactivateSubjectAsync(officer, "landlord-1")).Succeeded);

        Assert.Equal("forbidden", (await DataOf(world).EraseAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1", "本人申请")).Failure?.Code);
        Assert.Equal("reason-required", (await DataOf(world).EraseAsync(officer, "landlord-1", "  ")).Failure?.Code);
        Assert.Equal("reason-personal", (await DataOf(world).EraseAsync(officer, "landlord-1", "误录，电话13900000001是别人的")).Failure?.Code);
        Assert.Null((await world.SubjectAsync("landlord-1")).ErasedAt);
    }
}
