using Scoring.Application;
using Scoring.Domain;
using Scoring.Storage;
using static Scoring.Service.Tests.Features.Expect;
using static Scoring.Service.Tests.Features.RouteMatrix;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// A person's chat accounts, data and erasure in the route matrix: landlord-1 of 方塘村, whose secretary and the street's
/// officers answer for him; an erasure is the officers' alone, of someone off the roster made for each role's turn.
/// </summary>
public sealed class PersonalDataRouteExpectations : IRouteExpectations
{
    private static readonly IReadOnlyDictionary<Role, Expect> Answerers = Staff(officer: Success, secretary: Success, otherSecretary: Forbidden, gridWorker: Forbidden);

    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/api/subjects/{id}/chat-accounts", Get("/api/subjects/landlord-1/chat-accounts"), Answerers),
        new("DELETE", "/api/subjects/{id}/chat-accounts/{account}", async (w, r) =>
            {
                var user = $"matrix-{(int)r}";
                var code = await w.Service<Enrolment>().IssueAsync(await w.StaffAsync("officer-1"), "subject", "landlord-1");
                await w.Service<Enrolment>().BindAsync("wechat", user, code.Value!.Code);
                return Send(HttpMethod.Delete, $"/api/subjects/landlord-1/chat-accounts/{SubjectChatAccounts.IdOf("wechat", user)}");
            }, Answerers),
        new("GET", "/api/subjects/{id}/personal-data", Get("/api/subjects/landlord-1/personal-data"), Answerers),
        new("POST", "/api/subjects/{id}/erase", async (w, r) =>
            {
                var id = $"matrix-erase-{(int)r}";
                await w.Db.WriteAsync(async s =>
                {
                    if (await s.GetSubjectAsync(id) is null)
                        await s.InsertSubjectAsync(new Subject { Id = id, StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.Landlord, Name = "矩阵离册", Active = false },
                            w.Clock.GetUtcNow());
                });
                return Send(HttpMethod.Post, $"/api/subjects/{id}/erase", new { reason = "本人申请删除" });
            }, Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),
    ];
}
