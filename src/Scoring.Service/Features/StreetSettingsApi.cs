using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>A street's settings: read by its staff, changed by its officers (only the settings a request names).</summary>
public static class StreetSettingsApi
{
    public static IEndpointRouteBuilder MapStreetSettings(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Settings");
        staff.MapGet("/streets/{street}/settings", GetAsync).WithName("GetStreetSettings")
            .WithSummary("The street's settings and their latest changes (who, when, which).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPatch("/streets/{street}/settings", PatchAsync).WithName("ChangeStreetSettings")
            .WithSummary("Changes the settings named in the body (officers); the rest stay. Time zone and cycle only before the first scored event.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record ChangeView(DateTimeOffset At, string By, IReadOnlyList<string> Fields);

    public sealed record SettingsView(
        string Street, string TimeZone, string Cycle, int LateReturnWindowHours, int EscalationAfterHours, string DailyDeadline,
        string WorkingHoursStart, string WorkingHoursEnd, int RedListSize, int BlackListSize, int HonourThreshold, decimal YuanPerPoint,
        int ShopLimit, IReadOnlyList<string> Holidays, IReadOnlyList<string> Workdays, IReadOnlyList<ChangeView> Changes);

    private static async Task<Results<Ok<SettingsView>, ProblemHttpResult>> GetAsync(string street, HttpContext http, StreetSettingsBook book, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        if (check.Failed(out var bad)) return bad;
        var read = await book.ReadAsync(http.Staff(), street, ct);
        return read.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(View(read.Value!));
    }

    private static async Task<Results<Ok<SettingsView>, ProblemHttpResult>> PatchAsync(string street, SettingsDraft? body, HttpContext http, StreetSettingsBook book, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        check.Required("The body (the settings to change)", body);
        check.That(body?.Street is null || body.Street == street, $"street '{body?.Street}' in the body is not the street of the address.");
        if (check.Failed(out var bad)) return bad;
        var changed = await book.ChangeAsync(http.Staff(), street, body!, ct);
        return changed.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(View(changed.Value!));
    }

    private static SettingsView View(StreetSettingsView v)
    {
        var s = v.Settings;
        return new SettingsView(v.StreetId, s.TimeZoneId, StreetSettingsBook.CycleWire(s.Cycle), (int)s.LateReturnWindow.TotalHours, (int)s.EscalationAfter.TotalHours,
            StreetSettingsBook.TimeWire(s.DailyDeadline), StreetSettingsBook.TimeWire(s.WorkingHoursStart), StreetSettingsBook.TimeWire(s.WorkingHoursEnd),
            s.RedListSize, s.BlackListSize, s.HonourThreshold, s.YuanPerPoint, s.ShopLimit,
            s.Holidays.Select(StreetSettingsBook.DayWire).ToList(), s.Workdays.Select(StreetSettingsBook.DayWire).ToList(),
            v.Changes.Select(c => new ChangeView(c.At.ToUniversalTime(), c.By, c.Fields)).ToList());
    }
}
