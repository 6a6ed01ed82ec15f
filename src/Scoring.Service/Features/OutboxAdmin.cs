using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Domain;
using Scoring.Service.Hosting;
using Scoring.Storage.Outbox;

namespace Scoring.Service.Features;

/// <summary>
/// What the outbox gave up on: replies and notices a channel refused or that failed every attempt. Admins only —
/// the outbox spans every street, and a message's text can name people.
/// </summary>
public static class OutboxAdmin
{
    public const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapOutboxAdmin(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Outbox");
        staff.MapGet("/admin/outbox/dead-letters", ListAsync).WithName("ListDeadLetters")
            .WithSummary("Dead-lettered chat messages, newest first (admins only): where each was going, how often it was tried and why it stopped.");
        return app;
    }

    public sealed record DeadLetter(string Id, string ChannelId, string ConversationId, string? ReplyToId, string? Text,
        DateTimeOffset CreatedAt, int Attempts, DateTimeOffset? DeadLetteredAt, string? Reason);

    public sealed record DeadLetters(IReadOnlyList<DeadLetter> Items);

    private static async Task<Results<Ok<DeadLetters>, ProblemHttpResult>> ListAsync(HttpContext http, OutboxStore outbox, string? limit, CancellationToken ct)
    {
        if (http.Staff().Role != StaffRole.Admin)
            return Problems.Of(StatusCodes.Status403Forbidden, "forbidden", "Only admins see the outbox's dead letters.", "只有管理员可以查看发送失败的消息。");
        var check = new Checks();
        var take = check.OptionalNumber("limit", limit, 1, MaxLimit) ?? 100;
        if (check.Failed(out var bad)) return bad;
        var letters = await outbox.ListDeadLettersAsync(take, ct);
        return TypedResults.Ok(new DeadLetters(letters.Select(m => new DeadLetter(m.Id, m.ChannelId, m.ConversationId, m.ReplyToId, TextOf(m.ActivityJson),
            m.CreatedAt, m.Attempts, m.DeadLetteredAt, m.LastError)).ToList()));
    }

    private static string? TextOf(string activityJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(activityJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
                ? text.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
