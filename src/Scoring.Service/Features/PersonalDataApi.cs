using Microsoft.AspNetCore.Http.HttpResults;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// A landlord's or shop head's own data at the street office: the chat accounts that speak for them (seen and cut off),
/// everything held about them in one answer (an access request), and their erasure on request once off the roster.
/// </summary>
public static class PersonalDataApi
{
    public static IEndpointRouteBuilder MapPersonalData(this IEndpointRouteBuilder app)
    {
        var staff = app.StaffRoutes("Subjects: personal data");
        staff.MapGet("/subjects/{id}/chat-accounts", ListAccountsAsync).WithName("SubjectChatAccounts")
            .WithSummary("The chat accounts that speak for a landlord or shop head, oldest binding first: channel, the user id masked (its first and last two " +
                "characters), when bound, and whether the account speaks for other records too. A code binds one more account and takes none away, so an " +
                "old phone's account speaks on until unbound. id is what names the account in DELETE. The subject's secretary and the street's officers; else 403.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapDelete("/subjects/{id}/chat-accounts/{account}", UnbindAsync).WithName("UnbindSubjectChatAccount")
            .WithSummary("The account stops speaking for the subject at once (an old phone sold or lost, a relative's): one that speaks for other records keeps them. " +
                "On the street's record as account-unbound, by whom. Answers the accounts left. The subject's secretary and the street's officers; " +
                "404 chat-account-not-found for an account not speaking for them.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/subjects/{id}/personal-data", ExportAsync).WithName("SubjectPersonalData")
            .WithSummary("Everything held about a landlord or shop head, for an access request: the roster record (the identity card by its last four only), " +
                "tenants and shops including those off the list, the chat accounts (masked), redemptions, every event of the ledger about them, and the staff " +
                "actions about them and their tenants and shops, newest first. The subject's secretary and the street's officers; else 403.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/subjects/{id}/erase", EraseAsync).WithName("EraseSubject")
            .WithSummary("Body {reason}. Erases a landlord or shop head off the roster now, as the hourly round does those long off it: the name kept masked, " +
                "phone, identity card and enrolment codes deleted, tenants made anonymous, chat accounts unbound; the ledger and published lists stay. " +
                "It cannot be undone. Officers only (403); someone on the roster is 409 subject-on-roster (take them off first), someone erased already 409 subject-erased. " +
                "The reason (400 reason-required without one; no phone or identity-card number in it, 400 reason-personal) is kept on the street's record as subject-erased.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <param name="Id">Names the account in a path (a hash of channel and user).</param>
    /// <param name="MaskedUserId">The channel's user id, its first and last two characters shown.</param>
    /// <param name="SpeaksForOthers">It speaks for other landlord or shop-head records too, which unbinding it here keeps.</param>
    public sealed record ChatAccountView(string Id, string Channel, string MaskedUserId, DateTimeOffset BoundAt, bool SpeaksForOthers);

    public sealed record ChatAccountsView(string SubjectId, IReadOnlyList<ChatAccountView> Items);

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record ErasureRequest(string? Reason);

    /// <param name="Name">The name as kept from now on, masked.</param>
    public sealed record ErasureView(string SubjectId, string Name, DateTimeOffset ErasedAt, int TenantsMadeAnonymous, int ChatAccountsStoppedSpeaking, int ChatAccountsUnbound);

    /// <summary>An event of the ledger about the person, as it was recorded.</summary>
    public sealed record PersonalEventView(string Id, string Rule, int RuleVersion, int Delta, string Status, DateTimeOffset OccurredAt, DateTimeOffset ReportedAt,
        string Reporter, string ReporterRole, string Evidence);

    /// <param name="IdCardLastFour">The identity card is kept only as a salted hash and these four characters.</param>
    /// <param name="ErasedAt">When their personal data was erased; what is left is then what the ledger needs.</param>
    public sealed record PersonalDataView(string Id, string Kind, string Street, string Community, string? Grid, string Name, string? Phone, bool Active,
        DateTimeOffset? ErasedAt, string? IdCardLastFour, IReadOnlyList<RostersApi.TenantView> Tenants, IReadOnlyList<RostersApi.ShopView> Shops,
        IReadOnlyList<ChatAccountView> ChatAccounts, IReadOnlyList<Subjects.RedemptionItemView> Redemptions, IReadOnlyList<PersonalEventView> Events,
        IReadOnlyList<StaffActionsApi.StaffActionView> StaffActions);

    private static ChatAccountView View(SubjectChatAccount a) => new(a.Id, a.ChannelId, a.MaskedUserId, a.BoundAt.ToUniversalTime(), a.SpeaksForOthers);

    private static ChatAccountsView View(SubjectAccounts a) => new(a.Subject.Id, a.Accounts.Select(View).ToList());

    private static async Task<Results<Ok<ChatAccountsView>, ProblemHttpResult>> ListAccountsAsync(string id, HttpContext http, SubjectChatAccounts accounts, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        if (check.Failed(out var bad)) return bad;
        var listed = await accounts.ListAsync(http.Staff(), id, ct);
        return listed.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(View(listed.Value!));
    }

    private static async Task<Results<Ok<ChatAccountsView>, ProblemHttpResult>> UnbindAsync(string id, string account, HttpContext http, SubjectChatAccounts accounts, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        check.Id("account", account);
        if (check.Failed(out var bad)) return bad;
        var left = await accounts.UnbindAsync(http.Staff(), id, account, ct);
        return left.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(View(left.Value!));
    }

    private static async Task<Results<Ok<PersonalDataView>, ProblemHttpResult>> ExportAsync(string id, HttpContext http, PersonalData data, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        if (check.Failed(out var bad)) return bad;
        var export = await data.ExportAsync(http.Staff(), id, ct);
        if (export.Failure is { } failure) return failure.ToProblem();
        var x = export.Value!;
        var s = x.Subject;
        return TypedResults.Ok(new PersonalDataView(s.Id, s.Kind.ToWire(), s.StreetId, s.CommunityId, s.GridId, s.Name, s.Phone, s.Active, s.ErasedAt, x.IdCardLastFour,
            x.Tenants.Select(t => new RostersApi.TenantView(t.Id, t.SubjectId, t.Name, t.Room, t.Phone, t.Origin, t.Active,
                t.ExpectedReturn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).ToList(),
            x.Shops.Select(p => new RostersApi.ShopView(p.Id, p.SubjectId, p.Name, p.Active)).ToList(),
            x.ChatAccounts.Select(View).ToList(),
            x.Redemptions.Select(r => new Subjects.RedemptionItemView(r.Id, r.Points, r.Yuan, r.Note, r.RecordedAt, r.RecordedBy, r.ReversedAt, r.ReversedBy, r.ReversalReason)).ToList(),
            // Instants in UTC, as the events' other views write them.
            x.Events.Select(e => new PersonalEventView(e.Id, e.RuleCode, e.RuleVersion, e.Delta, e.Status.ToWire(), e.OccurredAt.ToUniversalTime(), e.ReportedAt.ToUniversalTime(),
                e.ReporterId, e.ReporterRole.ToWire(), e.Evidence)).ToList(),
            x.StaffActions.Select(a => new StaffActionsApi.StaffActionView(a.Id, a.At, a.ActorId, a.Action, a.TargetKind, a.TargetId, a.Detail)).ToList()));
    }

    private static async Task<Results<Ok<ErasureView>, ProblemHttpResult>> EraseAsync(string id, ErasureRequest? body, HttpContext http, PersonalData data, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("id", id);
        body = check.Body("{reason}", body);
        // The reason is the use case's to judge (reason-required, reason-too-long, reason-personal), as documented.
        if (check.Failed(out var bad)) return bad;
        var erased = await data.EraseAsync(http.Staff(), id, body!.Reason, ct);
        if (erased.Failure is { } failure) return failure.ToProblem();
        var e = erased.Value!;
        return TypedResults.Ok(new ErasureView(e.Subject.Id, e.Subject.Name, e.ErasedAt.ToUniversalTime(), e.Erased.Tenants, e.Erased.AccountsStoppedSpeaking, e.Erased.AccountsUnbound));
    }
}
