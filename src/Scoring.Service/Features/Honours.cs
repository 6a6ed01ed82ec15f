using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>The year's good-person candidates (后宅好人): subjects on the red list at least K times in the cycle year.</summary>
public static class Honours
{
    public static IEndpointRouteBuilder MapHonours(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Honours");
        staff.MapGet("/streets/{street}/honours/{year}", GetAsync).WithName("GetHonours")
            .WithSummary("Candidates of a cycle year: on the (latest revision of the) published red list at least the street's threshold times.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public sealed record CandidateView(string SubjectId, string Name, string Community, int RedListings, IReadOnlyList<string> Weeks);

    public sealed record HonoursView(string Street, int Year, IReadOnlyList<CandidateView> Candidates);

    private static async Task<Results<Ok<HonoursView>, ProblemHttpResult>> GetAsync(string street, string year, HttpContext http, Publication publication, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        check.That(int.TryParse(year, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 9998,
            new($"year '{(year.Length > 10 ? year[..10] : year)}' must be a year like 2026.", $"年份（year）「{(year.Length > 10 ? year[..10] : year)}」无效：请写成 2026 这样。"));
        if (check.Failed(out var bad)) return bad;
        var honours = await publication.HonoursAsync(http.Staff(), street, y, ct);
        if (honours.Failure is { } failure) return failure.ToProblem();
        return TypedResults.Ok(new HonoursView(street, y, honours.Value!.Select(c => new CandidateView(c.SubjectId, c.Name, c.Community, c.RedListings, c.Weeks)).ToList()));
    }
}
