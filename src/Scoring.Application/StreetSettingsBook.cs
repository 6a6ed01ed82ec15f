using System.Globalization;
using System.Text.Json;
using Scoring.Domain;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// A change to a street's settings as an officer writes it: only the settings given change (wire words: times as
/// <c>16:00</c>, days as <c>2026-10-01</c>, the cycle as <c>week-year</c> or <c>week-quarter</c>). A misspelt setting
/// is refused rather than ignored: an officer would otherwise be told "saved" with nothing changed.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record SettingsDraft(
    string? TimeZone = null,
    string? Cycle = null,
    int? LateReturnWindowHours = null,
    int? EscalationAfterHours = null,
    string? DailyDeadline = null,
    string? WorkingHoursStart = null,
    string? WorkingHoursEnd = null,
    int? RedListSize = null,
    int? BlackListSize = null,
    int? HonourThreshold = null,
    decimal? YuanPerPoint = null,
    int? ShopLimit = null,
    IReadOnlyList<string?>? Holidays = null,
    IReadOnlyList<string?>? Workdays = null,
    bool? RoundsOnHolidays = null,
    // What GET answers beside the settings, so its body can be edited and sent back: the street must be this one,
    // the changes are ignored.
    string? Street = null,
    System.Text.Json.JsonElement? Changes = null);

/// <summary>
/// A street's settings as its staff read them (in the wire words a <see cref="SettingsDraft"/> takes back) and their
/// latest changes, newest first.
/// </summary>
public sealed record StreetSettingsView(
    string Street, string TimeZone, string Cycle, int LateReturnWindowHours, int EscalationAfterHours, string DailyDeadline,
    string WorkingHoursStart, string WorkingHoursEnd, int RedListSize, int BlackListSize, int HonourThreshold, decimal YuanPerPoint,
    int ShopLimit, IReadOnlyList<string> Holidays, IReadOnlyList<string> Workdays, bool RoundsOnHolidays, IReadOnlyList<SettingsChange> Changes)
{
    public static StreetSettingsView Of(string street, StreetSettings s, IReadOnlyList<SettingsChange> changes) => new(
        street, s.TimeZoneId, s.Cycle == CycleKind.WeekQuarter ? "week-quarter" : "week-year", (int)s.LateReturnWindow.TotalHours,
        (int)s.EscalationAfter.TotalHours, Time(s.DailyDeadline), Time(s.WorkingHoursStart), Time(s.WorkingHoursEnd),
        s.RedListSize, s.BlackListSize, s.HonourThreshold, s.YuanPerPoint, s.ShopLimit, Days(s.Holidays), Days(s.Workdays), s.RoundsOnHolidays, changes);

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static List<string> Days(IEnumerable<DateOnly> days) => days.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
}

/// <summary>
/// The street's settings (DESIGN: the escalation window, the daily deadline, list sizes, the honours threshold…):
/// read by its staff, changed by its officers, every change recorded with who made it. Other instances see a change
/// within the reference cache's lifetime (30 s).
/// </summary>
public sealed class StreetSettingsBook(Database db, TimeProvider time)
{
    public const int ChangesShown = 20;

    /// <summary>The wire name of the late-return window among a change's fields: the view's, as <see cref="Wire"/> names it (camel case).</summary>
    public static readonly string LateReturnWindowField = JsonNamingPolicy.CamelCase.ConvertName(nameof(StreetSettingsView.LateReturnWindowHours));

    /// <summary>The wire name of the honours threshold among a change's fields.</summary>
    public static readonly string HonourThresholdField = JsonNamingPolicy.CamelCase.ConvertName(nameof(StreetSettingsView.HonourThreshold));

    /// <summary>
    /// The honours threshold in force at <paramref name="at"/>, from the street's recorded change that decides it
    /// (<see cref="StreetStore.SettingsInForceAtAsync"/>): the one the last change by then left; before the street's first
    /// change, the default every street is set up with unless that change left the threshold as it was; with no change
    /// recorded at all, the threshold now.
    /// </summary>
    public static int HonourThresholdAt(SettingsState? inForce, StreetSettings now, DateTimeOffset at) =>
        SettingAt(inForce, now, at, HonourThresholdField, x => x.HonourThreshold);

    /// <summary>
    /// A setting (<paramref name="field"/>, its wire name) in force at <paramref name="at"/>, read from the recorded change
    /// that decides it as <see cref="HonourThresholdAt"/> reads the threshold.
    /// </summary>
    public static T SettingAt<T>(SettingsState? inForce, StreetSettings now, DateTimeOffset at, string field, Func<StreetSettings, T> of)
    {
        if (inForce is null) return of(now);
        if (inForce.At <= at) return of(inForce.Settings);
        // Streets are set up with the default settings: before a first change that moved this setting, it was the default.
        return inForce.Fields.Contains(field) ? of(new StreetSettings()) : of(inForce.Settings);
    }

    public async Task<Outcome<StreetSettingsView>> ReadAsync(StaffMember actor, string streetId, CancellationToken ct = default)
    {
        if (actor.Role != StaffRole.Admin && actor.StreetId != streetId) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<StreetSettingsView>>(async s =>
            await s.GetStreetAsync(streetId) is { } street
                ? StreetSettingsView.Of(streetId, street.Settings, await s.ListSettingsChangesAsync(streetId, ChangesShown))
                : Failure.StreetNotFound(streetId), ct);
    }

    /// <summary>Changes the settings given in <paramref name="draft"/>; the same values again change nothing and record nothing.</summary>
    public async Task<Outcome<StreetSettingsView>> ChangeAsync(StaffMember actor, string streetId, SettingsDraft draft, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(streetId)) return Failure.Forbidden("Only the street's officers change its settings.", "只有街道工作人员可以修改街道设置。");
        return await db.WriteAsync<Outcome<StreetSettingsView>>(async s =>
        {
            // Not the cached street: another instance's change within the cache's lifetime would be silently undone.
            if (await s.GetStreetForChangeAsync(streetId) is not { } street) return Failure.StreetNotFound(streetId);
            var (changed, problems) = Apply(street.Settings, draft);
            problems.AddRange(changed.Problems());
            if (problems.Count > 0)
                return Failure.Invalid("invalid-settings", Problem.Join(problems, chinese: false), "设置有误：" + Problem.Join(problems, chinese: true));
            var fields = Differences(street.Settings, changed);
            if (fields.Count > 0)
            {
                // Events carry the week and cycle they were counted in: moving the zone or the cycle under them would
                // put old and new events in different weeks.
                if ((fields.Contains("timeZone") || fields.Contains("cycle")) && await s.HasEventsAsync(streetId))
                    return Failure.Conflict("settings-fixed", "The time zone and the cycle cannot change once the street has scored events.", "街道已有积分记录，时区和周期不能再修改。");
                if (fields.Contains("shopLimit") && changed.ShopLimit < street.Settings.ShopLimit
                    && await AboveShopLimitAsync(s, streetId, changed.ShopLimit) is { } above)
                    return above;
                // A version applies from a Monday 00:00 of the street's zone, so no week is scored under two rule sets and
                // the street begins with a whole week: in the new zone each starts on the same week's Monday.
                if (fields.Contains("timeZone"))
                    foreach (var set in await s.ListRuleSetsForChangeAsync(streetId))
                        if (IsoWeek.Containing(set.EffectiveFrom, street.Settings.TimeZone).Start(changed.TimeZone) is var start && start != set.EffectiveFrom)
                            await s.MoveRuleSetAsync(streetId, set.Version, start);
                await s.ChangeSettingsAsync(streetId, changed, actor.Id, fields, time.GetUtcNow());
            }
            return StreetSettingsView.Of(streetId, changed, await s.ListSettingsChangesAsync(streetId, ChangesShown));
        }, ct);
    }

    /// <summary>
    /// The refusal of a shop limit below what someone on the roster answers for now, naming them (the most first), or null.
    /// Lowered under them, the limit did not hold for them anyway, and the roster exported and imported again failed on
    /// their shops: the office moves shops to another shop head first (or closes them), then lowers the limit.
    /// </summary>
    private static async Task<Failure?> AboveShopLimitAsync(Session s, string streetId, int limit)
    {
        var heads = (await s.ListSubjectsAsync(streetId)).Where(x => x.Active && x.Kind == SubjectKind.ShopHead).ToDictionary(x => x.Id);
        var above = (await s.ShopsOfStreetAsync(streetId)).Where(x => x.Active && heads.ContainsKey(x.SubjectId))
            .GroupBy(x => x.SubjectId).Select(g => (Head: heads[g.Key], Shops: g.Count())).Where(x => x.Shops > limit)
            .OrderByDescending(x => x.Shops).ThenBy(x => x.Head.Name, StringComparer.Ordinal).ToList();
        if (above.Count == 0) return null;
        const int named = 10;
        var most = above[0].Shops;
        var en = string.Join(", ", above.Take(named).Select(x => $"{x.Head.Name} ({x.Shops})")) + (above.Count > named ? $" and {above.Count - named} more" : "");
        var zh = string.Join("、", above.Take(named).Select(x => $"{x.Head.Name}（{x.Shops}家）")) + (above.Count > named ? $"等{above.Count}人" : "");
        return Failure.Conflict("shop-limit-below-holdings",
            $"shopLimit cannot go below what a shop head answers for now: {en}. Move their extra shops to another shop head or close them first, or set it to at least {most}.",
            $"{StreetSettings.Named("shopLimit")}不能低于铺长现在负责的店铺数：{zh}。请先把多出的店铺转给其他铺长或停用，或把上限设为至少{most}家。");
    }

    private static (StreetSettings Settings, List<Problem> Problems) Apply(StreetSettings current, SettingsDraft d)
    {
        var problems = new List<Problem>();
        var cycle = current.Cycle;
        if (d.Cycle is { } c)
        {
            if (c == "week-year") cycle = CycleKind.WeekYear;
            else if (c == "week-quarter") cycle = CycleKind.WeekQuarter;
            else problems.Add(new($"cycle '{RosterText.Clip(c)}' is unknown: use week-year or week-quarter.", $"{StreetSettings.Named("cycle")}「{RosterText.Clip(c)}」无法识别，请用 week-year 或 week-quarter。"));
        }
        var settings = current with
        {
            TimeZoneId = d.TimeZone?.Trim() ?? current.TimeZoneId,
            Cycle = cycle,
            LateReturnWindow = d.LateReturnWindowHours is { } late ? Hours(late) : current.LateReturnWindow,
            EscalationAfter = d.EscalationAfterHours is { } esc ? Hours(esc) : current.EscalationAfter,
            DailyDeadline = Time("dailyDeadline", d.DailyDeadline) ?? current.DailyDeadline,
            WorkingHoursStart = Time("workingHoursStart", d.WorkingHoursStart) ?? current.WorkingHoursStart,
            WorkingHoursEnd = Time("workingHoursEnd", d.WorkingHoursEnd) ?? current.WorkingHoursEnd,
            RedListSize = d.RedListSize ?? current.RedListSize,
            BlackListSize = d.BlackListSize ?? current.BlackListSize,
            HonourThreshold = d.HonourThreshold ?? current.HonourThreshold,
            YuanPerPoint = d.YuanPerPoint ?? current.YuanPerPoint,
            ShopLimit = d.ShopLimit ?? current.ShopLimit,
            Holidays = Days("holidays", d.Holidays) ?? current.Holidays,
            Workdays = Days("workdays", d.Workdays) ?? current.Workdays,
            RoundsOnHolidays = d.RoundsOnHolidays ?? current.RoundsOnHolidays,
        };
        return (settings, problems);

        // Out of range on purpose when too large, so the settings' own check names it.
        static TimeSpan Hours(int hours) => TimeSpan.FromHours(Math.Clamp(hours, -1, 24 * 365));

        TimeOnly? Time(string name, string? text)
        {
            if (text is null) return null;
            if (TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
            problems.Add(new($"{name} '{RosterText.Clip(text)}' is not a time of day like 16:00.", $"{StreetSettings.Named(name)}「{RosterText.Clip(text)}」不是16:00这样的时刻。"));
            return null;
        }

        IReadOnlyList<DateOnly>? Days(string name, IReadOnlyList<string?>? texts)
        {
            if (texts is null) return null;
            var days = new SortedSet<DateOnly>();
            foreach (var text in texts)
            {
                if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) days.Add(day);
                else problems.Add(new($"{name}: '{RosterText.Clip(text ?? "null")}' is not a day like 2026-10-01.", $"{StreetSettings.Named(name)}：「{RosterText.Clip(text ?? "null")}」不是2026-10-01这样的日期。"));
            }
            return [.. days];
        }
    }

    private static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web);

    /// <summary>The wire names of the settings that differ: derived from the one mapping to wire words, so a new setting cannot be forgotten here.</summary>
    private static List<string> Differences(StreetSettings a, StreetSettings b)
    {
        var before = JsonSerializer.SerializeToElement(StreetSettingsView.Of("", a, []), Wire);
        var after = JsonSerializer.SerializeToElement(StreetSettingsView.Of("", b, []), Wire);
        return before.EnumerateObject().Where(p => !JsonElement.DeepEquals(p.Value, after.GetProperty(p.Name))).Select(p => p.Name).ToList();
    }
}
