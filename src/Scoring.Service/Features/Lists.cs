using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Service.Hosting;

namespace Scoring.Service.Features;

/// <summary>
/// Weekly red/black lists: the public views of what was published (JSON, CSV, the printable notice board; names
/// masked) and the officers' live preview and publishing.
/// </summary>
public static class Lists
{
    public const int MaxCorrectionReason = Publication.MaxCorrectionReasonLength;

    private static readonly ApiDocs.RequiredQuery KindRequired = new("kind");

    public static IEndpointRouteBuilder MapLists(this IEndpointRouteBuilder app)
    {
        var pub = app.PublicRoutes("Public lists");
        pub.MapGet("/api/streets/{street}/lists/{week}", GetPublishedAsync).WithName("GetPublishedList").WithMetadata(KindRequired)
            .WithSummary("The latest published revision of a week's list (or ?revision=N), names masked; 404 list-not-published for a week over but not published (or of a kind the street had nobody of then), week-before-street before the street's first week, " +
                "week-not-over for a week still running (each with latestBoard, the path of the street's latest published board), street-not-found for an unknown street. " +
                "?community= gives that community's part of it (the street's ranks, revision and content hash; 404 community-not-found for one the street does not have). " +
                "A named revision a correction replaced says replacedByRevision (null while it stands). " +
                "Answers carry an ETag (304 to If-None-Match); the latest is fresh for a minute (even named by its number), a replaced revision for good.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        pub.MapGet("/api/streets/{street}/lists/{week}.csv", GetCsvAsync).WithName("GetPublishedListCsv").WithMetadata(KindRequired)
            .WithSummary("The published list as CSV (UTF-8 with BOM, RFC 4180), red and black rows with a list column, ending with the community's name and the publication time in the street's zone; ?community= and ETag and freshness as for the JSON.")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        pub.MapGet("/streets/{street}/board/{week}", GetBoardAsync).WithName("GetNoticeBoard")
            .WithSummary("The printable notice board (A4) of a week: landlords' and shop heads' red and black lists (the latest revision of each; ETag, fresh for a minute), linking the published weeks before and after it. " +
                "?kind= shows one kind's list, and ?kind=…&revision=N an earlier revision, marked as corrected (404 revision-not-found beyond the latest); a corrected list links the revisions it replaced. " +
                "?community= shows that community's part of the lists (the street's ranks and content hash; 404 community-not-found).")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(ContentSecurityPolicy.PublicBoard);
        pub.MapGet("/streets/{street}/board", GetLatestBoardAsync).WithName("GetLatestNoticeBoard")
            .WithSummary("The notice board of the street's latest published week (of ?kind=, or any): one address for a printed QR code or a group's link. " +
                "?kind=, ?community= as for a week's board; fresh for a minute; 404 list-not-published while nothing is published.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(ContentSecurityPolicy.PublicBoard);

        var staff = app.StaffRoutes("Lists");
        staff.MapGet("/streets/{street}/lists/{week}/preview", PreviewAsync).WithName("PreviewList").WithMetadata(KindRequired)
            .WithSummary("The live list, unmasked, with everyone's standing; officers for the street, secretaries with ?community= for their own community " +
                "(404 community-not-found for a community the street does not have; ids are case-sensitive). " +
                "409 week-not-begun for a week not begun yet, week-before-street for one before the street's first rules took effect (it has no list).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/streets/{street}/lists/{week}/publish", PublishAsync).WithName("PublishList")
            .WithSummary("Publishes the week's list: 201 with a new snapshot, 200 with the latest revision when nothing changed or no correctionReason was given " +
                "(correctionDue true when the ledger now ranks the week differently: currentContentHash is then the preview's, and a correctionReason publishes it), 409 while the week runs (week-not-over) or for a week before the street's first rules took effect (week-before-street), and 409 no-subjects-of-kind for a kind the street had nobody of on its roster that week (a week whose people were all ineligible publishes its empty list). A correctionReason makes a new revision (it is shown publicly with the list: one that names a person — a full name, what the mask hides of a name on the list (建国 beside 陈*国), a listed shop head's shop, a room or building by number, a phone or an identity number, in digits or Chinese numerals — is refused, 400 reason-names-a-person; one holding a text-direction control, an invisible formatting character, a character that shows blank (a Hangul filler) or a control character other than a newline or tab, 400 text-control with field correctionReason, as are evidence, reasons and notes).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public sealed record PublicEntry(int Rank, string Name, string Community, int Balance);

    /// <param name="ReplacedByRevision">The correction that replaced this revision (always the next); null while it stands.</param>
    /// <param name="Community">The community whose part of the street's list this is (<c>?community=</c>): the street's ranks, revision and hash. Null for the street's list.</param>
    public sealed record PublicList(string Street, string Week, string Kind, int Revision, DateTimeOffset? PublishedAt, string ContentHash,
        IReadOnlyList<PublicEntry> Red, IReadOnlyList<PublicEntry> Black, string? CorrectionReason, int? ReplacedByRevision, string? Community = null);

    public sealed record StaffEntry(int Rank, string SubjectId, string Name, string Community, int Balance);

    /// <param name="CorrectionDue">Published again without a correction reason while the ledger now ranks the week differently: this revision
    /// stands, and a correction (with a reason) would publish the list of <paramref name="CurrentContentHash"/>, the preview's.</param>
    /// <param name="CurrentContentHash">The content hash of the week as the ledger ranks it now (the preview's); the list's own when they agree.</param>
    public sealed record StaffList(string Street, string Week, string Kind, int Revision, DateTimeOffset? PublishedAt, string? PublishedBy,
        int RuleSetVersion, string ContentHash, string? CorrectionReason, IReadOnlyList<StaffEntry> Red, IReadOnlyList<StaffEntry> Black,
        bool CorrectionDue, string CurrentContentHash);

    /// <summary>
    /// The live list in the published list's shape (so one reader takes both), plus everyone's standing. Nothing of it is
    /// published: <c>revision</c>, <c>publishedAt</c>, <c>correctionReason</c> and <c>replacedByRevision</c> are null; the content hash equals the
    /// published one's when publishing now would change nothing.
    /// </summary>
    public sealed record PreviewList(string Street, string Week, string Kind, string? Community, int? Revision, DateTimeOffset? PublishedAt, int RuleSetVersion,
        string ContentHash, string? CorrectionReason, int? ReplacedByRevision, IReadOnlyList<StaffEntry> Red, IReadOnlyList<StaffEntry> Black, IReadOnlyList<StandingEntry> Standings,
        SincePublished? SincePublished = null);

    /// <summary>
    /// On a street's preview that publishing would make a correction: the latest revision and how the list differs from it,
    /// one change a person and list (<c>joined</c>, <c>left</c> with <c>balanceNow</c>, <c>moved</c>, <c>renamed</c>). Null otherwise.
    /// </summary>
    public sealed record SincePublished(int Revision, string ContentHash, IReadOnlyList<ListChangeView> Changes);

    public sealed record ListChangeView(string List, string Change, string SubjectId, string Name, string? NameBefore,
        int? RankBefore, int? RankNow, int? BalanceBefore, int? BalanceNow)
    {
        public static ListChangeView Of(ListChange c) => new(c.Red ? "red" : "black",
            c.Joined ? "joined" : c.Left ? "left" : c.NameOnly ? "renamed" : "moved", c.SubjectId, (c.Now ?? c.Published)!.Name,
            c.Published is { } was && c.Now is { } now && was.Name != now.Name ? was.Name : null,
            c.Published?.Rank, c.Now?.Rank, c.Published?.Balance, c.Now?.Balance ?? c.BalanceNow);
    }

    [System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
    public sealed record PublishRequest(string? Kind, string? CorrectionReason);

    private static async Task<Results<PublicListJson, ProblemHttpResult>> GetPublishedAsync(string street, string week, string? kind, string? revision, string? community,
        Publication publication, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(community)) community = null;
        var (list, problem) = await PublishedAsync(street, week, kind, revision, publication, ct, community);
        if (problem is not null) return problem;
        var replaced = revision is not null && await ReplacedAsync(list!, publication, ct);
        if (community is null) return PublicListJson.Of(list!, replaced, json.Value.SerializerOptions);
        // A community's part is made once per list and community, as the street's is; the community is looked up only the
        // first time (communities are never deleted, so one made stays right).
        if (PublicListJson.OfCommunity(list!, community, replaced) is { } made) return made;
        if (await publication.CommunityMissingAsync(list!.Street, community, ct) is { } missing) return missing.ToProblem();
        return PublicListJson.Of(list, community, replaced, json.Value.SerializerOptions);
    }

    /// <summary>
    /// Whether a correction replaced <paramref name="list"/>, a revision named in the URL: its JSON and CSV say so (they may
    /// be kept, printed or embedded without the board beside them). The one that replaced it is always the next, so once
    /// replaced it reads the same for good, and is cached so; the latest, even named by its number, may still be replaced.
    /// Asked of the latest revision as the public reads it (held in memory), so it costs no statement on a hit.
    /// </summary>
    private static async Task<bool> ReplacedAsync(PublishedList list, Publication publication, CancellationToken ct) =>
        SubjectKinds.TryParse(list.Kind, out var k)
        && await publication.PublishedAsync(list.Street, Domain.Weeks.IsoWeek.Parse(list.Week), k, null, ct) is { } latest && latest.Revision > list.Revision;

    private static string Freshness(bool replaced) => replaced ? PublicCaching.Frozen : PublicCaching.Latest;

    /// <summary>
    /// A published list as the public reads it (names masked), as JSON made once per list held in memory: the latest
    /// revision is cached (<see cref="Publication.PublishedAsync"/>) and read over and over, and masking and serialising
    /// it was most of a read's own work. A revision never changes but for being replaced (<c>replacedByRevision</c>),
    /// so it is made once standing and once replaced; a new revision is a new list, so it is serialised (and tagged) anew.
    /// </summary>
    public sealed class PublicListJson : IResult, IEndpointMetadataProvider
    {
        private sealed record Made(byte[] Utf8, string ETag);

        private sealed class Memo
        {
            public Made? Standing, Replaced;
        }

        private static readonly ConditionalWeakTable<PublishedList, Memo> MadeOf = new();
        private static readonly ConditionalWeakTable<PublishedList, System.Collections.Concurrent.ConcurrentDictionary<(string Community, bool Replaced), Made>> CommunityMadeOf = new();
        private readonly Made _made;
        private readonly string _cacheControl;

        private PublicListJson(Made made, string cacheControl) => (_made, _cacheControl) = (made, cacheControl);

        /// <param name="replaced">Whether a correction replaced the revision: it says so, and is cached for good (else for a minute, as the latest).</param>
        public static PublicListJson Of(PublishedList list, bool replaced, JsonSerializerOptions options)
        {
            var memo = MadeOf.GetValue(list, _ => new Memo());
            var made = replaced ? memo.Replaced : memo.Standing;
            if (made is null)
            {
                var utf8 = JsonSerializer.SerializeToUtf8Bytes(Masked(list, replaced ? list.Revision + 1 : null), options);
                made = new Made(utf8, PublicCaching.TagOf(utf8));
                if (replaced) memo.Replaced = made;
                else memo.Standing = made;
            }
            return new PublicListJson(made, Freshness(replaced));
        }

        /// <summary>A community's part of the list made before (<see cref="Of(PublishedList, string, bool, JsonSerializerOptions)"/>); null when not yet.</summary>
        public static PublicListJson? OfCommunity(PublishedList list, string community, bool replaced) =>
            CommunityMadeOf.TryGetValue(list, out var made) && made.TryGetValue((community, replaced), out var one) ? new PublicListJson(one, Freshness(replaced)) : null;

        /// <summary>A community's part of the list (<see cref="PublishedList.InCommunity"/>), for a community the street is known to have.</summary>
        public static PublicListJson Of(PublishedList list, string community, bool replaced, JsonSerializerOptions options)
        {
            var made = CommunityMadeOf.GetValue(list, _ => new()).GetOrAdd((community, replaced), key =>
            {
                var utf8 = JsonSerializer.SerializeToUtf8Bytes(Masked(list.InCommunity(key.Community), key.Replaced ? list.Revision + 1 : null) with { Community = key.Community }, options);
                return new Made(utf8, PublicCaching.TagOf(utf8));
            });
            return new PublicListJson(made, Freshness(replaced));
        }

        public Task ExecuteAsync(HttpContext context)
        {
            if (PublicCaching.NotModified(context, _made.ETag, _cacheControl)) return Task.CompletedTask;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = _made.Utf8.Length;
            return context.Response.Body.WriteAsync(_made.Utf8, 0, _made.Utf8.Length);
        }

        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(PublicList), ["application/json"]));
    }

    private static async Task<Results<PublicCaching.Body, ProblemHttpResult>> GetCsvAsync(string street, string week, string? kind, string? revision, string? community,
        Publication publication, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(community)) community = null;
        var (list, problem) = await PublishedAsync(street, week, kind, revision, publication, ct, community);
        if (problem is not null) return problem;
        // The community's and the time's words as the board prints them (and the community asked for, checked).
        var names = await publication.NamesAsync(list!.Street, community, ct);
        if (names.Failure is { } missing) return missing.ToProblem();
        var replaced = revision is not null && await ReplacedAsync(list!, publication, ct);
        var shown = community is null ? list : list.InCommunity(community);
        return new PublicCaching.Body(Csv.Write(CsvRows(Masked(shown, replaced ? list.Revision + 1 : null), names.Value!)), "text/csv; charset=utf-8",
            Freshness(replaced), FileName(list));
    }

    /// <summary>A correction's file is named by its revision, so it is not saved over the first one downloaded (whose name is as it always was).</summary>
    private static string FileName(PublishedList list) =>
        list.Revision > 1 ? $"{list.Street}-{list.Week}-{list.Kind}-r{list.Revision}.csv" : $"{list.Street}-{list.Week}-{list.Kind}.csv";

    private static Task<Results<PublicCaching.Body, ProblemHttpResult, ContentHttpResult>> GetBoardAsync(string street, string week, string? kind, string? revision,
        string? community, HttpContext http, Publication publication, PublicAddress address, CancellationToken ct) =>
        BoardAsync(street, week, kind, revision, community, http, publication, address, ct);

    /// <summary>The latest published week's board: a printed QR code or a group's link stays right week after week.</summary>
    private static Task<Results<PublicCaching.Body, ProblemHttpResult, ContentHttpResult>> GetLatestBoardAsync(string street, string? kind, string? revision,
        string? community, HttpContext http, Publication publication, PublicAddress address, CancellationToken ct) =>
        BoardAsync(street, null, kind, revision, community, http, publication, address, ct);

    private static async Task<Results<PublicCaching.Body, ProblemHttpResult, ContentHttpResult>> BoardAsync(string street, string? week, string? kind, string? revision,
        string? community, HttpContext http, Publication publication, PublicAddress address, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var w = week is null ? default : check.Week(week);
        // ?kind= alone shows that kind's latest; a revision is of one kind's list, so it needs the kind.
        var k = kind is null && revision is null ? (SubjectKind?)null : check.Kind(kind);
        var n = check.OptionalNumber("revision", revision, 1, 100_000);
        community = check.OptionalId("community", community);
        if (check.Failed(out var bad)) return ForReader(http, bad);
        if (week is null)
        {
            var latest = await publication.LatestWeekAsync(street, k, ct);
            if (latest.Failure is { } none) return ForReader(http, none.ToProblem());
            w = latest.Value;
        }
        var board = k is { } one ? await publication.BoardAsync(street, w, one, n, community, ct) : await publication.BoardAsync(street, w, community, ct);
        if (board.Failure is { } failure) return ForReader(http, failure.ToProblem());
        // The board shows the latest of both kinds, and the street's and communities' names: tagged by what it says.
        return new PublicCaching.Body(Encoding.UTF8.GetBytes(NoticeBoardPage.Render(board.Value!, address)), "text/html; charset=utf-8", PublicCaching.Latest);
    }

    /// <summary>
    /// A board that is not there, told as its reader reads: a person's browser (asking for HTML) gets a page saying why,
    /// with the same status; a script gets the problem.
    /// </summary>
    private static Results<PublicCaching.Body, ProblemHttpResult, ContentHttpResult> ForReader(HttpContext http, ProblemHttpResult problem)
    {
        var asksForHtml = http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
        // Chosen by Accept: a shared cache must not give the page a browser got to a script, nor the other way round.
        http.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, Microsoft.Net.Http.Headers.HeaderNames.Accept);
        return asksForHtml
            ? TypedResults.Content(NoticeBoardPage.RenderProblem(problem.ProblemDetails), "text/html; charset=utf-8", Encoding.UTF8, problem.StatusCode)
            : problem;
    }

    private static async Task<Results<Ok<PreviewList>, ProblemHttpResult>> PreviewAsync(string street, string week, string? kind, string? community,
        HttpContext http, Publication publication, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var w = check.Week(week);
        var k = check.Kind(kind);
        community = check.OptionalId("community", community);
        if (check.Failed(out var bad)) return bad;
        var preview = await publication.PreviewAsync(http.Staff(), street, w, k, community, ct);
        if (preview.Failure is { } failure) return failure.ToProblem();
        var (list, standings) = (preview.Value!.List, preview.Value.Standings);
        var since = preview.Value.Latest is { } latest
            ? new SincePublished(latest.Revision, latest.ContentHash, preview.Value.Changes.Select(ListChangeView.Of).ToList())
            : null;
        return TypedResults.Ok(new PreviewList(list.Street, list.Week, list.Kind, community, null, null, list.RuleSetVersion, list.ContentHash, null, null,
            Entries(list.Red), Entries(list.Black), standings, since));
    }

    private static async Task<Results<Created<StaffList>, Ok<StaffList>, ProblemHttpResult>> PublishAsync(string street, string week, PublishRequest? body,
        HttpContext http, Publication publication, CancellationToken ct)
    {
        var check = new Checks();
        check.Id("street", street);
        var w = check.Week(week);
        body = check.Body("{kind, correctionReason?}", body);
        var k = check.Kind(body?.Kind);
        check.Text("correctionReason", body?.CorrectionReason, MaxCorrectionReason);
        if (check.Failed(out var bad)) return bad;
        var published = await publication.PublishAsync(http.Staff(), street, w, k, body!.CorrectionReason, ct);
        if (published.Failure is { } failure) return failure.ToProblem();
        var view = Staff(published.Value!.List) with
        {
            CorrectionDue = published.Value.CorrectionDue, CurrentContentHash = published.Value.CurrentContentHash ?? published.Value.List.ContentHash,
        };
        return published.Value.Created
            ? TypedResults.Created($"/api/streets/{view.Street}/lists/{view.Week}?kind={view.Kind}&revision={view.Revision}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<(PublishedList? List, ProblemHttpResult? Problem)> PublishedAsync(string street, string week, string? kind, string? revisionText,
        Publication publication, CancellationToken ct, string? community = null)
    {
        var check = new Checks();
        check.Id("street", street);
        var w = check.Week(week);
        var k = check.Kind(kind);
        var revision = check.OptionalNumber("revision", revisionText, 1, 100_000);
        if (community is not null) check.OptionalId("community", community);
        if (check.Failed(out var bad)) return (null, bad);
        var list = await publication.PublishedAsync(street, w, k, revision, ct);
        if (list is not null) return (list, null);
        return (null, (await publication.MissingListAsync(street, w, k, revision, ct)).ToProblem());
    }

    /// <summary>The public sees names masked (应*喜) and no subject ids.</summary>
    private static PublicList Masked(PublishedList l, int? replacedBy) => new(l.Street, l.Week, l.Kind, l.Revision, l.PublishedAt, l.ContentHash,
        l.Red.Select(MaskedEntry).ToList(), l.Black.Select(MaskedEntry).ToList(), l.CorrectionReason, replacedBy);

    private static PublicEntry MaskedEntry(ListEntry e) => new(e.Rank, Masking.Name(e.Name), e.Community, e.Balance);

    private static StaffList Staff(PublishedList l) => new(l.Street, l.Week, l.Kind, l.Revision, l.PublishedAt, l.PublishedBy, l.RuleSetVersion, l.ContentHash,
        l.CorrectionReason, Entries(l.Red), Entries(l.Black), false, l.ContentHash);

    private static List<StaffEntry> Entries(IEnumerable<ListEntry> entries) => entries.Select(e => new StaffEntry(e.Rank, e.SubjectId, e.Name, e.Community, e.Balance)).ToList();

    /// <summary>
    /// The list's rows; after the columns scripts read (never reordered nor renamed), each row carries what a printed copy
    /// is checked by: its revision, when it was published, its content hash, the correction's reason, and the revision
    /// that replaced it (empty while it stands).
    /// </summary>
    /// <remarks>Last come the community's name and the publication time in the street's zone (yyyy-MM-dd HH:mm), as the board prints them.</remarks>
    private static IEnumerable<IReadOnlyList<string>> CsvRows(PublicList l, StreetNames names)
    {
        var replacedBy = l.ReplacedByRevision;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var communities = names.Communities.ToDictionary(c => c.Id, c => c.Name);
        yield return ["list", "rank", "name", "community", "balance", "revision", "publishedAt", "contentHash", "correctionReason", "replacedByRevision",
            "communityName", "publishedAtLocal"];
        string[] revision = [l.Revision.ToString(invariant), l.PublishedAt?.ToUniversalTime().ToString("O", invariant) ?? "", l.ContentHash,
            Csv.Text(l.CorrectionReason ?? ""), replacedBy?.ToString(invariant) ?? ""];
        var local = l.PublishedAt is { } at ? TimeZoneInfo.ConvertTime(at, names.Street.Settings.TimeZone).ToString("yyyy-MM-dd HH:mm", invariant) : "";
        foreach (var (name, entries) in new[] { ("red", l.Red), ("black", l.Black) })
            foreach (var e in entries)
                yield return [name, e.Rank.ToString(invariant), Csv.Text(e.Name), Csv.Text(e.Community), e.Balance.ToString(invariant), .. revision,
                    Csv.Text(communities.GetValueOrDefault(e.Community, e.Community)), local];
        // A list with nobody on it (a correction that emptied it) still says which revision it is: one row, its entry
        // cells empty (a script reading the first five columns finds no list to file it under), the revision's filled.
        if (l.Red.Count == 0 && l.Black.Count == 0) yield return ["", "", "", "", "", .. revision, "", local];
    }
}
