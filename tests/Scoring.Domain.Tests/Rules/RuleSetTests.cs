using Scoring.Domain.Rules;

namespace Scoring.Domain.Tests.Rules;

public class RuleSetTests
{
    private static Rule Valid(string code = "tenant-service") =>
        new(code, "为租客代办", "Service done on a tenant's behalf", SubjectKind.Landlord, +1, [ReporterRole.Self], true, WeeklyCap: 3);

    [Fact]
    public void The_default_rules_are_a_valid_rule_set() => Assert.Empty(RuleSet.Validate(DefaultRules.All));

    [Fact]
    public void A_rule_set_needs_at_least_one_rule() => Assert.NotEmpty(RuleSet.Validate([]));

    [Fact]
    public void Rule_codes_are_unique_ignoring_case()
    {
        var problems = RuleSet.Validate([Valid("tenant-service"), Valid("Tenant-Service")]);
        Assert.Contains(problems, p => p.En.Contains("more than once"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("tenant service")]
    [InlineData("tenant_service")]
    [InlineData("代办")]
    [InlineData("a123456789b123456789c123456789d123456789e123456789f123456789g1234")] // 65 characters
    public void Rule_codes_are_1_to_64_letters_digits_or_dashes(string code) =>
        Assert.Contains(RuleSet.Validate([Valid(code)]), p => p.En.Contains("letters, digits"));

    [Fact]
    public void A_64_character_code_is_fine() =>
        Assert.Empty(RuleSet.Validate([Valid(new string('a', 64))]));

    public static TheoryData<Rule, string> BrokenRules => new()
    {
        { Valid() with { NameZh = "" }, "Chinese and an English name" },
        { Valid() with { NameEn = " " }, "Chinese and an English name" },
        { Valid() with { NameZh = new string('长', 101) }, "too long" },
        { Valid() with { NameEn = new string('x', 201) }, "too long" },
        { Valid() with { AppliesTo = (SubjectKind)7 }, "landlord or shop-head" },
        { Valid() with { Delta = 0 }, "delta ≠ 0" },
        { Valid() with { Delta = 101 }, "implausible delta" },
        { Valid() with { Delta = -101 }, "implausible delta" },
        { Valid() with { Delta = int.MinValue }, "implausible delta" }, // Math.Abs of it overflows
        { Valid() with { Delta = int.MaxValue }, "implausible delta" },
        { Valid() with { WeeklyCap = -1 }, "negative weekly cap" },
        { Valid() with { Once = (OncePer)7 }, "once must be target-per-cycle or subject-per-day" },
        { Valid(DefaultRules.LateReturn) with { Delta = 2 }, "must deduct points" },   // a late return would earn points
        { Valid(DefaultRules.RoundMissed) with { Delta = 1 }, "must deduct points" },
        { Valid() with { ReportedBy = [] }, "who may report" },
        { Valid() with { ReportedBy = null! }, "who may report" },
    };

    [Theory]
    [MemberData(nameof(BrokenRules))]
    public void Each_broken_rule_is_named_with_its_problem(Rule rule, string problem)
    {
        var problems = RuleSet.Validate([rule]);
        Assert.Contains(problems, p => p.En.Contains(problem) && p.En.Contains(rule.Code) && p.Zh.Contains($"「{rule.Code}」"));
    }

    [Fact]
    public void Boundary_values_are_allowed() =>
        Assert.Empty(RuleSet.Validate([Valid("a") with { Delta = 100, WeeklyCap = 0 }, Valid("b") with { Delta = -100, WeeklyCap = null }]));

    [Fact]
    public void Rules_are_found_by_code_ignoring_case_and_listed_by_kind()
    {
        var set = DefaultRules.For("houzhai", DateTimeOffset.UnixEpoch);
        Assert.Equal(DefaultRules.LandlordService, set.Find("TENANT-SERVICE")!.Code);
        Assert.Null(set.Find("no-such-rule"));
        Assert.Equal(6, set.For(SubjectKind.Landlord).Count());
        Assert.All(set.For(SubjectKind.ShopHead), r => Assert.Equal(SubjectKind.ShopHead, r.AppliesTo));
        Assert.Equal((1, "houzhai"), (set.Version, set.StreetId));
    }
}
