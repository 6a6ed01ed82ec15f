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
            (await rosters.UpdateStaffAsync(officer, "secretary-fangtang", new StaffDraft(Name: "李新书记", Phone: "13800009999"))).Failure!,
            (await rosters.CreateStaffAsync(officer, "houzhai", new StaffDraft(Role: "boss", Community: "fangtang", Name: "新人"))).Failure!,
            (await rosters.CreateSubjectAsync(officer, "houzhai", new SubjectDraft(Kind: "owner", Community: "fangtang", Name: "新人", Phone: "13900000099"))).Failure!,
            (await world.Verification.RejectAsync(await world.StaffAsync("secretary-fangtang"), pending.Event.Id, " ")).Failure!,
        ];

        Assert.Equal(["cap-reached", "in-future", "too-old", "code-unknown", "code-used", "self-deactivation", "staff-person-changed", "role-invalid", "kind-invalid", "reason-required"],
            refusals.Select(f => f.Code));
        // Times (08:30), ids and week names (2026-W47) keep their ASCII; a comma, colon or bracket touching a Chinese word does not.
        Assert.All(refusals, f => Assert.DoesNotMatch(AsciiNextToChinese(), f.Chinese));
    }

    [Fact]
    public async Task An_officer_s_invalid_rules_and_settings_are_explained_in_Chinese_words_not_in_English_sentences()
    {
        await using var world = await CreateAsync();
        var officer = await world.StaffAsync("officer-1");
        RuleDraft Rule(string code, int delta = 1, string appliesTo = "landlord", string nameZh = "代办", string nameEn = "Service", string[]? reportedBy = null, int? cap = null) =>
            new(code, nameZh, nameEn, appliesTo, delta, reportedBy ?? ["self"], WeeklyCap: cap);

        // One rule set and one settings change with every problem each check knows, so every Chinese text is read.
        var rules = await new RuleBook(world.Db, world.Clock).PublishAsync(officer, "houzhai",
        [
            Rule("tenant-service", delta: 0), Rule("tenant-service"), null!, Rule("bad_code"), Rule("nameless", nameZh: " "),
            Rule("long-name", nameZh: new string('长', 101)), Rule("tenant", appliesTo: "tenant"), Rule("who", reportedBy: ["mayor"]),
            Rule("hidden", nameEn: "Serv\u200bice"), Rule("huge", delta: 200), Rule(DefaultRules.LateReturn, delta: 2),
            Rule("negative-cap", cap: -1), Rule("nobody", reportedBy: []),
        ]);
        var settings = await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(
            TimeZone: "Mars/Olympus", Cycle: "monthly", LateReturnWindowHours: 0, EscalationAfterHours: 500, DailyDeadline: "4pm",
            WorkingHoursStart: "19:00", RedListSize: 0, BlackListSize: 51, HonourThreshold: 0, YuanPerPoint: 0.001m, ShopLimit: 0,
            Holidays: ["someday", "2026-10-10"], Workdays: ["2026-10-10", "2026-10-09"]));
        var hoursOnly = await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(
            WorkingHoursStart: "09:00", DailyDeadline: "08:30", Holidays: Enumerable.Range(0, 101).Select(i => new DateOnly(2027, 1, 1).AddDays(i).ToString("yyyy-MM-dd")).ToList()));

        // The English stays as clients know it.
        Assert.Contains("Rule 'tenant-service' must add or deduct points (delta ≠ 0).", rules.Failure!.English);
        Assert.Contains("timeZone 'Mars/Olympus' is not a known time zone (e.g. Asia/Shanghai).", settings.Failure!.English);
        Assert.Equal(["invalid-rules", "invalid-settings", "invalid-settings"], new[] { rules.Failure, settings.Failure, hoursOnly.Failure! }.Select(f => f.Code));
        Assert.Contains("规则「tenant-service」必须加分或扣分（分值不能为0）。", rules.Failure.Chinese);
        Assert.Contains("时区", settings.Failure.Chinese);
        Assert.Contains("红榜人数", settings.Failure.Chinese);
        Assert.Contains("每日截止时间", hoursOnly.Failure!.Chinese);
        foreach (var chinese in new[] { rules.Failure.Chinese, settings.Failure.Chinese, hoursOnly.Failure.Chinese })
        {
            Assert.DoesNotMatch(EnglishWords(), chinese);
            Assert.DoesNotMatch(AsciiNextToChinese(), chinese);
        }
    }

    /// <summary>Two English words in a row: a sentence, where a Chinese text may hold only codes, times and setting names.</summary>
    [GeneratedRegex(@"[A-Za-z]{2,} +[A-Za-z]{2,}")]
    private static partial Regex EnglishWords();

    [GeneratedRegex(@"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][,:;()!?]|[,:;()!?][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")]
    private static partial Regex AsciiNextToChinese();
}
