using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Storage;

namespace Scoring.Service.Features;

public static class Health
{
    private static readonly DialectSql Ping = DialectSql.Both("SELECT 1");

    /// <summary>GET /healthz: 200 when the service and its database answer, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async Task<Results<Ok<HealthReport>, ProblemHttpResult>> (Database db, CancellationToken ct) =>
        {
            try
            {
                await db.ReadAsync(s => s.ScalarAsync<long>(Ping), ct);
                return TypedResults.Ok(new HealthReport("ok", db.Provider.ToString()));
            }
            catch (System.Data.Common.DbException)
            {
                return TypedResults.Problem(statusCode: 503, title: "Database unavailable", detail: "The database does not answer.");
            }
        }).WithName("Health").WithTags("Health");
        return app;
    }

    public sealed record HealthReport(string Status, string Storage);
}
