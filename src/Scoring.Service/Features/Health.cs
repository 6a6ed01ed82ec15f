using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Storage;

namespace Scoring.Service.Features;

public static class Health
{
    private static readonly DialectSql Ping = DialectSql.Both("SELECT 1");

    /// <summary>GET /healthz: 200 when the service and its database answer, 503 otherwise.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", CheckAsync).WithName("Health").WithTags("Health");
        return app;
    }

    internal static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> CheckAsync(Database db, CancellationToken ct)
    {
        try
        {
            await db.ReadAsync(s => s.ScalarAsync<long>(Ping), ct);
            return TypedResults.Ok(new HealthReport("ok", db.Provider.ToString()));
        }
        catch (System.Data.Common.DbException)
        {
            // Coded as the error handler codes the same cause on every other route.
            return Problems.Of(503, "database-unavailable", "The database does not answer.", "数据库没有响应。");
        }
    }

    public sealed record HealthReport(string Status, string Storage);
}
