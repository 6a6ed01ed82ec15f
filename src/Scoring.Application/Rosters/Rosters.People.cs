using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A landlord or shop head as staff ask to create or change them: null keeps what is there, "" clears an optional field.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record SubjectDraft(string? Kind = null, string? Community = null, string? Name = null, string? Phone = null, string? Grid = null, string? IdCard = null, bool? Active = null);

/// <summary>
/// A tenant or a shop as staff ask to create or change it: null keeps what is there, "" clears an optional field.
/// <paramref name="ExpectedReturn"/> is a tenant's expected day back (<c>2027-02-20</c>, in the street's time zone).
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record HoldingDraft(string? Name = null, string? Room = null, string? Phone = null, string? Origin = null, bool? Active = null, string? ExpectedReturn = null);

/// <summary>A staff member as the street's list shows them, with since when the bot cannot reach them in chat (null while it can).</summary>
public sealed record StaffListing(StaffMember Staff, DateTimeOffset? ChatUnreachableSince);

/// <summary>
/// A staff member as an officer asks to create or change them. <paramref name="Grids"/> are a grid worker's grids (ids in
/// their community; empty for the whole community); a change of community or role that the grids no longer fit clears them.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record StaffDraft(string? Role = null, string? Community = null, string? Name = null, string? Phone = null, bool? Active = null, IReadOnlyList<string?>? Grids = null);

/// <summary>A subject on the roster as a staff member may see it (the phone masked unless it is theirs to see).</summary>
public sealed record RosterSubject(Subject Subject, string? IdCardLastFour, int ActiveTenants, int ActiveShops);

/// <summary>
/// The people of a street, managed by staff: officers for their street, secretaries for their community
/// (grid workers may look, with phone numbers masked). Deactivating keeps everything: a landlord who stops
/// renting leaves the lists, never the ledger; still off the roster at the end of the year after, their personal data is
/// erased (OffRosterErasure) and their record, kept masked for the ledger, takes no change.
/// </summary>
public sealed partial class Rosters
{

    /// <summary>
    /// Someone whose personal data was erased, long off the roster (OffRosterErasure): their record stays only for the
    /// ledger, so it takes no change; the same person back on a roster is entered anew.
    /// </summary>
    private static Failure SubjectErased(Subject x) => Failure.Conflict("subject-erased",
        $"{x.Id} was long off the roster and their personal data has been erased; the record stays only for the ledger. Enter them anew if they are back.",
        $"{x.Id}已离开名册超过保留期限，个人信息已清除，此记录仅为积分台账保留，不能再修改；如其重新登记，请作为新人员录入。");

    /// <summary>Whether an actor may change the people of a community: its secretary, the street's officers, admins.</summary>
    public static bool CanManage(StaffMember actor, string street, string community) => actor.Role != StaffRole.GridWorker && actor.CanActIn(street, community);

    /// <summary>Whether an actor may read a landlord or shop head (the console's operator, null, reads anyone).</summary>
    public static bool CanRead(StaffMember? actor, Subject x) => actor is null || actor.Covers(x);

    /// <summary>Phone numbers are shown in full only to the subject's own secretary and the street's officers.</summary>
    public static bool SeesPhones(StaffMember actor, string street, string community) => CanManage(actor, street, community);

    private static Subject Shown(StaffMember actor, Subject x) => SeesPhones(actor, x.StreetId, x.CommunityId) ? x : x with { Phone = x.Phone is null ? null : Masking.Phone(x.Phone) };
    private static Tenant Shown(StaffMember actor, Subject owner, Tenant t) => SeesPhones(actor, owner.StreetId, owner.CommunityId) ? t : t with { Phone = t.Phone is null ? null : Masking.Phone(t.Phone) };

    // ---- subjects ----

    public async Task<Outcome<IReadOnlyList<RosterSubject>>> ListSubjectsAsync(StaffMember actor, string street, string? community, SubjectKind? kind, bool includeInactive = false, CancellationToken ct = default)
    {
        var asked = community;
        // Community staff see their own community whether they ask for it or not.
        if (actor.Role is StaffRole.Secretary or StaffRole.GridWorker) community ??= actor.CommunityId;
        if (!actor.CanActIn(street, community)) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<IReadOnlyList<RosterSubject>>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            if (asked is not null && await CommunityFilter.MissingInAsync(s, street, asked) is { } missing) return missing;
            var tenants = (await s.TenantsOfStreetAsync(street, community)).Where(t => t.Active).GroupBy(t => t.SubjectId).ToDictionary(g => g.Key, g => g.Count());
            var shops = (await s.ShopsOfStreetAsync(street, community)).Where(t => t.Active).GroupBy(t => t.SubjectId).ToDictionary(g => g.Key, g => g.Count());
            var cards = (await s.IdentityCardsOfStreetAsync(street)).ToDictionary(c => c.SubjectId, c => c.LastFour);
            return (await s.ListSubjectsAsync(street, community))
                .Where(x => (includeInactive || x.Active) && (kind is null || x.Kind == kind) && actor.Covers(x))
                .Select(x => new RosterSubject(Shown(actor, x), cards.GetValueOrDefault(x.Id), tenants.GetValueOrDefault(x.Id), shops.GetValueOrDefault(x.Id)))
                .ToList();
        }, ct);
    }

    public Task<Outcome<RosterSubject>> GetSubjectAsync(StaffMember actor, string id, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<RosterSubject>>(async s =>
        {
            var x = await s.GetSubjectAsync(id);
            if (x is null) return Failure.SubjectNotFound(id);
            if (!CanRead(actor, x)) return Failure.Forbidden();
            return await EntryAsync(s, actor, x);
        }, ct);

    private static async Task<RosterSubject> EntryAsync(Session s, StaffMember actor, Subject x) => new(
        Shown(actor, x),
        (await s.GetIdentityCardAsync(x.Id))?.LastFour,
        (await s.ListTenantsAsync(x.Id)).Count(t => t.Active),
        (await s.ListShopsAsync(x.Id)).Count(t => t.Active));

    public Task<Outcome<RosterSubject>> CreateSubjectAsync(StaffMember actor, string street, SubjectDraft draft, CancellationToken ct = default) =>
        Guarded(() => db.WriteAsync<Outcome<RosterSubject>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            if (!SubjectKinds.TryParse(draft.Kind, out var kind))
                return Failure.Invalid("kind-invalid", "Say the kind: 'landlord' or 'shop-head'.", "请填写类型：landlord（房东）或 shop-head（铺长）。");
            var community = await ActiveCommunityAsync(s, street, draft.Community);
            if (!community.Succeeded) return community.Failure!;
            if (!CanManage(actor, street, community.Value!.Id)) return Failure.Forbidden();
            if (draft.Phone is null) return PhoneRequired;
            var subject = new Subject { Id = Ids.New(10), StreetId = street, CommunityId = community.Value.Id, Kind = kind, Name = "", Active = draft.Active ?? true };
            var built = await ApplyAsync(s, actor, subject, draft with { Community = null, Kind = null });
            if (!built.Succeeded) return built.Failure!;
            await s.InsertSubjectAsync(built.Value!, Now);
            await SetIdentityCardAsync(s, built.Value!, draft.IdCard);
            return await EntryAsync(s, actor, built.Value!);
        }, ct));

    public Task<Outcome<RosterSubject>> UpdateSubjectAsync(StaffMember actor, string id, SubjectDraft draft, CancellationToken ct = default) =>
        Guarded(() => db.WriteAsync<Outcome<RosterSubject>>(async s =>
        {
            // Brought back, a shop head answers for their open shops again, counted against the limit: the street first (HoldStreetOfAsync).
            if (draft.Active == true) await HoldStreetOfAsync(s, id);
            var x = await s.GetSubjectForChangeAsync(id);
            if (x is null) return Failure.SubjectNotFound(id);
            if (!CanManage(actor, x.StreetId, x.CommunityId)) return Failure.Forbidden();
            if (x.ErasedAt is not null) return SubjectErased(x);
            if (draft.Kind is not null && (!SubjectKinds.TryParse(draft.Kind, out var kind) || kind != x.Kind))
                return Failure.Invalid("kind-fixed", $"{x.Name} stays a {x.Kind.ToWire()}: the ledger is kept by kind. Register a new person instead.", $"{x.Name}的类型（{x.Kind.NameZh()}）不能更改，请另行登记。");
            var moved = x;
            if (draft.Community is not null && draft.Community.Trim() != x.CommunityId)
            {
                var community = await ActiveCommunityAsync(s, x.StreetId, draft.Community);
                if (!community.Succeeded) return community.Failure!;
                if (!CanManage(actor, x.StreetId, community.Value!.Id)) return Failure.Forbidden();
                moved = x with { CommunityId = community.Value.Id, GridId = draft.Grid is null ? null : x.GridId };
            }
            var built = await ApplyAsync(s, actor, moved, draft with { Community = null, Kind = null });
            if (!built.Succeeded) return built.Failure!;
            // Back on the lists only in an active community (a deactivated one has nobody on them; its roster no longer imports).
            if (built.Value!.Active && !x.Active && moved.CommunityId == x.CommunityId && await s.GetCommunityForChangeAsync(x.CommunityId) is { Active: false } closed)
                return Failure.Conflict("community-inactive", $"{closed.Name} is deactivated: reactivate it, or move {x.Name} to an active community.",
                    $"{closed.Name}已停用，请先恢复该社区，或将{x.Name}调整到在用的社区。");
            // Off the roster their shops did not count (a limit lowered meanwhile passed over them); back on it they do.
            if (built.Value!.Active && !x.Active && x.Kind == SubjectKind.ShopHead
                && await ShopLimitAsync(s, x.StreetId) is var limit && (await s.ListShopsAsync(x.Id)).Count(shop => shop.Active) is var open && open > limit)
                return Failure.Conflict("shop-limit",
                    $"{x.Name} has {open} open shops, above the street's limit of {limit}: close {open - limit} of them or move them to another shop head first, or raise the shop limit (shopLimit).",
                    $"{x.Name}名下有{open}家在用店铺，超过街道上限{limit}家：请先停用{open - limit}家或转给其他铺长，或调高{StreetSettings.Named("shopLimit")}。");
            await s.UpdateSubjectAsync(built.Value!, Now);
            await SetIdentityCardAsync(s, built.Value!, draft.IdCard);
            // Off the lists or back on them is the street's business to look back on (who took a name off the lists?).
            if (built.Value!.Active != x.Active)
                await StaffActions.RecordAsync(s, Now, x.StreetId, actor.Id, built.Value!.Active ? StaffActions.SubjectReactivated : StaffActions.SubjectDeactivated,
                    StaffActions.Targets.Subject, x.Id, x.Kind.ToWire());
            // So is who moved them out of a grid worker's reach or another secretary's queue, or renamed them.
            if (SubjectChange(x, built.Value!) is { } change)
                await StaffActions.RecordAsync(s, Now, x.StreetId, actor.Id, StaffActions.SubjectChanged, StaffActions.Targets.Subject, x.Id, $"{x.Kind.ToWire()}; {change}");
            return await EntryAsync(s, actor, built.Value!);
        }, ct));

    /// <summary>The fields a change of a subject changed, by name (never their values: a phone stays off the record); null when none.</summary>
    private static string? SubjectChange(Subject was, Subject now)
    {
        var parts = new List<string>();
        if (was.CommunityId != now.CommunityId) parts.Add("community");
        if (was.GridId != now.GridId) parts.Add("grid");
        if (was.Name != now.Name) parts.Add("name");
        if (was.Phone != now.Phone) parts.Add("phone");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>Takes a landlord or shop head off the lists; their ledger, tenants and shops stay (their personal data until OffRosterErasure).</summary>
    public Task<Outcome<RosterSubject>> DeactivateSubjectAsync(StaffMember actor, string id, CancellationToken ct = default) =>
        UpdateSubjectAsync(actor, id, new SubjectDraft(Active: false), ct);

    /// <summary>Validates a draft's name, phone, grid and active flag onto a subject (community and kind are the caller's).</summary>
    private static async Task<Outcome<Subject>> ApplyAsync(Session s, StaffMember actor, Subject x, SubjectDraft d)
    {
        var result = x;
        if (d.Name is not null || x.Name.Length == 0)
        {
            var n = RosterText.Name(d.Name);
            if (!n.Succeeded) return n.Failure!;
            result = result with { Name = n.Value! };
        }
        if (d.Phone is not null)
        {
            var p = RosterText.Phone(d.Phone);
            if (!p.Succeeded) return p.Failure!;
            if (p.Value is null)
            {
                // Someone off the roster gives up their number to whoever has it now (recycled, or a house sold in the
                // family): their record stays theirs, without a phone, as an older record. Nobody on the roster loses theirs.
                if (x.Name.Length == 0 /* a new record, not named yet */ || (d.Active ?? result.Active)) return PhoneRequired;
                result = result with { Phone = null };
            }
            else
            {
                // Per type: one person may both let rooms and head shops, a record of each under one phone.
                if (await s.FindSubjectByPhoneAsync(x.StreetId, x.Kind, p.Value) is { } holder && holder.Id != x.Id)
                    return PhoneTaken(actor, holder);
                // The other type's record of the phone is the same person's only under the same name.
                if (await s.FindSubjectByPhoneAsync(x.StreetId, x.Kind == SubjectKind.Landlord ? SubjectKind.ShopHead : SubjectKind.Landlord, p.Value) is { } twin && twin.Name != result.Name)
                    return PhoneOfTheOtherKind(actor, twin);
                result = result with { Phone = p.Value };
            }
        }
        else if (result.Name != x.Name && result.Phone is { } kept
            && await s.FindSubjectByPhoneAsync(x.StreetId, x.Kind == SubjectKind.Landlord ? SubjectKind.ShopHead : SubjectKind.Landlord, kept) is { } namesake
            && namesake.Name != result.Name)
        {
            // Renamed alone, the record would carry another name than the other type's record of its phone: as a phone change would.
            return PhoneOfTheOtherKind(actor, namesake);
        }
        if (d.Grid is not null)
        {
            if (d.Grid.Trim().Length == 0) result = result with { GridId = null };
            else
            {
                var found = await GridAsync(s, x.StreetId, d.Grid.Trim(), result.CommunityId, g => g.Id == x.GridId && result.CommunityId == x.CommunityId);
                if (found.Failure is { } ambiguous) return ambiguous;
                if (found.Value is not { } grid)
                    return Failure.Invalid("grid-unknown", $"There is no active grid '{RosterText.Clip(d.Grid.Trim())}' (by id or name) in community {result.CommunityId}.", $"社区{result.CommunityId}没有网格「{RosterText.Clip(d.Grid.Trim())}」（按编号或名称）。");
                result = result with { GridId = grid.Id };
            }
        }
        if (d.IdCard is not null && IdentityCards.Normalize(d.IdCard) is { Succeeded: false } card) return card.Failure!;
        return result with { Active = d.Active ?? result.Active };
    }

    /// <summary>
    /// A person is identified by phone within the street (DESIGN: the roster), as the import does: a new landlord or shop
    /// head needs one and nobody on the roster has theirs cleared (someone off it may give theirs up for whoever has the number
    /// now). Records without one stay, and the import finds them by type, community and name.
    /// </summary>
    private static readonly Failure PhoneRequired = Failure.Invalid("phone-required", "The phone is required: people are found by it.", "电话不能为空：人员按电话识别。");

    /// <summary>
    /// The phone of someone of the same kind, said with what to do: a person is found by it, so two people (a couple, a
    /// landlord and the child who answers for him) are never one phone's. Someone off the roster is either the same
    /// person back or a newcomer on their old number, and only the office can tell which. The holder is named only to
    /// whoever may read them: else any phone number would tell who holds it.
    /// </summary>
    private static Failure PhoneTaken(StaffMember actor, Subject holder) => !CanRead(actor, holder)
        ? Failure.Conflict("phone-taken", "That phone number already belongs to someone in another community.", "该电话号码已在本街道其他社区登记。")
        : holder.Active
            ? Failure.Conflict("phone-taken", $"That phone number already belongs to {holder.Name} ({holder.Id}). People are found by their phone, one person to a phone: enter this person under their own phone.",
                $"该电话号码已登记给{holder.Name}（{holder.Id}）。人员按电话识别，一个电话只能登记一人：请填写此人本人的电话。")
            : Failure.Conflict("phone-taken", $"That phone number already belongs to {holder.Name} ({holder.Id}), off the roster. If it is them, put them back: PUT /api/subjects/{holder.Id} {{\"active\":true}}. " +
                $"If it is someone new on their old number, free it from the old record first: PUT /api/subjects/{holder.Id} {{\"phone\":\"\"}} (their records stay theirs).",
                $"该电话号码已登记给{holder.Name}（{holder.Id}），已停用。如是此人，请直接恢复：PUT /api/subjects/{holder.Id} {{\"active\":true}}；" +
                $"如是新人员用了其原号码，请先释放原记录的电话：PUT /api/subjects/{holder.Id} {{\"phone\":\"\"}}（原记录保留），再登记。");

    /// <summary>The phone of the other kind's record under another name: one person may be both, under one name.</summary>
    private static Failure PhoneOfTheOtherKind(StaffMember actor, Subject twin) => !CanRead(actor, twin)
        ? PhoneTaken(actor, twin)
        : Failure.Conflict("phone-taken", $"That phone number already belongs to the {twin.Kind.ToWire()} {twin.Name} ({twin.Id}): one person may be both a landlord and a shop head, under one name.",
            $"该电话号码已登记给{twin.Kind.NameZh()}{twin.Name}（{twin.Id}）：同一人可以既是房东又是铺长，但姓名应相同。");

    private async Task SetIdentityCardAsync(Session s, Subject x, string? idCard)
    {
        if (idCard is null) return;
        var number = IdentityCards.Normalize(idCard).Value;
        var stored = await s.GetIdentityCardAsync(x.Id);
        if (number is null)
        {
            if (stored is not null) await s.DeleteIdentityCardAsync(x.Id);
        }
        else if (stored is null || !IdentityCards.Matches(stored, number))
            await s.SetIdentityCardAsync(IdentityCards.Protect(x.Id, number, Now));
    }

    /// <summary>A unique index can still refuse a phone another request took a moment ago: that is the same conflict.</summary>
    private static async Task<Outcome<T>> Guarded<T>(Func<Task<Outcome<T>>> work)
    {
        try { return await work(); }
        catch (System.Data.Common.DbException e) when (TransientFaults.IsUniqueViolation(e))
        {
            return Failure.Conflict("phone-taken", "That phone number already belongs to someone in this street.", "该电话号码已在本街道登记。");
        }
    }

    // ---- tenants and shops ----

    /// <summary>
    /// The subject behind a tenant or shop request, with the actor's right to see or change it checked; to change, held
    /// until the change commits (their tenants' or shops' names are checked against each other, and their shops counted).
    /// </summary>
    private static async Task<Outcome<Subject>> OwnerAsync(Session s, StaffMember actor, string subjectId, bool change)
    {
        var x = change ? await s.GetSubjectForChangeAsync(subjectId) : await s.GetSubjectAsync(subjectId);
        if (x is null) return Failure.SubjectNotFound(subjectId);
        if (!(change ? CanManage(actor, x.StreetId, x.CommunityId) : actor.Covers(x))) return Failure.Forbidden();
        if (change && x.ErasedAt is not null) return SubjectErased(x);
        return x;
    }

    public Task<Outcome<IReadOnlyList<Tenant>>> ListTenantsAsync(StaffMember actor, string subjectId, bool includeInactive = false, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<IReadOnlyList<Tenant>>>(async s =>
        {
            var owner = await OwnerAsync(s, actor, subjectId, change: false);
            if (!owner.Succeeded) return owner.Failure!;
            var zone = (await SettingsOfAsync(s, owner.Value!)).TimeZone;
            return (await s.ListTenantsAsync(subjectId)).Where(t => includeInactive || t.Active).Select(t => InZone(Shown(actor, owner.Value!, t), zone)).ToList();
        }, ct);

    public Task<Outcome<Tenant>> AddTenantAsync(StaffMember actor, string subjectId, HoldingDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<Tenant>>(async s =>
        {
            var owner = await OwnerAsync(s, actor, subjectId, change: true);
            if (!owner.Succeeded) return owner.Failure!;
            var settings = await SettingsOfAsync(s, owner.Value!);
            var expected = ExpectedReturn(settings, null, draft.ExpectedReturn);
            if (!expected.Succeeded) return expected.Failure!;
            var added = await AddTenantInAsync(s, owner.Value!, draft.Name, draft.Room, draft.Phone, draft.Origin, Now, expected.Value);
            if (!added.Succeeded) return added;
            await RecordHoldingAsync(s, owner.Value!, actor.Id, StaffActions.TenantAdded, StaffActions.Targets.Tenant, added.Value!.Id);
            return InZone(added.Value!, settings.TimeZone);
        }, ct);

    public Task<Outcome<Tenant>> UpdateTenantAsync(StaffMember actor, string tenantId, HoldingDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<Tenant>>(async s =>
        {
            var t = await s.GetTenantAsync(tenantId);
            if (t is null) return Failure.NotFound("tenant-not-found", $"No tenant '{tenantId}'.", $"找不到租客「{tenantId}」。");
            var owner = await OwnerAsync(s, actor, t.SubjectId, change: true);
            if (!owner.Succeeded) return owner.Failure!;
            t = (await s.GetTenantAsync(tenantId))!; // as it is now that its landlord is held: another change may have just committed
            var settings = await SettingsOfAsync(s, owner.Value!);
            // Fields sent for a tenant off the list without putting them back would be dropped (and an expected day back
            // never reminded of): refused, as for a closed shop. A body of nothing else keeps them off, as it did.
            if (!t.Active && draft.Active is null && draft != new HoldingDraft())
                return Failure.Conflict("tenant-inactive", "The tenant is off the list; send active: true to put them back with these changes.",
                    "该租客已不在名单上，请先恢复（active: true）后再修改。");
            var active = draft.Active ?? t.Active;
            if (!active)
            {
                // Deactivating needs no other check: the tenant simply leaves the list.
                var gone = t.TakenOff(Now);
                await s.UpdateTenantAsync(gone);
                if (t.Active) await RecordHoldingAsync(s, owner.Value!, actor.Id, StaffActions.TenantClosed, StaffActions.Targets.Tenant, t.Id);
                return InZone(gone, settings.TimeZone);
            }
            // Validated as the tenant on the list (put back now, if they were off it): the copy is t's, with the fields sent.
            var valid = await ValidTenantAsync(s, owner.Value!, t.PutBack(Now), draft.Name ?? t.Name, draft.Room ?? t.Room, draft.Phone ?? t.Phone, draft.Origin ?? t.Origin);
            if (!valid.Succeeded) return valid;
            var expected = ExpectedReturn(settings, t.ExpectedReturn, draft.ExpectedReturn);
            if (!expected.Succeeded) return expected.Failure!;
            var changed = valid.Value! with { ExpectedReturn = expected.Value };
            await s.UpdateTenantAsync(changed);
            if (TenantChange(t, changed) is { } fields) await RecordHoldingAsync(s, owner.Value!, actor.Id, StaffActions.TenantChanged, StaffActions.Targets.Tenant, t.Id, fields);
            return InZone(changed, settings.TimeZone);
        }, ct);

    /// <summary>The fields a change of a tenant changed, by name; null when none.</summary>
    private static string? TenantChange(Tenant was, Tenant now)
    {
        var parts = new List<string>();
        if (was.Active != now.Active) parts.Add("back on the list");
        if (was.Name != now.Name) parts.Add("name");
        if (was.Room != now.Room) parts.Add("room");
        if (was.Phone != now.Phone) parts.Add("phone");
        if (was.Origin != now.Origin) parts.Add("origin");
        if (was.ExpectedReturn != now.ExpectedReturn) parts.Add("expected return");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>
    /// The grid <paramref name="text"/> names in <paramref name="community"/>: its id, else the name the roster file's 网格
    /// column gave it (the grids an import creates get ids nobody typed), an active grid before one <paramref name="held"/>
    /// already. Null when there is none; a failure when two active grids there share the name, so only the id tells.
    /// </summary>
    private static async Task<Outcome<Grid?>> GridAsync(Session s, string streetId, string text, string? community, Func<Grid, bool> held)
    {
        if (await s.GetGridAsync(text) is { } byId && MayHold(byId, community, held(byId))) return byId;
        var named = (await s.ListGridsAsync(streetId)).Where(g => g.CommunityId == community && g.Name == text).ToList();
        var active = named.Where(g => g.Active).ToList();
        if (active.Count > 1)
            return Failure.Invalid("grid-ambiguous", $"Community {community} has {active.Count} grids named '{RosterText.Clip(text)}': give the id of one ({string.Join(", ", active.Select(g => g.Id))}).",
                $"社区{community}有{active.Count}个名为「{RosterText.Clip(text)}」的网格：请填写其中一个的编号（{string.Join("、", active.Select(g => g.Id))}）。");
        return active.SingleOrDefault() ?? named.FirstOrDefault(held);
    }

    /// <summary>
    /// Whether someone of <paramref name="community"/> may be placed in <paramref name="grid"/>: one of that community's,
    /// active, or deactivated since they were placed in it (<paramref name="held"/>: their record sent back as read is
    /// saved); a deactivated grid is never newly given.
    /// </summary>
    internal static bool MayHold([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Grid? grid, string? community, bool held) =>
        grid is not null && grid.CommunityId == community && (grid.Active || held);

    private static async Task<StreetSettings> SettingsOfAsync(Session s, Subject owner) => (await s.GetStreetAsync(owner.StreetId))!.Settings;

    /// <summary>A tenant as answered: the expected day back (stored as an instant) in the street's offset, so its date is the street's.</summary>
    private static Tenant InZone(Tenant t, TimeZoneInfo zone) => t.ExpectedReturn is { } day ? t with { ExpectedReturn = TimeZoneInfo.ConvertTime(day, zone) } : t;

    /// <summary>
    /// A tenant's expected day back as typed (a date in the street's zone, "" for none; null keeps <paramref name="kept"/>),
    /// as that day's start. Within a year of today either way: further is a slip of the year.
    /// </summary>
    private Outcome<DateTimeOffset?> ExpectedReturn(StreetSettings settings, DateTimeOffset? kept, string? text)
    {
        if (text is null) return kept;
        if (text.Trim().Length == 0) return (DateTimeOffset?)null;
        var today = VerificationClock.LocalDay(time.GetUtcNow(), settings);
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
            || day < today.AddYears(-1) || day > today.AddYears(1))
            return Failure.Invalid("expected-return-invalid", $"expectedReturn '{RosterText.Clip(text)}' is not a day within a year of today, like {today.AddDays(7):yyyy-MM-dd}.",
                $"预计返回日期「{RosterText.Clip(text)}」无效，请填写一年内的日期，如 {today.AddDays(7):yyyy-MM-dd}。");
        return Domain.Weeks.IsoWeek.LocalMidnight(day, settings.TimeZone);
    }

    public Task<Outcome<Tenant>> DeactivateTenantAsync(StaffMember actor, string tenantId, CancellationToken ct = default) =>
        UpdateTenantAsync(actor, tenantId, new HoldingDraft(Active: false), ct);

    public Task<Outcome<IReadOnlyList<Shop>>> ListShopsAsync(StaffMember actor, string subjectId, bool includeInactive = false, CancellationToken ct = default) =>
        db.ReadAsync<Outcome<IReadOnlyList<Shop>>>(async s =>
        {
            var owner = await OwnerAsync(s, actor, subjectId, change: false);
            if (!owner.Succeeded) return owner.Failure!;
            return (await s.ListShopsAsync(subjectId)).Where(t => includeInactive || t.Active).ToList();
        }, ct);

    public Task<Outcome<Shop>> AddShopAsync(StaffMember actor, string subjectId, HoldingDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<Shop>>(async s =>
        {
            await HoldStreetOfAsync(s, subjectId);
            var owner = await OwnerAsync(s, actor, subjectId, change: true);
            if (!owner.Succeeded) return owner.Failure!;
            var added = await AddShopInAsync(s, owner.Value!, draft.Name);
            if (added.Succeeded) await RecordHoldingAsync(s, owner.Value!, actor.Id, StaffActions.ShopAdded, StaffActions.Targets.Shop, added.Value!.Id);
            return added;
        }, ct);

    /// <summary>
    /// Holds the street of <paramref name="subjectId"/> before its shop head is held, for a shop added or reopened: the
    /// shop limit is read held (<see cref="ShopLimitAsync"/>), so a PATCH lowering it (which holds the street and counts
    /// the shops) and the shop cannot pass each other on SQL Server; street first, as the roster import and the PATCH hold.
    /// </summary>
    private static async Task HoldStreetOfAsync(Session s, string subjectId)
    {
        if (await s.GetSubjectAsync(subjectId) is { } head) await s.GetStreetForChangeAsync(head.StreetId);
    }

    public Task<Outcome<Shop>> UpdateShopAsync(StaffMember actor, string shopId, HoldingDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<Shop>>(async s =>
        {
            var shop = await s.GetShopAsync(shopId);
            if (shop is null) return Failure.NotFound("shop-not-found", $"No shop '{shopId}'.", $"找不到店铺「{shopId}」。");
            if (draft.Active == true) await HoldStreetOfAsync(s, shop.SubjectId);
            var owner = await OwnerAsync(s, actor, shop.SubjectId, change: true);
            if (!owner.Succeeded) return owner.Failure!;
            shop = (await s.GetShopAsync(shopId))!; // as it is now that its shop head is held
            var was = shop;
            if (draft.Active == false)
            {
                var closed = shop with { Active = false };
                await s.UpdateShopAsync(closed);
                if (was.Active) await RecordHoldingAsync(s, owner.Value!, actor.Id, StaffActions.ShopClosed, StaffActions.Targets.Shop, shop.Id);
                return closed;
            }
            if (draft.Active == true && !shop.Active)
            {
                var limit = await ShopLimitAsync(s, owner.Value!.StreetId);
                if ((await s.ListShopsAsync(shop.SubjectId)).Count(x => x.Active) >= limit) return ShopLimitReached(owner.Value!, limit);
                shop = shop with { Active = true };
            }
            if (!shop.Active) return Failure.Conflict("shop-inactive", "The shop is closed; reactivate it first (active: true).", "该店铺已停用，请先恢复。");
            var changed = await UpdateShopInAsync(s, shop, draft.Name ?? shop.Name);
            if (changed.Succeeded && string.Join("; ", new[] { was.Active ? null : "back in charge", was.Name != changed.Value!.Name ? "name" : null }.OfType<string>()) is { Length: > 0 } fields)
                await RecordHoldingAsync(s, owner.Value!, actor.Id, StaffActions.ShopChanged, StaffActions.Targets.Shop, shop.Id, fields);
            return changed;
        }, ct);

    public Task<Outcome<Shop>> DeactivateShopAsync(StaffMember actor, string shopId, CancellationToken ct = default) =>
        UpdateShopAsync(actor, shopId, new HoldingDraft(Active: false), ct);

    // ---- staff ----

    /// <summary>The street's staff, each with since when they cannot be reached in chat (<see cref="ChatReach"/>), if so.</summary>
    public async Task<Outcome<IReadOnlyList<StaffListing>>> ListStaffAsync(StaffMember actor, string street, bool includeInactive = false, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(street)) return OfficersOnly;
        return await db.ReadAsync<Outcome<IReadOnlyList<StaffListing>>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            var listed = new List<StaffListing>();
            foreach (var member in await s.ListStaffAsync(street))
                if (includeInactive || member.Active)
                    listed.Add(new StaffListing(member, await ChatReach.UnreachableSinceAsync(s, "staff", member.Id)));
            return listed;
        }, ct);
    }

    public async Task<Outcome<StaffMember>> CreateStaffAsync(StaffMember actor, string street, StaffDraft draft, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(street)) return OfficersOnly;
        return await db.WriteAsync<Outcome<StaffMember>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            var member = await ApplyAsync(s, actor, new StaffMember { Id = Ids.New(10), StreetId = street, Role = StaffRole.Secretary, Name = "" }, draft, creating: true);
            if (!member.Succeeded) return member;
            await s.InsertStaffAsync(member.Value!);
            await StaffActions.RecordAsync(s, Now, street, actor.Id, StaffActions.StaffCreated, StaffActions.Targets.Staff, member.Value!.Id, member.Value!.Role.ToWire());
            return member;
        }, ct);
    }

    public Task<Outcome<StaffMember>> UpdateStaffAsync(StaffMember actor, string id, StaffDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<StaffMember>>(async s =>
        {
            var x = await s.GetStaffForChangeAsync(id);
            if (x is null) return Failure.NotFound("staff-not-found", $"No staff member '{id}'.", $"找不到工作人员「{id}」。");
            if (!actor.CanManageStaff(x)) return actor.CanRunStreet(x.StreetId) ? AdminsOnly : OfficersOnly;
            if (x.Id == actor.Id && draft.Active == false)
                return Failure.Conflict("self-deactivation", "You cannot deactivate yourself; ask another officer.", "不能停用自己，请由其他工作人员操作。");
            var member = await ApplyAsync(s, actor, x, draft, creating: false);
            if (!member.Succeeded) return member;
            if (AnotherPerson(x, member.Value!)) return StaffPersonChanged;
            await s.UpdateStaffAsync(member.Value!);
            if (StaffChange(x, member.Value!) is { } change)
                await StaffActions.RecordAsync(s, Now, x.StreetId, actor.Id, StaffActions.StaffChanged, StaffActions.Targets.Staff, x.Id, change);
            // Off duty for good as far as their tokens and unused codes go: taken back on, they are given new ones, never the
            // old ones (a token kept on a laptop or in a script, or a code on a slip, from before must not come back with them).
            // Their chat accounts stay bound, without powers, unless the post changes too.
            var offDuty = x.Active && !member.Value!.Active;
            var cause = CredentialsLapse(x, member.Value!);
            if (offDuty || cause is not null)
                await StaffTokens.LapseAsync(s, Now, x, actor.Id, string.Join("; ", new[] { offDuty ? "off duty" : null, cause }.OfType<string>()), unbind: cause is not null);
            return member;
        }, ct);

    /// <summary>
    /// Why a change takes back the member's credentials, or null when it keeps them. A credential is issued for a person
    /// in a role and place, by whoever may issue for them there (StaffMember.CanIssueCredentialsFor): under another role
    /// it would act beyond what its issuer could grant (a secretary's token, minted by an officer, raised to an
    /// officer's), and a grid worker's, his community's secretary's to issue, would act in a community not hers. So a new
    /// role, or a grid worker's new community, means new credentials, as a street office expects of a changed post; a
    /// move between grids of one community keeps them.
    /// </summary>
    private static string? CredentialsLapse(StaffMember was, StaffMember now) =>
        was.Role != now.Role ? "role changed"
        : now.Role == StaffRole.GridWorker && was.CommunityId != now.CommunityId ? "community changed"
        : null;

    /// <summary>
    /// Whether a change makes the record someone else's: a new name and a new phone at once (the post handed to a successor on
    /// the leaver's record). Credentials are a person's, and the record of who decided what names staff by their record's
    /// name now (the ledger's 上报人/核查人), so the office takes the leaver off duty and creates the newcomer. A new name alone
    /// is a misspelling corrected, a new phone alone a new number: the same person, who keeps her credentials.
    /// </summary>
    private static bool AnotherPerson(StaffMember was, StaffMember now) => was.Name != now.Name && was.Phone != now.Phone;

    private static readonly Failure StaffPersonChanged = Failure.Conflict("staff-person-changed",
        "A new name and a new phone together make this staff member another person: the tokens, chat accounts and past decisions of whoever held the record would pass to them. "
            + "Take this staff member off duty (active: false) and create the new person as a new staff member. To correct a misspelt name, or record a new number, change one at a time.",
        "同时更换姓名和手机号即为换了一个人：原工作人员的令牌、聊天账号和以往的审核记录都会归到新人名下。请先停用该工作人员（active: false），再为新人新建工作人员。如只是更正姓名错字或更换号码，请分别修改。");

    /// <summary>What changed about a staff member, as the street's record says it (roles and communities; that a name or phone changed, not to what).</summary>
    private static string? StaffChange(StaffMember was, StaffMember now)
    {
        var parts = new List<string>();
        if (was.Active != now.Active) parts.Add(now.Active ? "back on duty" : "off duty");
        if (was.Role != now.Role) parts.Add($"role {was.Role.ToWire()} → {now.Role.ToWire()}");
        if (was.CommunityId != now.CommunityId) parts.Add($"community {was.CommunityId ?? "-"} → {now.CommunityId ?? "-"}");
        if (!was.GridIds.SequenceEqual(now.GridIds)) parts.Add("grids " + (now.GridIds.Count == 0 ? "-" : string.Join(",", now.GridIds)));
        if (was.Name != now.Name) parts.Add("name");
        if (was.Phone != now.Phone) parts.Add("phone");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>Takes a staff member off duty; their tokens stop working (authentication requires an active member).</summary>
    public Task<Outcome<StaffMember>> DeactivateStaffAsync(StaffMember actor, string id, CancellationToken ct = default) =>
        UpdateStaffAsync(actor, id, new StaffDraft(Active: false), ct);

    /// <summary>The most grids a grid worker is given: their ids (up to <see cref="RosterText.MaxId"/> characters) fit staff.grid_ids.</summary>
    public const int MaxGrids = 40;

    private static readonly Failure FellowOfficersRoleByAdmin = Failure.Forbidden(
        "Only an admin changes a fellow officer's role, or makes someone an officer: a token or enrolment code you could issue before would act as an officer after.",
        "其他街道工作人员的角色只能由管理员调整，任命街道工作人员也只能由管理员操作：否则您此前可生成的令牌或绑定码，调整后将以街道工作人员身份生效。");

    private static readonly Failure AdminsOnly = Failure.Forbidden("Only an admin changes an admin's account or makes someone an admin.", "只有管理员可以调整管理员账号或任命管理员。");

    private static async Task<Outcome<StaffMember>> ApplyAsync(Session s, StaffMember actor, StaffMember x, StaffDraft d, bool creating)
    {
        var role = x.Role;
        if (d.Role is not null || creating)
        {
            if (!StaffRoles.TryParse(d.Role, out role))
                return Failure.Invalid("role-invalid", "Say the role: 'officer', 'secretary' or 'grid-worker' ('admin' only from an admin).", "请填写角色：officer（街道）、secretary（书记）或 grid-worker（网格员）；admin（管理员）仅由管理员任命。");
            if (!actor.CanGrant(role)) return AdminsOnly;
            // Lowered, a fellow officer's token and code would be any officer's to issue, and raised again they would be an
            // officer's credentials in that officer's hands: the role of someone whose credentials one may not issue
            // (StaffMember.CanIssueCredentialsFor) is an admin's to change.
            // Nor is a raise to a role whose credentials the actor may not issue (an officer making a secretary an officer):
            // whatever they issued her before would be a fellow officer's credential in their hands.
            if (!creating && role != x.Role && (!actor.CanIssueCredentialsFor(x) || !actor.CanIssueCredentialsFor(x with { Role = role })))
                return FellowOfficersRoleByAdmin;
            // Nor does an officer make a new officer: whether new or raised, an officer's credentials are an admin's to issue.
            if (creating && role == StaffRole.Officer && actor.Role != StaffRole.Admin) return FellowOfficersRoleByAdmin;
        }
        var community = d.Community is null ? x.CommunityId : d.Community.Trim().Length == 0 ? null : d.Community.Trim();
        // Officers and admins answer for a whole street or more, never for one community.
        if (role is StaffRole.Officer or StaffRole.Admin) community = null;
        // A community deactivated since the member was placed in it stays theirs (so they can still be changed, and taken
        // off duty); nobody is newly placed in one.
        else if (creating || community != x.CommunityId || x.Role is StaffRole.Officer or StaffRole.Admin)
        {
            var c = await ActiveCommunityAsync(s, x.StreetId, community);
            if (!c.Succeeded) return c.Failure!;
        }
        var name = x.Name;
        if (d.Name is not null || creating)
        {
            var n = RosterText.Name(d.Name);
            if (!n.Succeeded) return n.Failure!;
            name = n.Value!;
        }
        var phone = x.Phone;
        if (d.Phone is not null)
        {
            var p = RosterText.Phone(d.Phone);
            if (!p.Succeeded) return p.Failure!;
            phone = p.Value;
        }
        var grids = x.GridIds;
        if (d.Grids is not null)
        {
            if (role != StaffRole.GridWorker && d.Grids.Count > 0)
                return Failure.Invalid("grids-for-grid-workers", "Only grid workers are given grids.", "只有网格员需要指定网格。");
            var chosen = new List<string>();
            foreach (var text in d.Grids)
            {
                // A null or blank entry is a mistake in the list, not a grid that does not exist.
                if (string.IsNullOrWhiteSpace(text))
                    return Failure.Invalid("grid-id-required", "Each entry of grids must be a grid's id or name; an entry is null or empty.",
                        "网格列表的每一项都必须是网格编号或名称，其中有空项。");
                var id = text.Trim();
                var found = await GridAsync(s, x.StreetId, id, community, g => community == x.CommunityId && x.GridIds.Contains(g.Id));
                if (found.Failure is { } ambiguous) return ambiguous;
                if (found.Value is not { } grid)
                    return Failure.Invalid("grid-unknown", $"There is no active grid '{RosterText.Clip(id)}' (by id or name) in the grid worker's community.", $"该网格员所在社区没有网格「{RosterText.Clip(id)}」（按编号或名称）。");
                if (!chosen.Contains(grid.Id)) chosen.Add(grid.Id);
                // Their ids are kept in one column (staff.grid_ids, NVARCHAR(2000) on SQL Server): 40 of the longest fit.
                if (chosen.Count > MaxGrids)
                    return Failure.Invalid("too-many-grids", $"A grid worker is given at most {MaxGrids} grids; give none for the whole community.",
                        $"每名网格员最多指定{MaxGrids}个网格；负责全社区的不必指定网格。");
            }
            grids = chosen;
        }
        // Grids belong to one community and only grid workers report by grid: grids kept across a move would scope
        // the worker to places outside their community.
        else if (role != StaffRole.GridWorker || community != x.CommunityId) grids = [];
        return x with { Role = role, CommunityId = community, Name = name, Phone = phone, Active = d.Active ?? x.Active, GridIds = grids };
    }
}
