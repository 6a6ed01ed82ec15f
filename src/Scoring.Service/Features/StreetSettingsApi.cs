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

    private static async Task<Results<Ok<StreetSettingsView>, ProblemHttpResult>> GetAsync(string street, HttpContext http, StreetSettingsBook book, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        if (check.Failed(out var bad)) return bad;
        var read = await book.ReadAsync(http.Staff(), street, ct);
        return read.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(read.Value!);
    }

    private static async Task<Results<Ok<StreetSettingsView>, ProblemHttpResult>> PatchAsync(string street, SettingsDraft? body, HttpContext http, StreetSettingsBook book, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        check.Body("the settings to change", body, "要修改的设置");
        check.That(body?.Street is null || body.Street == street, new($"street '{RosterText.Clip(body?.Street)}' in the body is not the street of the address.",
            $"请求体中的街道编号（street）「{RosterText.Clip(body?.Street)}」与地址中的街道「{RosterText.Clip(street)}」不一致。"));
        if (check.Failed(out var bad)) return bad;
        var changed = await book.ChangeAsync(http.Staff(), street, body!, ct);
        return changed.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(changed.Value!);
    }
}
