using System.Globalization;
using Scoring.Domain;
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
    // What GET answers beside the settings, so its body can be edited and sent back: the street must be this one,
    // the changes are ignored.
    string? Street = null,
    System.Text.Json.JsonElement? Changes = null);

/// <summary>A street's settings and their latest changes (newest first).</summary>
public sealed record StreetSettingsView(string StreetId, StreetSettings Settings, IReadOnlyList<SettingsChange> Changes);

/// <summary>
/// The street's settings (DESIGN: the escalation window, the daily deadline, list sizes, the honours threshold…):
/// read by its staff, changed by its officers, every change recorded with who made it. Other instances see a change
/// within the reference cache's lifetime (30 s).
/// </summary>
public sealed class StreetSettingsBook(Database db, TimeProvider time)
{
    public const int ChangesShown = 20;

    public static string CycleWire(CycleKind cycle) => cycle == CycleKind.WeekQuarter ? "week-quarter" : "week-year";

    public static string TimeWire(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string DayWire(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<Outcome<StreetSettingsView>> ReadAsync(StaffMember actor, string streetId, CancellationToken ct = default)
    {
        if (actor.Role != StaffRole.Admin && actor.StreetId != streetId) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<StreetSettingsView>>(async s =>
            await s.GetStreetAsync(streetId) is { } street
                ? new StreetSettingsView(streetId, street.Settings, await s.ListSettingsChangesAsync(streetId, ChangesShown))
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
                return Failure.Invalid("invalid-settings", string.Join(" ", problems.Distinct()), "设置有误:" + string.Join(" ", problems.Distinct()));
            var fields = Differences(street.Settings, changed);
            if (fields.Count > 0)
            {
                // Events carry the week and cycle they were counted in: moving the zone or the cycle under them would
                // put old and new events in different weeks.
                if ((fields.Contains("timeZone") || fields.Contains("cycle")) && await s.HasEventsAsync(streetId))
                    return Failure.Conflict("settings-fixed", "The time zone and the cycle cannot change once the street has scored events.", "街道已有积分记录,时区和周期不能再修改。");
                await s.ChangeSettingsAsync(streetId, changed, actor.Id, fields, time.GetUtcNow());
            }
            return new StreetSettingsView(streetId, changed, await s.ListSettingsChangesAsync(streetId, ChangesShown));
        }, ct);
    }

    private static (StreetSettings Settings, List<string> Problems) Apply(StreetSettings current, SettingsDraft d)
    {
        var problems = new List<string>();
        var cycle = current.Cycle;
        if (d.Cycle is { } c)
        {
            if (c == "week-year") cycle = CycleKind.WeekYear;
            else if (c == "week-quarter") cycle = CycleKind.WeekQuarter;
            else problems.Add($"cycle '{Shorten(c)}' is unknown: use week-year or week-quarter.");
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
        };
        return (settings, problems);

        // Out of range on purpose when too large, so the settings' own check names it.
        static TimeSpan Hours(int hours) => TimeSpan.FromHours(Math.Clamp(hours, -1, 24 * 365));

        TimeOnly? Time(string name, string? text)
        {
            if (text is null) return null;
            if (TimeOnly.TryParseExact(text.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) return t;
            problems.Add($"{name} '{Shorten(text)}' is not a time of day like 16:00.");
            return null;
        }

        IReadOnlyList<DateOnly>? Days(string name, IReadOnlyList<string?>? texts)
        {
            if (texts is null) return null;
            var days = new SortedSet<DateOnly>();
            foreach (var text in texts)
            {
                if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) days.Add(day);
                else problems.Add($"{name}: '{Shorten(text)}' is not a day like 2026-10-01.");
            }
            return [.. days];
        }
    }

    /// <summary>The wire names of the settings that differ.</summary>
    private static List<string> Differences(StreetSettings a, StreetSettings b)
    {
        var fields = new List<string>();
        if (a.TimeZoneId != b.TimeZoneId) fields.Add("timeZone");
        if (a.Cycle != b.Cycle) fields.Add("cycle");
        if (a.LateReturnWindow != b.LateReturnWindow) fields.Add("lateReturnWindowHours");
        if (a.EscalationAfter != b.EscalationAfter) fields.Add("escalationAfterHours");
        if (a.DailyDeadline != b.DailyDeadline) fields.Add("dailyDeadline");
        if (a.WorkingHoursStart != b.WorkingHoursStart) fields.Add("workingHoursStart");
        if (a.WorkingHoursEnd != b.WorkingHoursEnd) fields.Add("workingHoursEnd");
        if (a.RedListSize != b.RedListSize) fields.Add("redListSize");
        if (a.BlackListSize != b.BlackListSize) fields.Add("blackListSize");
        if (a.HonourThreshold != b.HonourThreshold) fields.Add("honourThreshold");
        if (a.YuanPerPoint != b.YuanPerPoint) fields.Add("yuanPerPoint");
        if (a.ShopLimit != b.ShopLimit) fields.Add("shopLimit");
        if (!a.Holidays.SequenceEqual(b.Holidays)) fields.Add("holidays");
        if (!a.Workdays.SequenceEqual(b.Workdays)) fields.Add("workdays");
        return fields;
    }

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 40 ? text[..40] + "…" : text;
}
