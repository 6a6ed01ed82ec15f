using Dapper;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;

namespace Scoring.Application.Tests;

public class WeeklyCycleTests
{
    [Fact]
    public async Task A_reported_service_approved_by_the_secretary_puts_the_landlord_on_the_red_list()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        var secretary = await world.StaffAsync("secretary-fangtang");

        var report = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordService, "chat:1", "代购生活用品"));
        Assert.True(report.Succeeded, report.Failure?.English);
        Assert.Equal(EventStatus.Pending, report.Value!.Event.Status);
        Assert.Equal(12, report.Value.Balance);

        var queue = await world.Verification.QueueAsync(secretary, "fangtang");
        Assert.Single(queue.Value!.Items);

        var approved = await world.Verification.ApproveAsync(secretary, report.Value.Event.Id);
        Assert.True(approved.Succeeded, approved.Failure?.English);
        var card = await world.Scores.CardAsync(landlord.Id);
        Assert.Equal(13, card!.Balance);
        Assert.Equal(1, card.WeekRank);

        var officer = await world.StaffAsync("officer-1");
        var week = IsoWeek.Parse("2026-W47");
        var early = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        Assert.Equal("week-not-over", early.Failure!.Code);

        world.Clock.Advance(TimeSpan.FromDays(6));
        var published = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        Assert.True(published.Value!.Created);
        var red = Assert.Single(published.Value.List.Red);
        Assert.Equal(("landlord-1", 13, 1), (red.SubjectId, red.Balance, red.Rank));
        Assert.Empty(published.Value.List.Black);

        var again = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        Assert.False(again.Value!.Created);
        Assert.Equal(published.Value.List.ContentHash, again.Value.List.ContentHash);
        var preview = await world.Publication.PreviewAsync(officer, "houzhai", week, SubjectKind.Landlord);
        Assert.Equal(published.Value.List.ContentHash, preview.Value!.List.ContentHash);
    }

    [Fact]
    public async Task A_return_reported_two_days_late_becomes_a_pending_deduction_in_the_week_it_fell_due()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        var arrival = TestWorld.Wednesday - TimeSpan.FromDays(3); // Sunday of W46
        var receipt = await world.Reporting.ReportReturnAsync(Actor.Of(landlord), "landlord-1-t1", arrival, "chat:late");
        Assert.True(receipt.Succeeded, receipt.Failure?.English);
        Assert.True(receipt.Value!.Late);
        var e = receipt.Value.Deduction!.Event;
        Assert.Equal((EventStatus.Pending, -2, ReporterRole.System), (e.Status, e.Delta, e.ReporterRole));
        Assert.Equal(arrival + TimeSpan.FromHours(24), e.OccurredAt);
        Assert.Equal("2026-W47", IsoWeek.Containing(e.OccurredAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).ToString());

        var again = await world.Reporting.ReportReturnAsync(Actor.Of(landlord), "landlord-1-t1", arrival, "chat:late");
        Assert.Equal(e.Id, again.Value!.Deduction!.Event.Id);
    }

    [Fact]
    public async Task A_return_in_time_reported_again_in_another_message_is_already_recorded_with_when_and_adds_no_row()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var arrival = TestWorld.Wednesday - TimeSpan.FromHours(2);
        var first = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:first");
        world.Clock.Advance(TimeSpan.FromHours(3));

        var again = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:again");
        var sameMessage = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:first");
        var otherArrival = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival.AddMinutes(1), "chat:other");

        Assert.Equal((false, TestWorld.Wednesday), (first.Value!.AlreadyRecorded, first.Value.RecordedAt));
        Assert.Equal((true, false, TestWorld.Wednesday), (again.Value!.AlreadyRecorded, again.Value.Late, again.Value.RecordedAt));
        Assert.False(sameMessage.Value!.AlreadyRecorded); // the same message again is answered as the first time
        Assert.False(otherArrival.Value!.AlreadyRecorded); // another arrival is another return
        Assert.Equal(2L, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenant_returns")));
    }

    [Fact]
    public async Task A_return_whose_unit_was_rolled_back_is_not_taken_for_recorded_when_sent_again()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var arrival = TestWorld.Wednesday - TimeSpan.FromHours(2);
        await Assert.ThrowsAsync<InvalidOperationException>(() => world.Db.WriteAsync(async s =>
        {
            await world.Reporting.ReportReturnInAsync(s, landlord, "landlord-1-t1", arrival, "chat:lost");
            throw new InvalidOperationException("the turn failed after the return");
        }));

        var again = await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", arrival, "chat:again");

        Assert.False(again.Value!.AlreadyRecorded);
        Assert.Equal(1L, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tenant_returns")));
    }

    [Fact]
    public async Task The_fourth_service_in_a_week_is_refused_by_the_cap()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = await world.SubjectAsync("landlord-2");
        for (int i = 0; i < 3; i++)
            Assert.True((await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordService, $"s{i}", $"x{i}"))).Succeeded);
        var fourth = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordService, "s3", "x3"));
        Assert.Equal("cap-reached", fourth.Failure!.Code);
    }

    [Fact]
    public async Task Binding_with_a_wrong_code_five_times_locks_the_account_for_an_hour()
    {
        await using var world = await TestWorld.CreateAsync();
        for (int i = 0; i < Enrolment.MaxFailuresPerHour; i++)
            Assert.Equal("code-unknown", (await world.Enrolment.BindAsync("emulator", "u1", "WRONG" + i)).Failure!.Code);
        Assert.Equal("too-many-attempts", (await world.Enrolment.BindAsync("emulator", "u1", "WRONG")).Failure!.Code);
    }

    [Fact]
    public async Task An_event_at_Sunday_23_59_local_counts_in_that_week_and_one_at_Monday_00_00_in_the_next()
    {
        await using var world = await TestWorld.CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        var sundayNight = TestWorld.Local(2026, 11, 15, 23, 59);  // Sunday of W46 (15:59 UTC)
        var mondayMidnight = TestWorld.Local(2026, 11, 16);       // Monday of W47 (Sunday 16:00 UTC)
        for (int i = 0; i < 3; i++) await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, sundayNight);

        // W46's cap is full, W47's is not: the store filed each event under the street's week.
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var w46Again = await world.Reporting.ReportAsync(new ReportRequest(landlord, "landlord-1", DefaultRules.LandlordService, "b1", "x", sundayNight.AddSeconds(59)));
        Assert.Equal("cap-reached", w46Again.Failure!.Code);
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordService, mondayMidnight);

        var w46 = (await world.Publication.PreviewAsync(officer, "houzhai", IsoWeek.Parse("2026-W46"), SubjectKind.Landlord)).Value!;
        var w47 = (await world.Publication.PreviewAsync(officer, "houzhai", IsoWeek.Parse("2026-W47"), SubjectKind.Landlord)).Value!;
        Assert.Equal(("landlord-1", 15), (w46.List.Red.Single().SubjectId, w46.List.Red.Single().Balance));
        Assert.Equal(("landlord-1", 16), (w47.List.Red.Single().SubjectId, w47.List.Red.Single().Balance));
        Assert.Equal(IsoWeek.Parse("2026-W47"), IsoWeek.Containing(mondayMidnight, TestWorld.Shanghai));
    }

    [Fact]
    public async Task A_correction_is_what_the_public_reads_next_even_after_the_first_revision_was_read()
    {
        await using var world = await TestWorld.CreateAsync();
        var landlord = await world.SubjectAsync("landlord-1");
        var officer = await world.StaffAsync("officer-1");
        var secretary = await world.StaffAsync("secretary-fangtang");
        var week = IsoWeek.Parse("2026-W47");
        var first = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordService, "c:1", "买菜"));
        await world.Verification.ApproveAsync(secretary, first.Value!.Event.Id);
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, null);
        Assert.Equal(1, (await world.Publication.PublishedAsync("houzhai", week, SubjectKind.Landlord))!.Revision);

        // A late approval of an event of that week changes the list; the officer publishes a correction.
        var late = await world.Reporting.ReportAsync(new ReportRequest(Actor.Of(landlord), landlord.Id, DefaultRules.LandlordMediation, "c:2", "调解", TestWorld.Wednesday));
        await world.Verification.ApproveAsync(secretary, late.Value!.Event.Id);
        var corrected = await world.Publication.PublishAsync(officer, "houzhai", week, SubjectKind.Landlord, "补录一条调解");

        Assert.Equal(2, corrected.Value!.List.Revision);
        Assert.Equal(2, (await world.Publication.PublishedAsync("houzhai", week, SubjectKind.Landlord))!.Revision);
        Assert.Equal(1, (await world.Publication.PublishedAsync("houzhai", week, SubjectKind.Landlord, revision: 1))!.Revision);
    }
}
