using System.Text.Json;
using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>One line of a weekly list.</summary>
public sealed record ListEntry(int Rank, string SubjectId, string Name, string Community, int Balance);

/// <summary>A week's list for one kind: live (a preview) or frozen (a published revision).</summary>
public sealed record PublishedList
{
    public required string Street { get; init; }
    public required string Week { get; init; }
    public required string Kind { get; init; }
    public int Revision { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public string? PublishedBy { get; init; }
    public required int RuleSetVersion { get; init; }
    public required string ContentHash { get; init; }
    public string? CorrectionReason { get; init; }
    public required IReadOnlyList<ListEntry> Red { get; init; }
    public required IReadOnlyList<ListEntry> Black { get; init; }

    /// <summary>
    /// The list sizes it was ranked with (null on revisions published before they were kept): a correction ranks the week
    /// with them again, so an officer's later change of the sizes applies to the weeks to come, not to a week already
    /// published. Not part of the content hash: the entries are what the sizes made.
    /// </summary>
    public int? RedListSize { get; init; }
    public int? BlackListSize { get; init; }

    /// <summary>
    /// One community's part of this list, as a village posts it: its entries with the street's ranks, under the street list's
    /// revision and content hash (the printout is checked against the street's list). Not a ranking of its own.
    /// </summary>
    public PublishedList InCommunity(string community) => this with
    {
        Red = Red.Where(e => e.Community == community).ToList(), Black = Black.Where(e => e.Community == community).ToList(),
    };
}

/// <summary>
/// A subject's standing in a week, with the figures it is ranked by: ties on the balance are broken by fewer deduction
/// points in the cycle, then more addition points in the week, and a deduction in the week keeps a subject off the red list.
/// </summary>
public sealed record StandingEntry(int Rank, string SubjectId, string Name, string Community, int Balance,
    int CycleDeductionPoints, int WeekAdditionPoints, int WeekDeductionPoints);

/// <summary>A preview: the list as it would be published now, plus everyone's standing.</summary>
public sealed record ListPreview(PublishedList List, IReadOnlyList<StandingEntry> Standings)
{
    /// <summary>The latest published revision when publishing now would correct it (the street's preview only); else null.</summary>
    public PublishedList? Latest { get; init; }

    /// <summary>How the list differs from <see cref="Latest"/> (<see cref="ListChanges.BetweenAsync"/>); none without it.</summary>
    public IReadOnlyList<ListChange> Changes { get; init; } = [];
}

/// <summary>The outcome of publishing: the snapshot and whether this call created it.</summary>
public sealed record Publishing(PublishedList List, bool Created)
{
    /// <summary>
    /// The latest revision stands (published again without a correction reason) while the ledger now ranks the week
    /// differently: a correction, with a reason, would publish <see cref="CurrentContentHash"/>'s list.
    /// </summary>
    public bool CorrectionDue { get; init; }

    /// <summary>The content hash of the list as the ledger ranks the week now (a preview's); null when not worked out (it is the list's own).</summary>
    public string? CurrentContentHash { get; init; }
}

/// <summary>
/// Weekly red/black lists: live previews for staff, publishing as an explicit, frozen act after the week
/// has ended, corrections as new revisions with a reason, and the honours that follow from red listings.
/// </summary>
public sealed class Publication(Database db, TimeProvider time, INotices notices)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<Outcome<ListPreview>> PreviewAsync(StaffMember actor, string streetId, IsoWeek week, SubjectKind kind, string? community = null, CancellationToken ct = default)
    {
        if (community is null ? !actor.CanRunStreet(streetId) : !actor.CanVerifyIn(streetId, community)) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<ListPreview>>(async s =>
        {
            var street = await s.GetStreetAsync(streetId);
            if (street is null) return Failure.StreetNotFound(streetId);
            if (community is not null && await CommunityFilter.MissingInAsync(s, street.Id, community) is { } missing) return missing;
            if (await StreetWeeks.OutsideAsync(s, street, week, time.GetUtcNow(), WeekAsked.List) is { } outside) return outside;
            var latest = await s.LatestListAsync(street.Id, week.ToString(), kind.ToWire()) is { } row ? FromRow(row) : null;
            // A community's view of a published week keeps the sizes the street's list was published with, as a correction
            // does: a size set since would drop (or add) names the street's list has for that week.
            if (community is not null) return await ComputeAsync(s, street, week, kind, community, SizesOf(street, latest));
            var preview = await ComputeAsync(s, street, week, kind, null, SizesOf(street, latest));
            preview = preview with { List = await WithPublishedHashIfOnlyErasuresDifferAsync(s, latest, preview.List) };
            // What publishing now would correct, as the chat's draft names it.
            return ChangeOf(latest, preview.List) == PublicationChange.Correction
                ? preview with { Latest = latest, Changes = await ListChanges.BetweenAsync(s, street, latest!, preview.List) }
                : preview;
        }, ct);
    }

    public async Task<Outcome<Publishing>> PublishAsync(StaffMember actor, string streetId, IsoWeek week, SubjectKind kind, string? correctionReason, CancellationToken ct = default)
    {
        try
        {
            var outcome = await db.WriteAsync(s => PublishInAsync(s, actor, streetId, week, kind, correctionReason), ct);
            // Published again without a reason: the same revision back, and whether records decided since (a revoked
            // addition, a late approval) call for a correction, which only a reason publishes.
            if (outcome.Value is { Created: false } same && correctionReason is null)
                return await db.ReadAsync<Outcome<Publishing>>(async s => await CorrectionCheckedAsync(s, same, streetId, week, kind), ct);
            // After the commit; a reader that loaded the previous revision before it cannot put that one back.
            if (outcome.Value is { Created: true, List: var published }) db.Cache.PutLatest(LatestKey(streetId, week, kind), published, l => l.Revision);
            return outcome;
        }
        catch (System.Data.Common.DbException e) when (TransientFaults.IsUniqueViolation(e))
        {
            // Another instance published the same revision a moment ago: that one stands.
            return await db.ReadAsync<Outcome<Publishing>>(async s => new Publishing(FromRow((await s.LatestListAsync(streetId, week.ToString(), kind.ToWire()))!), false), ct);
        }
    }

    /// <summary>
    /// Publishes inside a caller's unit of work (a chat turn records its reply in the same transaction). With
    /// <paramref name="expectedHash"/>, the hash of the preview an officer confirmed, a list that has changed since is
    /// refused (<c>list-changed</c>) rather than frozen unseen.
    /// </summary>
    public async Task<Outcome<Publishing>> PublishInAsync(Session s, StaffMember actor, string streetId, IsoWeek week, SubjectKind kind, string? correctionReason,
        string? expectedHash = null)
    {
        if (!actor.CanRunStreet(streetId)) return OnlyOfficers;
        var reasonWritten = CorrectionReasonText(correctionReason);
        if (reasonWritten.Failure is { } refused) return refused;
        correctionReason = reasonWritten.Value;
        // Not the cached street: a list frozen for good must have the sizes an officer set a moment ago on another instance.
        var street = await s.GetStreetForChangeAsync(streetId);
        if (street is null) return Failure.StreetNotFound(streetId);
        var now = time.GetUtcNow();
        if (NotOver(week, street, now) is { } early) return early;
        if (await StreetWeeks.NoListAsync(s, street, week, now) is { } before) return before;
        var latest = await s.LatestListAsync(streetId, week.ToString(), kind.ToWire());
        if (latest is null && await NobodyOfKindAsync(s, street, week, kind) is { } nobody) return nobody;
        // Publishing again without a correction changes nothing, so there is nothing to rank; unless what stands is not the
        // list the officer confirmed (published by someone else after the ledger changed): they look again.
        if (latest is not null && correctionReason is null)
        {
            if (expectedHash is not null) return latest.ContentHash != expectedHash ? ListChanged(week, kind) : new Publishing(FromRow(latest), false);
            // Whether the ledger still ranks the week so is asked after this unit, on a reader (PublishAsync): ranking a
            // city's street here would hold every write behind a click that changes nothing.
            return new Publishing(FromRow(latest), false);
        }
        var existing = latest is null ? null : FromRow(latest);
        var computed = await WithPublishedHashIfOnlyErasuresDifferAsync(s, existing, await ListAsync(s, street, week, kind, SizesOf(street, existing)));
        if (correctionReason is not null && await GivesAwayAPersonAsync(s, streetId, correctionReason, existing, computed)) return ReasonNamesAPerson;
        if (expectedHash is not null && computed.ContentHash != expectedHash) return ListChanged(week, kind);
        // A correction of an unchanged list changes nothing either.
        if (ChangeOf(existing, computed) == PublicationChange.Unchanged) return new Publishing(existing!, false);
        if (existing is null) correctionReason = null; // nothing to correct yet: this is the first publication
        var list = computed with { Revision = (existing?.Revision ?? 0) + 1, PublishedAt = now, PublishedBy = actor.Id, CorrectionReason = correctionReason };
        // Readers of this instance load the new revision once the caller's transaction ends, whichever door it came through.
        s.Cache?.Changing(LatestKey(streetId, week, kind));
        await s.InsertListAsync(new PublishedListRow
        {
            StreetId = list.Street, Week = list.Week, Kind = list.Kind, Revision = list.Revision, PublishedAt = now, PublishedBy = actor.Id,
            RuleVersion = list.RuleSetVersion, ContentHash = list.ContentHash, CorrectionReason = correctionReason, BodyJson = JsonSerializer.Serialize(list, Json),
        });
        await notices.PublishedAsync(s, list, existing);
        return new Publishing(list, true);
    }

    /// <summary>
    /// What publishing a week's list would do now, for an officer to confirm: the list it would freeze (as publishing
    /// ranks it, so a confirmation can pass its hash on), the latest published revision, and how many reports that
    /// would change it still wait for verification. Refused as publishing would be: only officers, only a week that is over and the street's (see <see cref="StreetWeeks"/>).
    /// </summary>
    public async Task<Outcome<PublicationDraft>> DraftInAsync(Session s, StaffMember actor, string streetId, IsoWeek week, SubjectKind kind)
    {
        if (!actor.CanRunStreet(streetId)) return OnlyOfficers;
        // The street as publishing reads it (list sizes set a moment ago on another instance), so the hashes agree.
        var street = await s.GetStreetForChangeAsync(streetId);
        if (street is null) return Failure.StreetNotFound(streetId);
        if (NotOver(week, street, time.GetUtcNow()) is { } early) return early;
        if (await StreetWeeks.NoListAsync(s, street, week, time.GetUtcNow()) is { } before) return before;
        var latestRow = await s.LatestListAsync(streetId, week.ToString(), kind.ToWire());
        if (latestRow is null && await NobodyOfKindAsync(s, street, week, kind) is { } nobody) return nobody;
        var latest = latestRow is null ? null : FromRow(latestRow);
        var draft = new PublicationDraft(await WithPublishedHashIfOnlyErasuresDifferAsync(s, latest, await ListAsync(s, street, week, kind, SizesOf(street, latest))), latest,
            await PendingUpToAsync(s, street, week, kind));
        // A correction's reason is public: the officer writing it reads what it corrects.
        return draft.Change == PublicationChange.Correction ? draft with { Changes = await ListChanges.BetweenAsync(s, street, latest!, draft.List) } : draft;
    }

    /// <summary>How many reports still pending would change the week's lists when approved (see <see cref="LedgerStore.CountPendingUpToWeekAsync"/>).</summary>
    public static Task<int> PendingUpToAsync(Session s, Street street, IsoWeek week, SubjectKind kind) =>
        s.CountPendingUpToWeekAsync(street.Id, ScoringCycle.Containing(week, street.Settings.Cycle), week, kind);

    /// <summary>
    /// A correction's reason as the public will read it under the list, or why it cannot be: too long, holding hidden or
    /// direction characters, or naming a person (a full name of the street's landlords, shop heads or tenants, a listed
    /// shop head's shop, a room, a phone, an identity number, or what the mask hides of a name on the list: see <see cref="Masking.GivesAwayAPerson"/>).
    /// Null for none. What publishing checks, for a chat to ask again at the reason's own step: the list is
    /// <paramref name="draft"/> when the caller has it, else ranked again.
    /// </summary>
    public static async Task<Outcome<string?>> CorrectionReasonAsync(Session s, Street street, IsoWeek week, SubjectKind kind, string? reason, PublishedList? draft = null)
    {
        var written = CorrectionReasonText(reason);
        if (written.Failure is not null || written.Value is null) return written;
        var latestRow = await s.LatestListAsync(street.Id, week.ToString(), kind.ToWire());
        var latest = latestRow is null ? null : FromRow(latestRow);
        draft ??= await WithPublishedHashIfOnlyErasuresDifferAsync(s, latest, await ListAsync(s, street, week, kind, SizesOf(street, latest)));
        return await GivesAwayAPersonAsync(s, street.Id, written.Value, latest, draft) ? ReasonNamesAPerson : written;
    }

    /// <summary>The longest correction reason a list keeps (it stands under the list on the public board).</summary>
    public const int MaxCorrectionReasonLength = 500;

    private static Outcome<string?> CorrectionReasonText(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return (string?)null;
        // Shown to the public under the list (and on the notice board): nothing in it may read reordered or hide text.
        var written = RosterText.Text(reason.Trim(), "correctionReason", "correction reason", "更正原因");
        if (written.Failure is { } refused) return refused;
        // Counted as stored: a reason sent with Windows line breaks is not refused a character per line early.
        return written.Value!.Length > MaxCorrectionReasonLength
            ? Failure.Invalid("reason-too-long", $"The correction reason is limited to {MaxCorrectionReasonLength} characters.", $"更正原因最多{MaxCorrectionReasonLength}字。")
            : written.Value;
    }

    // The reason is shown to the public as it is, beside the list: no names (of landlords, shop heads or their tenants),
    // a listed shop head's shops, rooms, phones or identity numbers in it, nor what the mask hides of a name on the list the
    // reason stands under or corrects (建国 beside 陈*国) — only of those: over a whole street's names, two characters of a
    // given name would refuse too many ordinary words. An erased person's name is kept only masked, which a reason may use.
    private static async Task<bool> GivesAwayAPersonAsync(Session s, string streetId, string reason, PublishedList? latest, PublishedList computed)
    {
        var subjects = await s.ListSubjectsAsync(streetId);
        var kept = subjects.Where(x => x.ErasedAt is null).ToDictionary(x => x.Id);
        var listed = new[] { latest?.Red, latest?.Black, computed.Red, computed.Black }.SelectMany(l => l ?? [])
            .Where(e => kept.ContainsKey(e.SubjectId)).ToList();
        // A listed shop head's shops: a shop has one head. Only theirs, as shop names are often ordinary words (饰品店).
        var shops = computed.Kind == SubjectKind.ShopHead.ToWire() && listed.Count > 0
            ? (await s.ShopsOfStreetAsync(streetId)).Where(shop => listed.Any(e => e.SubjectId == shop.SubjectId)).Select(shop => shop.Name)
            : [];
        return Masking.GivesAwayAPerson(reason, kept.Values.Select(x => x.Name)
            .Concat((await s.TenantsOfStreetAsync(streetId)).Select(t => t.Name)).Concat(shops), listed.Select(e => e.Name).Distinct());
    }

    private static readonly Failure ReasonNamesAPerson = Failure.Invalid("reason-names-a-person",
        "The correction reason is public, beside the masked list: leave out names and the part of a name the list hides (建国 beside 陈*国), shop names, room numbers, phone and identity numbers (a masked name like 应*喜 is fine).",
        "更正原因会公开显示在隐去姓名的榜单旁：请不要写姓名或榜上隐去的部分（如榜上 陈*国 旁写「建国」）、店名、房号、电话或证件号（可写 应*喜 这样的隐去姓名）。");

    /// <summary>The kinds of subject a street has (landlords first): the lists it has to publish each week.</summary>
    public static async Task<IReadOnlyList<SubjectKind>> KindsOfAsync(Session s, string streetId)
    {
        var kinds = new List<SubjectKind>(2);
        foreach (var kind in new[] { SubjectKind.Landlord, SubjectKind.ShopHead })
            if (await s.HasSubjectsOfKindAsync(streetId, kind)) kinds.Add(kind);
        return kinds;
    }

    /// <summary>
    /// Of <paramref name="kinds"/>, those the street had someone of on its roster at some moment of <paramref name="week"/>:
    /// the week's lists there are (one of a kind with nobody then is refused, <c>no-subjects-of-kind</c>).
    /// </summary>
    public static async Task<IReadOnlyList<SubjectKind>> KindsInWeekAsync(Session s, Street street, IsoWeek week, IEnumerable<SubjectKind> kinds)
    {
        var inWeek = new List<SubjectKind>(2);
        foreach (var kind in kinds)
            if (await s.HasSubjectsOfKindInWeekAsync(street.Id, kind, week, street.Settings.TimeZone)) inWeek.Add(kind);
        return inWeek;
    }

    /// <summary>
    /// The lists <paramref name="week"/> owes, landlords first: each kind the street had someone of on its roster that week,
    /// entered by its end (see <see cref="KindsInWeekAsync"/>), and any kind already <paramref name="published"/> for it (a
    /// list once public stays shown). The one rule for the board, the public lists and chat's 榜单, so that a street's past
    /// weeks do not start waiting for a list when it takes on a new kind.
    /// </summary>
    public static async Task<IReadOnlyList<SubjectKind>> KindsOwedAsync(Session s, Street street, IsoWeek week, IReadOnlyCollection<SubjectKind> published)
    {
        var inWeek = await KindsInWeekAsync(s, street, week, new[] { SubjectKind.Landlord, SubjectKind.ShopHead }.Except(published));
        return [.. new[] { SubjectKind.Landlord, SubjectKind.ShopHead }.Where(k => published.Contains(k) || inWeek.Contains(k))];
    }

    /// <summary>Whether a list computed now would be a first publication, the latest revision again, or a correction of it.</summary>
    public static PublicationChange ChangeOf(PublishedList? latest, PublishedList computed) =>
        latest is null ? PublicationChange.First
        : latest.ContentHash == computed.ContentHash ? PublicationChange.Unchanged
        : PublicationChange.Correction;

    /// <summary>
    /// The refusal of a list of a kind the street had nobody of on its roster that week (a street of landlords only, or
    /// whose shop heads had all left): there is no such list, and one published would stand on the public board as an
    /// empty list of a kind the street does not have. A week whose people were all ineligible is another matter: its
    /// list is published, empty (DESIGN). Null when someone of the kind counts in the week.
    /// </summary>
    private static async Task<Failure?> NobodyOfKindAsync(Session s, Street street, IsoWeek week, SubjectKind kind) =>
        await s.HasSubjectsOfKindInWeekAsync(street.Id, kind, week, street.Settings.TimeZone) ? null
            : Failure.Conflict("no-subjects-of-kind",
                $"{street.Name} had no {(kind == SubjectKind.ShopHead ? "shop heads" : "landlords")} on its roster in {week}: there is no {kind.ToWire()} list to publish for that week.",
                $"{week}本街道名册上没有{kind.NameZh()}，没有{kind.NameZh()}红黑榜可以发布。");

    private static Failure ListChanged(IsoWeek week, SubjectKind kind) => Failure.Conflict("list-changed",
        $"The {kind.ToWire()} list of {week} has changed since it was previewed; look at it again before publishing.", $"{week}的榜单在预览后有变化，请重新预览后再发布。");

    private static Failure OnlyOfficers => Failure.Forbidden("Only the street's officers publish lists.", "只有街道工作人员可以发布榜单。");

    /// <summary>A week is published once it is over (Monday 00:00 in the street's zone); before that, when it can be.</summary>
    private static Failure? NotOver(IsoWeek week, Street street, DateTimeOffset now)
    {
        var end = week.End(street.Settings.TimeZone);
        if (now >= end) return null;
        var monday = TimeZoneInfo.ConvertTime(end, street.Settings.TimeZone);
        // With the year when it is next year's (2026-W53 asked for in November ends on 4 January 2027).
        var year = monday.Year == TimeZoneInfo.ConvertTime(now, street.Settings.TimeZone).Year ? "" : $"{monday.Year}年";
        return Failure.Conflict("week-not-over", $"{week} is not over yet; its lists can be published from Monday {monday:yyyy-MM-dd} 00:00.",
            $"{week}尚未结束，{year}{monday.Month}月{monday.Day}日（周一）零点后可以发布。");
    }

    /// <summary>The latest published revision, or revision N. Null before publication.</summary>
    public Task<PublishedList?> PublishedAsync(string streetId, IsoWeek week, SubjectKind kind, int? revision = null, CancellationToken ct = default) =>
        // The public reads this most: a published revision never changes, and a new one is seen here at once and on
        // other instances within the reference cache's lifetime. Nothing is cached before the first publication.
        revision is null && db.Cache.TryGet<PublishedList>(LatestKey(streetId, week, kind), out var cached)
            ? Task.FromResult<PublishedList?>(cached)
            : db.ReadAsync(async s =>
            {
                var row = revision is { } n
                    ? await s.ListRevisionAsync(streetId, week.ToString(), kind.ToWire(), n)
                    : await s.LatestListAsync(streetId, week.ToString(), kind.ToWire());
                var list = row is null ? null : FromRow(row);
                if (revision is null && list is not null) db.Cache.PutLatest(LatestKey(streetId, week, kind), list, l => l.Revision);
                return list;
            }, ct);

    /// <summary>
    /// Why <see cref="PublishedAsync"/> found no list, as the notice board says it: no such street, no list of that week or
    /// kind (see <see cref="NoListOfWeekAsync"/>), or no such revision. Asked only on a miss, so the public's cached read stays as cheap.
    /// </summary>
    public Task<Failure> MissingListAsync(string streetId, IsoWeek week, SubjectKind kind, int? revision, CancellationToken ct = default) =>
        db.ReadAsync(async s =>
        {
            if (await s.GetStreetAsync(streetId) is not { } street) return Failure.StreetNotFound(streetId);
            // A revision asked of a week never published: the week is what is missing, not that revision.
            if (revision is null || await s.LatestListAsync(streetId, week.ToString(), kind.ToWire()) is null)
                return await NoListOfWeekAsync(s, street, week, kind, time.GetUtcNow());
            return await WithLatestBoardAsync(s, street, RevisionNotFound(week, kind, revision.Value));
        }, ct);

    /// <summary>
    /// Why a week has no published list (of <paramref name="kind"/>, or of either kind), in words that do not suggest a list
    /// is owed when none is: a week before the street began has none (<c>week-before-street</c>, saying when it began), one
    /// not over yet is published after it (<c>week-not-over</c>, saying when), a kind the street had nobody of that week has
    /// none (<see cref="KindsOwedAsync"/>); only a week that is over and owes the list is 尚未发布. Each links the street's
    /// latest published board. The same status (404) for all, as the public reads them.
    /// </summary>
    private static async Task<Failure> NoListOfWeekAsync(Session s, Street street, IsoWeek week, SubjectKind? kind, DateTimeOffset now)
    {
        var why = await StreetWeeks.NoListAsync(s, street, week, now) is { } before ? before with { Kind = FailureKind.NotFound }
            : NotOver(week, street, now) is { } early ? early with { Kind = FailureKind.NotFound }
            : await NoneOwedAsync(s, street, week, kind) ?? NotPublished(week, kind);
        return await WithLatestBoardAsync(s, street, why);
    }

    // A street of landlords only (or of shop heads only), or one that took on its first of a kind after the week, publishes
    // no list of that kind for it: not "not yet".
    private static async Task<Failure?> NoneOwedAsync(Session s, Street street, IsoWeek week, SubjectKind? kind)
    {
        if (kind is not { } k)
            return (await KindsOwedAsync(s, street, week, [])).Count > 0 ? null
                : Failure.NotFound("list-not-published", $"{street.Name} had nobody on its roster in {week}: it has no list of that week.", $"{week}本街道名册上没有房东或铺长，没有榜单。");
        if (await s.HasSubjectsOfKindInWeekAsync(street.Id, k, week, street.Settings.TimeZone)) return null;
        var people = k == SubjectKind.ShopHead ? "shop heads" : "landlords";
        return await s.HasSubjectsOfKindAsync(street.Id, k)
            ? Failure.NotFound("list-not-published", $"{street.Name} had no {people} on its roster in {week}: it has no {k.ToWire()} list of that week.",
                $"{week}本街道名册上没有{k.NameZh()}，没有{k.NameZh()}榜单。")
            : Failure.NotFound("list-not-published", $"{street.Id} has no {people}: it publishes no {k.ToWire()} list.", $"本街道没有{k.NameZh()}，不发布{k.NameZh()}榜单。");
    }

    private static Failure NotPublished(IsoWeek week, SubjectKind? kind) => Failure.NotFound("list-not-published",
        kind is { } k ? $"The {k.ToWire()} list of {week} has not been published yet." : $"No list of {week} has been published yet.", $"{week}的榜单尚未发布。");

    private static Failure RevisionNotFound(IsoWeek week, SubjectKind kind, int revision) =>
        Failure.NotFound("revision-not-found", $"The {kind.ToWire()} list of {week} has no revision {revision}.", $"{week}的榜单没有第{revision}版。");

    /// <summary>The refusal with the path of the street's latest published board, for a reader to go to; as it is before the street's first list.</summary>
    private static async Task<Failure> WithLatestBoardAsync(Session s, Street street, Failure failure) =>
        await s.LatestPublishedWeekAsync(street.Id) is { } latest ? failure with { LatestBoard = $"/streets/{Uri.EscapeDataString(street.Id)}/board/{latest}" } : failure;

    private static string LatestKey(string streetId, IsoWeek week, SubjectKind kind) => $"list:{streetId}:{week}:{kind.ToWire()}";

    /// <summary>
    /// The week of the street's latest published list (of <paramref name="kind"/>, or any): the board a notice or a QR code
    /// links to for good. list-not-published while there is none; street-not-found for no such street.
    /// </summary>
    public Task<Outcome<IsoWeek>> LatestWeekAsync(string streetId, SubjectKind? kind = null, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<IsoWeek>>(async s =>
        {
            if (await s.GetStreetAsync(streetId) is null) return Failure.StreetNotFound(streetId);
            return await s.LatestPublishedWeekAsync(streetId, kind?.ToWire()) is { } week
                ? IsoWeek.Parse(week)
                : Failure.NotFound("list-not-published", $"No list of {streetId} has been published yet.", "本街道尚未发布过红黑榜。");
        }, ct);

    /// <summary>What a street's notice board shows for a week: the latest revision of each kind's list (absent = not published).</summary>
    /// <param name="community">One community's part of the lists (<see cref="PublishedList.InCommunity"/>); null for the street's.</param>
    public Task<Outcome<NoticeBoard>> BoardAsync(string streetId, IsoWeek week, string? community = null, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<NoticeBoard>>(async s =>
        {
            var street = await s.GetStreetAsync(streetId);
            if (street is null) return Failure.StreetNotFound(streetId);
            if (community is not null && await CommunityFilter.MissingInAsync(s, street.Id, community) is { } missing) return missing;
            var lists = new List<PublishedList>();
            var published = new List<SubjectKind>(2);
            foreach (var kind in new[] { SubjectKind.Landlord, SubjectKind.ShopHead })
                if (await s.LatestListAsync(streetId, week.ToString(), kind.ToWire()) is { } row) { lists.Add(FromRow(row)); published.Add(kind); }
            if (lists.Count == 0) return await NoListOfWeekAsync(s, street, week, null, time.GetUtcNow());
            // The lists the week owes (a street of landlords only has no shop heads' list to wait for, nor a week before its first shop head).
            var kinds = (await KindsOwedAsync(s, street, week, published)).Select(k => k.ToWire()).ToList();
            return await WithNeighboursAsync(s, new NoticeBoard(street, await s.ListCommunitiesAsync(streetId), week,
                community is null ? lists : lists.Select(l => l.InCommunity(community)).ToList()) { Kinds = kinds, Community = community });
        }, ct);

    /// <summary>
    /// The notice board of one kind's list: the latest revision, or revision N (an earlier one is shown with the latest's
    /// number, so the board can say it was corrected). A reader reaches the revisions a correction replaced this way.
    /// </summary>
    public Task<Outcome<NoticeBoard>> BoardAsync(string streetId, IsoWeek week, SubjectKind kind, int? revision, string? community = null, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<NoticeBoard>>(async s =>
        {
            var street = await s.GetStreetAsync(streetId);
            if (street is null) return Failure.StreetNotFound(streetId);
            if (community is not null && await CommunityFilter.MissingInAsync(s, street.Id, community) is { } missing) return missing;
            var latest = await s.LatestListAsync(streetId, week.ToString(), kind.ToWire());
            if (latest is null) return await NoListOfWeekAsync(s, street, week, kind, time.GetUtcNow());
            var row = revision is not { } n || n == latest.Revision ? latest : await s.ListRevisionAsync(streetId, week.ToString(), kind.ToWire(), n);
            if (row is null) return await WithLatestBoardAsync(s, street, RevisionNotFound(week, kind, revision!.Value));
            var list = FromRow(row);
            return await WithNeighboursAsync(s, new NoticeBoard(street, await s.ListCommunitiesAsync(streetId), week, [community is null ? list : list.InCommunity(community)])
            {
                Kind = kind.ToWire(), LatestRevision = (int)latest.Revision, Community = community, Revision = revision,
            });
        }, ct);

    /// <summary>The board with the published weeks before and after it (of its kind, when it shows one), for a reader to move between weeks.</summary>
    private static async Task<NoticeBoard> WithNeighboursAsync(Session s, NoticeBoard board) => board with
    {
        Previous = await s.PublishedWeekBeforeAsync(board.Street.Id, board.Week.ToString(), board.Kind) is { } before ? IsoWeek.Parse(before) : null,
        Next = await s.PublishedWeekAfterAsync(board.Street.Id, board.Week.ToString(), board.Kind) is { } after ? IsoWeek.Parse(after) : null,
    };

    /// <summary>
    /// The street and its communities as the public lists name them (a community's name, the street's time zone), or why
    /// not: street-not-found, or community-not-found for a <paramref name="community"/> the street does not have.
    /// </summary>
    public Task<Outcome<StreetNames>> NamesAsync(string streetId, string? community, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<StreetNames>>(async s =>
        {
            if (await s.GetStreetAsync(streetId) is not { } street) return Failure.StreetNotFound(streetId);
            if (community is not null && await CommunityFilter.MissingInAsync(s, street.Id, community) is { } missing) return missing;
            return new StreetNames(street, await s.ListCommunitiesAsync(streetId));
        }, ct);

    /// <summary>Null when the street has <paramref name="community"/>; else community-not-found (or street-not-found).</summary>
    public Task<Failure?> CommunityMissingAsync(string streetId, string community, CancellationToken ct = default) =>
        db.ReadAsync(async s => await s.GetStreetAsync(streetId) is null ? Failure.StreetNotFound(streetId) : await CommunityFilter.MissingInAsync(s, streetId, community), ct);

    /// <summary>The honours of a cycle year, for the street's staff: those who run the street see every candidate, others those in their scope now (as on score cards).</summary>
    public async Task<Outcome<HonourRoll>> HonoursAsync(StaffMember actor, string streetId, int year, SubjectKind? kind = null, CancellationToken ct = default)
    {
        if (actor.Role != StaffRole.Admin && actor.StreetId != streetId) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<HonourRoll>>(async s =>
        {
            // A year not begun, or before the street, is refused as a week of it would be.
            if (await s.GetStreetAsync(streetId) is { } street && await StreetWeeks.YearOutsideAsync(s, street, year, time.GetUtcNow()) is { } outside) return outside;
            var honours = await HonoursInAsync(s, streetId, year, kind);
            if (!honours.Succeeded || actor.CanRunStreet(streetId)) return honours;
            // Community staff see the candidates in their scope now, as on score cards (StaffMember.Covers: a secretary's
            // community, a grid worker's grids).
            var roll = honours.Value!;
            return roll with { Candidates = roll.Candidates.Where(c => actor.Covers(c.Subject)).ToList() };
        }, ct);
    }

    public static readonly IReadOnlyList<string> HonoursHeader = ["对象编号", "类型", "姓名", "社区", "社区名称", "上红榜次数", "上榜周次", "在册"];

    /// <summary>
    /// The candidates as a table for the street office to print for its annual meeting (and secretaries for their
    /// community), beside the roster and ledger exports: names in full, the community by id and by name, the weeks.
    /// </summary>
    public async Task<Outcome<ExportTable>> HonoursTableAsync(StaffMember actor, string streetId, int year, SubjectKind? kind = null, CancellationToken ct = default)
    {
        var honours = await HonoursAsync(actor, streetId, year, kind, ct);
        if (honours.Failure is { } failure) return failure;
        var roll = honours.Value!;
        var communities = (await db.ReadAsync(s => s.ListCommunitiesAsync(streetId), ct)).ToDictionary(c => c.Id, c => c.Name);
        var rows = roll.Candidates.Select(c => new object?[]
        {
            c.SubjectId, c.Subject.Kind.NameZh(), c.Name, c.Community, communities.GetValueOrDefault(c.Community, c.Community),
            c.RedListings, string.Join(" ", c.Weeks), c.Subject.Active ? "是" : "否（已离册）",
        }).ToList();
        return new ExportTable($"{year}年好人候选（上红榜{roll.Threshold}次及以上）", HonoursHeader, rows);
    }

    /// <summary>Good-person candidates of a cycle year: on the (latest revision of the) red list at least K times.</summary>
    public Task<Outcome<HonourRoll>> HonoursAsync(string streetId, int year, SubjectKind? kind = null, CancellationToken ct = default) =>
        db.ReadAsync(s => HonoursInAsync(s, streetId, year, kind), ct);

    /// <summary>
    /// The weeks of an ISO year on whose latest published red list of their kind a subject stands, in order. Asked on
    /// every 积分, so the year's lists are read once and kept (a publication on this instance forgets them; another
    /// instance's is seen within the cache's lifetime): by December a street has ~90 published lists to read and parse.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RedWeeksInAsync(Session s, string streetId, int year, Subject subject)
    {
        var kind = subject.Kind.ToWire();
        async Task<Dictionary<string, string[]>> LoadAsync() =>
            (await LatestOfYearAsync(s, streetId, year, subject.Kind))
                .SelectMany(l => l.Red.Select(e => (e.SubjectId, l.Week))).Distinct()
                .GroupBy(x => x.SubjectId, x => x.Week)
                .ToDictionary(g => g.Key, g => g.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var weeks = s.Cache is { } cache ? await cache.GetOrLoadAsync(RecordStore.RedWeeksKey(streetId, kind, year), LoadAsync) : await LoadAsync();
        return weeks.TryGetValue(subject.Id, out var found) ? found : [];
    }

    /// <summary>The latest revision of each list published for the weeks of an ISO year (of one kind, or both): a correction stands for its week.</summary>
    private static async Task<List<PublishedList>> LatestOfYearAsync(Session s, string streetId, int year, SubjectKind? kind) =>
        (await s.ListsOfYearAsync(streetId, year))
            .Where(r => kind is null || r.Kind == kind.Value.ToWire())
            .GroupBy(r => (r.Week, r.Kind)).Select(g => FromRow(g.MaxBy(r => r.Revision)!)).ToList();

    /// <summary>
    /// The threshold a year is judged by: the one it ended with. A change made for the next year does not rename the
    /// candidates of one already named (and printed), while a change during the year counts for all of it.
    /// </summary>
    public static async Task<int> HonourThresholdOfAsync(Session s, Street street, int year)
    {
        var end = new IsoWeek(year, IsoWeek.WeeksIn(year)).End(street.Settings.TimeZone);
        return StreetSettingsBook.HonourThresholdAt(await s.SettingsInForceAtAsync(street.Id, end), street.Settings, end);
    }

    private static async Task<Outcome<HonourRoll>> HonoursInAsync(Session s, string streetId, int year, SubjectKind? kind)
    {
        var street = await s.GetStreetAsync(streetId);
        if (street is null) return Failure.StreetNotFound(streetId);
        var threshold = await HonourThresholdOfAsync(s, street, year);
        var latest = await LatestOfYearAsync(s, streetId, year, kind);
        var candidates = new List<HonourCandidate>();
        foreach (var c in Honours.Candidates(latest.SelectMany(l => l.Red.Select(e => e.SubjectId)), threshold))
        {
            // Named as the roster has them now (a name corrected, a move to another community), as the office prints them.
            var subject = await s.GetSubjectAsync(c.SubjectId);
            if (subject is null) continue; // subjects are never deleted; a list naming none is not this street's
            candidates.Add(new HonourCandidate(subject, c.RedListings,
                latest.Where(l => l.Red.Any(e => e.SubjectId == c.SubjectId)).Select(l => l.Week).Distinct().Order().ToList()));
        }
        return new HonourRoll(streetId, year, threshold, candidates);
    }

    /// <param name="sizes">The list sizes; null for the street's settings now.</param>
    internal static async Task<ListPreview> ComputeAsync(Session s, Street street, IsoWeek week, SubjectKind kind, string? community, (int Red, int Black)? sizes = null)
    {
        var (red, black) = sizes ?? (street.Settings.RedListSize, street.Settings.BlackListSize);
        var rows = await s.WeekFiguresAsync(street.Id, kind, community, ScoringCycle.Containing(week, street.Settings.Cycle), week, street.Settings.TimeZone);
        var list = WeeklyList.From(rows.Select(Ranked), red, black);
        return new ListPreview(await SnapshotAsync(s, street, week, kind, list, (red, black)), list.Standings.Select(StandingOf).ToList());
    }

    /// <summary>The sizes a week's list is ranked with: those of its published revisions once there is one, else the street's settings now.</summary>
    private static (int Red, int Black) SizesOf(Street street, PublishedList? published) =>
        (published?.RedListSize ?? street.Settings.RedListSize, published?.BlackListSize ?? street.Settings.BlackListSize);

    /// <summary>The revision that stands, with whether the ledger now ranks its week differently (<see cref="Publishing.CorrectionDue"/>).</summary>
    private static async Task<Publishing> CorrectionCheckedAsync(Session s, Publishing same, string streetId, IsoWeek week, SubjectKind kind)
    {
        var standing = same.List;
        if (await s.GetStreetAsync(streetId) is not { } street) return same;
        var ranked = await WithPublishedHashIfOnlyErasuresDifferAsync(s, standing, await ListAsync(s, street, week, kind, SizesOf(street, standing)));
        return same with { CorrectionDue = ChangeOf(standing, ranked) == PublicationChange.Correction, CurrentContentHash = ranked.ContentHash };
    }

    /// <summary>
    /// The street's list as it would be published now — the same as a preview's, but only the candidates for the
    /// red and black lists are read and ranked (see <see cref="WeeklyList"/>), not every subject of the street.
    /// </summary>
    private static async Task<PublishedList> ListAsync(Session s, Street street, IsoWeek week, SubjectKind kind, (int Red, int Black) sizes)
    {
        var (red, black) = sizes;
        var rows = await s.ListCandidatesAsync(street.Id, kind, ScoringCycle.Containing(week, street.Settings.Cycle), week, street.Settings.TimeZone, red, black);
        return await SnapshotAsync(s, street, week, kind, WeeklyList.From(rows.Select(Ranked), red, black), sizes);
    }

    private static async Task<PublishedList> SnapshotAsync(Session s, Street street, IsoWeek week, SubjectKind kind, WeeklyList list, (int Red, int Black) sizes)
    {
        var ruleSet = await Reporting.RuleSetOfAsync(s, street.Id, week.End(street.Settings.TimeZone) - TimeSpan.FromTicks(1));
        var kindWire = kind.ToWire();
        return new PublishedList
        {
            Street = street.Id, Week = week.ToString(), Kind = kindWire, RuleSetVersion = ruleSet.Version,
            ContentHash = ContentHash.Of(street.Id, week.ToString(), kindWire, ruleSet.Version, list.Red, list.Black),
            Red = list.Red.Select(Entry).ToList(), Black = list.Black.Select(Entry).ToList(),
            RedListSize = sizes.Red, BlackListSize = sizes.Black,
        };
    }

    /// <summary>
    /// The list computed now, carrying the latest published revision's hash when erasures alone make it differ. Erasure
    /// masks the name of someone long off the roster (README: Personal data kept), and the name is in the content hash; no
    /// point changes. When erased names,
    /// masked as the published ones would be, are all that differs, publishing now would give the published revision
    /// again: the list carries its hash, so a preview or draft of an unchanged ledger keeps the published hash (DESIGN:
    /// content hash) and is never taken for a correction. The published revision itself is never changed.
    /// </summary>
    private static async Task<PublishedList> WithPublishedHashIfOnlyErasuresDifferAsync(Session s, PublishedList? latest, PublishedList computed)
    {
        if (latest is null || latest.ContentHash == computed.ContentHash || latest.RuleSetVersion != computed.RuleSetVersion) return computed;
        return await ErasedNamesOnlyAsync(s, latest.Red, computed.Red) && await ErasedNamesOnlyAsync(s, latest.Black, computed.Black)
            ? computed with { ContentHash = latest.ContentHash }
            : computed;
    }

    /// <summary>Whether the entries are the published ones but for the names of people erased since, masked.</summary>
    private static async Task<bool> ErasedNamesOnlyAsync(Session s, IReadOnlyList<ListEntry> published, IReadOnlyList<ListEntry> now)
    {
        if (published.Count != now.Count) return false;
        for (var i = 0; i < now.Count; i++)
        {
            var (was, @is) = (published[i], now[i]);
            if (was with { Name = @is.Name } != @is) return false; // rank, subject, community or balance
            if (was.Name != @is.Name && (Masking.Name(was.Name) != @is.Name || (await s.GetSubjectAsync(@is.SubjectId))?.ErasedAt is null)) return false;
        }
        return true;
    }

    private static RankedSubject Ranked(WeekFigureRow r) => new(r.SubjectId, r.Name, r.CommunityId, r.ToFigures());

    private static ListEntry Entry(Standing s) => new(s.Rank, s.SubjectId, s.Name, s.CommunityId, s.Balance);

    private static StandingEntry StandingOf(Standing s) => new(s.Rank, s.SubjectId, s.Name, s.CommunityId, s.Balance,
        s.Figures.CycleDeductionPoints, s.Figures.WeekAdditionPoints, s.Figures.WeekDeductionPoints);

    /// <summary>A published revision as it was frozen.</summary>
    internal static PublishedList FromRow(PublishedListRow row) => JsonSerializer.Deserialize<PublishedList>(row.BodyJson, Json)!;
}

/// <summary>What publishing a week's list now would be: its first publication, the latest revision again (nothing changes), or a correction.</summary>
public enum PublicationChange { First, Unchanged, Correction }

/// <summary>
/// What publishing a week's list now would freeze, beside its latest published revision (if any) and how many of the week's
/// reports that would change it still wait for verification (its cycle's up to the week's end): publishing freezes the list without them.
/// </summary>
public sealed record PublicationDraft(PublishedList List, PublishedList? Latest, int PendingUpToWeek)
{
    public PublicationChange Change => Publication.ChangeOf(Latest, List);

    /// <summary>On a correction, how the list differs from the latest revision (<see cref="ListChanges.BetweenAsync"/>); else none.</summary>
    public IReadOnlyList<ListChange> Changes { get; init; } = [];
}

/// <summary>A street's published lists of one week, with what a printed notice needs to name them.</summary>
public sealed record NoticeBoard(Street Street, IReadOnlyList<Community> Communities, IsoWeek Week, IReadOnlyList<PublishedList> Lists)
{
    /// <summary>The one kind shown (a revision is of one kind's list); null for both.</summary>
    public string? Kind { get; init; }

    /// <summary>Without <see cref="Kind"/>, the kinds shown: those the street has, landlords first.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = ["landlord", "shop-head"];

    /// <summary>With <see cref="Kind"/>, the latest revision of its list: a list shown below it has been corrected.</summary>
    public int? LatestRevision { get; init; }

    /// <summary>The revision asked for by number; null for the latest.</summary>
    public int? Revision { get; init; }

    /// <summary>The community whose part of the lists is shown (<see cref="PublishedList.InCommunity"/>); null for the street's.</summary>
    public string? Community { get; init; }

    /// <summary>The published weeks before and after this one (of <see cref="Kind"/>, when one is shown); null for none.</summary>
    public IsoWeek? Previous { get; init; }

    public IsoWeek? Next { get; init; }
}

/// <summary>A street and its communities, as the public lists name them.</summary>
public sealed record StreetNames(Street Street, IReadOnlyList<Community> Communities);

/// <summary>A good-person candidate: the subject as on the roster now (off it, when not active), and the weeks of their red listings.</summary>
public sealed record HonourCandidate(Subject Subject, int RedListings, IReadOnlyList<string> Weeks)
{
    public string SubjectId => Subject.Id;
    public string Name => Subject.Name;
    public string Community => Subject.CommunityId;
}

/// <summary>A cycle year's good-person candidates and the threshold (red listings) that named them.</summary>
public sealed record HonourRoll(string Street, int Year, int Threshold, IReadOnlyList<HonourCandidate> Candidates);
