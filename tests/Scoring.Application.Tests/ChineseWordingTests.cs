using System.Text.RegularExpressions;
using Scoring.Domain.Rules;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

/// <summary>The Chinese a landlord, a secretary or an officer reads: punctuated as the rest of the bot's Chinese is.</summary>
public sealed partial class ChineseWordingTests
{
    [Fact]
    public async Task Chinese_refusals_use_full_width_punctuation_next_to_Chinese_words()
    {
        await using var world = await CreateAsync();
        var landlord = Actor.Of(await world.SubjectAsync("landlord-1"));
        var officer = await world.StaffAsync("officer-1");
        var rosters = new Application.Rosters(world.Db, world.Clock);
        for (int i = 0; i < 3; i++) await world.SelfReportAsync("landlord-1", DefaultRules.LandlordService);
        var pending = await world.SelfReportAsync("landlord-2", DefaultRules.LandlordMediation);
        var used = (await world.Enrolment.IssueAsync(officer, "subject", "landlord-3")).Value!;
        Assert.True((await world.Enrolment.BindAsync("emulator", "first", used.Code)).Succeeded);

        Failure[] refusals =
        [
            (await world.Reporting.ReportAsync(new ReportRequest(landlord, "landlord-1", DefaultRules.LandlordService, "cap", "代办"))).Failure!,
            (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddHours(1), "future")).Failure!,
            (await world.Reporting.ReportReturnAsync(landlord, "landlord-1-t1", Wednesday.AddDays(-400), "old")).Failure!,
            (await world.Enrolment.BindAsync("emulator", "someone", "WRONG1")).Failure!,
            (await world.Enrolment.BindAsync("emulator", "second", used.Code)).Failure!,
            (await rosters.UpdateStaffAsync(officer, officer.Id, new StaffDraft(Active: false))).Failure!,
            (await rosters.CreateStaffAsync(officer, "houzhai", new StaffDraft(Role: "boss", Community: "fangtang", Name: "新人"))).Failure!,
            (await rosters.CreateSubjectAsync(officer, "houzhai", new SubjectDraft(Kind: "owner", Community: "fangtang", Name: "新人", Phone: "13900000099"))).Failure!,
            (await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), pending.Event.Id, " ")).Failure!,
        ];

        Assert.Equal(["cap-reached", "in-future", "too-old", "code-unknown", "code-used", "self-deactivation", "role-invalid", "kind-invalid", "reason-required"],
            refusals.Select(f => f.Code));
        // Times (08:30), ids and week names (2026-W47) keep their ASCII; a comma, colon or bracket touching a Chinese word does not.
        Assert.All(refusals, f => Assert.DoesNotMatch(AsciiNextToChinese(), f.Chinese));
    }

    [GeneratedRegex(@"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][,:;()!?]|[,:;()!?][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")]
    private static partial Regex AsciiNextToChinese();
}
