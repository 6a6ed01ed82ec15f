using Scoring.Domain.Rules;

namespace Scoring.Domain.Tests.Rules;

public class DefaultRulesTests
{
    private static Rule Rule(string code) => DefaultRules.All.Single(r => r.Code == code);

    [Theory]
    [InlineData(DefaultRules.LandlordReportedViolation, SubjectKind.Landlord, +2, null)]
    [InlineData(DefaultRules.LandlordService, SubjectKind.Landlord, +1, 3)]
    [InlineData(DefaultRules.LandlordMediation, SubjectKind.Landlord, +1, null)]
    [InlineData(DefaultRules.LateReturn, SubjectKind.Landlord, -2, null)]
    [InlineData(DefaultRules.NotDisinfected, SubjectKind.Landlord, -1, null)]
    [InlineData(DefaultRules.TenantConcealed, SubjectKind.Landlord, -6, null)]
    [InlineData(DefaultRules.ShopReportedViolation, SubjectKind.ShopHead, +2, null)]
    [InlineData(DefaultRules.ShopReopenHelped, SubjectKind.ShopHead, +1, 3)]
    [InlineData(DefaultRules.ShopMediation, SubjectKind.ShopHead, +1, null)]
    [InlineData(DefaultRules.ShopOpenedUnregistered, SubjectKind.ShopHead, -2, null)]
    [InlineData(DefaultRules.RoundMissed, SubjectKind.ShopHead, -1, null)]
    [InlineData(DefaultRules.ShopConcealed, SubjectKind.ShopHead, -6, null)]
    public void The_default_rules_carry_the_design_s_points_and_caps(string code, SubjectKind kind, int delta, int? cap)
    {
        var rule = Rule(code);
        Assert.Equal((kind, delta, cap), (rule.AppliesTo, rule.Delta, rule.WeeklyCap));
        Assert.False(string.IsNullOrWhiteSpace(rule.NameZh));
        Assert.False(string.IsNullOrWhiteSpace(rule.NameEn));
    }

    [Fact]
    public void Only_a_shop_s_reopening_is_scored_once_a_cycle_and_only_a_missed_round_once_a_day() =>
        Assert.Equal([(DefaultRules.ShopReopenHelped, OncePer.TargetPerCycle), (DefaultRules.RoundMissed, OncePer.SubjectPerDay)],
            DefaultRules.All.Where(r => r.Once is not null).Select(r => (r.Code, r.Once!.Value)));

    [Fact]
    public void There_are_twelve_default_rules_six_per_kind() =>
        Assert.Equal([6, 6], DefaultRules.All.GroupBy(r => r.AppliesTo).Select(g => g.Count()));

    [Fact]
    public void Self_reported_additions_and_all_deductions_need_verification() =>
        Assert.All(DefaultRules.All, r => Assert.True(r.NeedsVerification, r.Code));

    [Fact]
    public void Additions_are_reported_by_the_subject_and_deductions_never_are()
    {
        Assert.All(DefaultRules.All.Where(r => r.IsAddition), r => Assert.True(r.MayBeReportedBy(ReporterRole.Self), r.Code));
        Assert.All(DefaultRules.All.Where(r => r.IsDeduction), r => Assert.False(r.MayBeReportedBy(ReporterRole.Self), r.Code));
    }

    [Fact]
    public void A_late_return_is_detected_by_the_system_and_nobody_else()
    {
        Assert.Equal([ReporterRole.System], Rule(DefaultRules.LateReturn).ReportedBy);
    }

    [Fact]
    public void Unaired_corridors_are_reported_by_a_grid_worker()
    {
        Assert.True(Rule(DefaultRules.NotDisinfected).MayBeReportedBy(ReporterRole.GridWorker));
    }

    [Fact]
    public void Rule_names_speak_the_reader_s_language()
    {
        var rule = Rule(DefaultRules.LandlordService);
        Assert.Equal("为租客代办", rule.Name(chinese: true));
        Assert.Equal("Service done on a tenant's behalf", rule.Name(chinese: false));
    }
}
