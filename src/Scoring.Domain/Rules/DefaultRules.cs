namespace Scoring.Domain.Rules;

/// <summary>The default rules of DESIGN.md (Houzhai's twelve-point system and the shop-head system).</summary>
public static class DefaultRules
{
    public const string LandlordReportedViolation = "tenant-violation-reported";
    public const string LandlordService = "tenant-service";
    public const string LandlordMediation = "landlord-mediation";
    public const string LateReturn = "late-return";
    public const string NotDisinfected = "corridor-not-disinfected";
    public const string TenantConcealed = "tenant-concealed";
    public const string ShopReportedViolation = "shop-violation-reported";
    public const string ShopReopenHelped = "shop-reopen-helped";
    public const string ShopMediation = "shop-mediation";
    public const string ShopOpenedUnregistered = "shop-opened-unregistered";
    public const string RoundMissed = "round-missed";
    public const string ShopConcealed = "shop-concealed";

    private static readonly ReporterRole[] Self = [ReporterRole.Self, ReporterRole.Secretary];
    private static readonly ReporterRole[] Observer = [ReporterRole.GridWorker, ReporterRole.Secretary];
    private static readonly ReporterRole[] SystemDetected = [ReporterRole.System];

    public static IReadOnlyList<Rule> All { get; } =
    [
        new(LandlordReportedViolation, "上报租客违规", "Reported a tenant who broke the rules", SubjectKind.Landlord, +2, Self, true),
        new(LandlordService, "为租客代办", "Service done on a tenant's behalf", SubjectKind.Landlord, +1, Self, true, WeeklyCap: 3),
        new(LandlordMediation, "参与矛盾调解", "Helped mediate a dispute", SubjectKind.Landlord, +1, Self, true),
        new(LateReturn, "未及时上报租客返回", "Tenant's return reported late", SubjectKind.Landlord, -2, SystemDetected, true),
        new(NotDisinfected, "未按时消毒楼道等公共区域", "Corridors/common areas not disinfected on schedule", SubjectKind.Landlord, -1, Observer, true),
        new(TenantConcealed, "故意瞒报租客情况", "Deliberately concealed a tenant", SubjectKind.Landlord, -6, Observer, true),
        new(ShopReportedViolation, "上报店铺违规", "Reported a non-compliant shop", SubjectKind.ShopHead, +2, Self, true),
        new(ShopReopenHelped, "协助店铺复工登记", "Helped a shop register to reopen", SubjectKind.ShopHead, +1, Self, true, WeeklyCap: 3, Once: OncePer.TargetPerCycle),
        new(ShopMediation, "参与矛盾调解", "Helped mediate a dispute", SubjectKind.ShopHead, +1, Self, true),
        new(ShopOpenedUnregistered, "店铺未登记擅自开门", "A shop opened without registering", SubjectKind.ShopHead, -2, Observer, true),
        new(RoundMissed, "未完成每日巡查", "Daily round missed", SubjectKind.ShopHead, -1, [ReporterRole.System, ReporterRole.GridWorker, ReporterRole.Secretary], true, Once: OncePer.SubjectPerDay),
        new(ShopConcealed, "故意瞒报", "Deliberate concealment", SubjectKind.ShopHead, -6, Observer, true),
    ];

    public static RuleSet For(string streetId, DateTimeOffset effectiveFrom) => new(streetId, 1, effectiveFrom, All);
}
