using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>Nobody decides on a record about themselves (a staff member with the subject's phone), nor redeems their own points.</summary>
public class OwnRecordsTests
{
    /// <summary>Fangtang gets a second secretary who lets rooms herself: landlord-1 (应天乐), her phone typed as people type it.</summary>
    private static async Task<StaffMember> SecretaryWhoIsLandlord1Async(TestWorld world)
    {
        var member = new StaffMember { Id = "secretary-ying", StreetId = "houzhai", CommunityId = "fangtang", Role = StaffRole.Secretary, Name = "应天乐", Phone = "+86 139-0000-0001" };
        await world.Db.WriteAsync(s => s.InsertStaffAsync(member));
        return member;
    }

    /// <summary>A second officer of Houzhai who is landlord-4 (董宝华) himself.</summary>
    private static async Task<StaffMember> OfficerWhoIsLandlord4Async(TestWorld world)
    {
        var member = new StaffMember { Id = "officer-2", StreetId = "houzhai", Role = StaffRole.Officer, Name = "董宝华", Phone = "13900000004" };
        await world.Db.WriteAsync(s => s.InsertStaffAsync(member));
        return member;
    }

    [Fact]
    public async Task A_secretary_cannot_approve_a_record_of_a_landlord_with_her_own_phone()
    {
        await using var world = await CreateAsync();
        var me = await SecretaryWhoIsLandlord1Async(world);
        var mine = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation, evidence: "调解邻里纠纷");

        var approved = await world.Verification.ApproveAsync(me, mine.Event.Id);

        Assert.Equal((FailureKind.Forbidden, OwnRecords.ConflictOfInterest), (approved.Failure?.Kind, approved.Failure?.Code));
        Assert.Contains("街道", approved.Failure!.Chinese);
        Assert.Equal(EventStatus.Pending, (await world.Db.ReadAsync(s => s.GetEventAsync(mine.Event.Id)))!.Status);
    }

    [Fact]
    public async Task A_secretary_cannot_reject_nor_revoke_a_record_about_herself()
    {
        await using var world = await CreateAsync();
        var me = await SecretaryWhoIsLandlord1Async(world);
        var deduction = await world.ObserveAsync("landlord-1", DefaultRules.NotDisinfected);
        var addition = await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation); // approved by the other secretary

        var rejected = await world.Verification.RejectAsync(me, deduction.Event.Id, "看错了");
        var revoked = await world.Verification.RevokeAsync(me, addition.Event.Id, "重复");

        Assert.Equal(OwnRecords.ConflictOfInterest, rejected.Failure?.Code);
        Assert.Equal(OwnRecords.ConflictOfInterest, revoked.Failure?.Code);
        Assert.Equal(12 + 1, (await world.Scores.CardAsync("landlord-1"))!.Balance);
    }

    [Fact]
    public async Task A_secretary_s_own_report_about_herself_waits_for_someone_else_s_check_and_her_reports_about_others_count_at_once()
    {
        await using var world = await CreateAsync();
        var me = await SecretaryWhoIsLandlord1Async(world);

        var mine = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(me), "landlord-1", DefaultRules.LandlordReportedViolation, "api:me:1", "租客王小明违规", Local(2026, 11, 12, 10)));
        var theirs = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(me), "landlord-2", DefaultRules.LandlordReportedViolation, "api:me:2", "租客张伟违规"));

        Assert.Equal(EventStatus.Pending, mine.Value!.Event.Status);
        Assert.Equal(EventStatus.Approved, theirs.Value!.Event.Status);
        var byOfficer = await world.Verification.ApproveAsync(await world.StaffAsync("officer-1"), mine.Value.Event.Id);
        Assert.True(byOfficer.Succeeded, byOfficer.Failure?.English);
    }

    [Fact]
    public async Task An_officer_cannot_decide_a_record_about_himself_but_another_officer_can()
    {
        await using var world = await CreateAsync();
        var me = await OfficerWhoIsLandlord4Async(world);
        var his = await world.SelfReportAsync("landlord-4", DefaultRules.LandlordMediation);
        var own = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(me), "landlord-4", DefaultRules.LandlordMediation, "api:o2:1", "调解"));

        var refused = await world.Verification.ApproveAsync(me, his.Event.Id);
        var byAnother = await world.Verification.ApproveAsync(await world.StaffAsync("officer-1"), his.Event.Id);

        Assert.Equal(OwnRecords.ConflictOfInterest, refused.Failure?.Code);
        Assert.Contains("Another officer", refused.Failure!.English);
        Assert.True(byAnother.Succeeded, byAnother.Failure?.English);
        Assert.Equal(EventStatus.Pending, own.Value!.Event.Status);
    }

    [Fact]
    public async Task The_queue_marks_the_records_about_whoever_reads_it()
    {
        await using var world = await CreateAsync();
        var me = await SecretaryWhoIsLandlord1Async(world);
        var mine = await world.SelfReportAsync("landlord-1", DefaultRules.LandlordMediation);
        var theirs = await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation);

        var hers = (await world.Verification.QueueAsync(me, "fangtang")).Value!.Items;
        var officers = (await world.Verification.StreetQueueAsync(await world.StaffAsync("officer-1"), "houzhai", escalatedOnly: false)).Value!.Items;

        Assert.True(hers.Single(i => i.Event.Id == mine.Event.Id).Own);
        Assert.False(hers.Single(i => i.Event.Id == theirs.Event.Id).Own);
        Assert.DoesNotContain(officers, i => i.Own);
    }

    [Fact]
    public async Task A_secretary_cannot_record_a_redemption_of_her_own_points_nor_reverse_one()
    {
        await using var world = await CreateAsync();
        var me = await SecretaryWhoIsLandlord1Async(world);
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation); // two reward points
        var rewards = new Rewards(world.Db, world.Clock);

        var mine = await rewards.RedeemAsync(me, "landlord-1", 2, "米面油");
        var byColleague = await rewards.RedeemAsync(await world.StaffAsync("secretary-fangtang"), "landlord-1", 1, "米面油");
        var reversed = await rewards.ReverseAsync(me, "landlord-1", byColleague.Value!.Id, "记错了");

        Assert.Equal(OwnRecords.ConflictOfInterest, mine.Failure?.Code);
        Assert.Equal(OwnRecords.ConflictOfInterest, reversed.Failure?.Code);
        Assert.Equal(1, (await rewards.AccountAsync(await world.StaffAsync("officer-1"), "landlord-1")).Value!.Redeemed);
    }
}
