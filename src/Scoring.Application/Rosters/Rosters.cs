using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Who is on a street's roster: landlords with their tenants, shop heads with their shops. This part is what
/// the people themselves do in chat — a landlord registers a new tenant (登记), a shop head lists, adds,
/// renames and closes shops. Each use case has a <see cref="Session"/> overload for a caller's unit of work.
/// </summary>
public sealed partial class Rosters(Database db, TimeProvider time)
{
    private DateTimeOffset Now => time.GetUtcNow();

    private static readonly Failure NotALandlord = Failure.Forbidden("Only a landlord registers tenants.", "只有房东可以登记租客。");
    private static readonly Failure NotAShopHead = Failure.Forbidden("Only a shop head keeps a list of shops.", "只有铺长可以管理店铺。");

    public Task<Outcome<Tenant>> RegisterTenantAsync(Actor landlord, string name, string? room, string? phone, CancellationToken ct = default) =>
        db.WriteAsync(s => RegisterTenantAsync(s, landlord, name, room, phone), ct);

    /// <summary>
    /// A landlord registers a tenant: name 1–50 characters, no other active tenant of theirs with that name
    /// (the name is how they will report the tenant's return), an optional room and phone.
    /// </summary>
    public async Task<Outcome<Tenant>> RegisterTenantAsync(Session s, Actor landlord, string name, string? room, string? phone)
    {
        var subject = await CurrentSubjectAsync(s, landlord, SubjectKind.Landlord);
        if (!subject.Succeeded) return subject.Failure!;
        var added = await AddTenantInAsync(s, subject.Value!, name, room, phone, origin: null, Now);
        if (added.Succeeded) await RecordHoldingAsync(s, subject.Value!, subject.Value!.Id, StaffActions.TenantAdded, StaffActions.Targets.Tenant, added.Value!.Id);
        return added;
    }

    public Task<Outcome<IReadOnlyList<Shop>>> ListShopsAsync(Actor shopHead, CancellationToken ct = default) =>
        db.ReadAsync(s => ListShopsAsync(s, shopHead), ct);

    /// <summary>A shop head's active shops, by name.</summary>
    public async Task<Outcome<IReadOnlyList<Shop>>> ListShopsAsync(Session s, Actor shopHead)
    {
        var subject = await CurrentSubjectAsync(s, shopHead, SubjectKind.ShopHead, change: false);
        if (!subject.Succeeded) return subject.Failure!;
        return (await s.ListShopsAsync(subject.Value!.Id)).Where(x => x.Active).ToList();
    }

    public Task<Outcome<Shop>> AddShopAsync(Actor shopHead, string name, CancellationToken ct = default) =>
        db.WriteAsync(s => AddShopAsync(s, shopHead, name), ct);

    /// <summary>A shop head takes charge of another shop, up to the street's limit (ten by default).</summary>
    public async Task<Outcome<Shop>> AddShopAsync(Session s, Actor shopHead, string name)
    {
        if (shopHead.Subject is { } known) await HoldStreetOfAsync(s, known.Id);
        var subject = await CurrentSubjectAsync(s, shopHead, SubjectKind.ShopHead);
        if (!subject.Succeeded) return subject.Failure!;
        var added = await AddShopInAsync(s, subject.Value!, name);
        if (added.Succeeded) await RecordHoldingAsync(s, subject.Value!, subject.Value!.Id, StaffActions.ShopAdded, StaffActions.Targets.Shop, added.Value!.Id);
        return added;
    }

    public Task<Outcome<Shop>> RenameShopAsync(Actor shopHead, string shop, string newName, CancellationToken ct = default) =>
        db.WriteAsync(s => RenameShopAsync(s, shopHead, shop, newName), ct);

    /// <summary>Renames one of the shop head's active shops, found by its id or its current name.</summary>
    public async Task<Outcome<Shop>> RenameShopAsync(Session s, Actor shopHead, string shop, string newName)
    {
        var subject = await CurrentSubjectAsync(s, shopHead, SubjectKind.ShopHead);
        if (!subject.Succeeded) return subject.Failure!;
        var found = await FindOwnShopAsync(s, subject.Value!, shop);
        if (!found.Succeeded) return found.Failure!;
        var renamed = await UpdateShopInAsync(s, found.Value!, newName);
        if (renamed.Succeeded && renamed.Value!.Name != found.Value!.Name)
            await RecordHoldingAsync(s, subject.Value!, subject.Value!.Id, StaffActions.ShopChanged, StaffActions.Targets.Shop, found.Value!.Id, "name");
        return renamed;
    }

    public Task<Outcome<Shop>> CloseShopAsync(Actor shopHead, string shop, CancellationToken ct = default) =>
        db.WriteAsync(s => CloseShopAsync(s, shopHead, shop), ct);

    /// <summary>A shop leaves the shop head's charge. It is deactivated, not deleted: its history stays.</summary>
    public async Task<Outcome<Shop>> CloseShopAsync(Session s, Actor shopHead, string shop)
    {
        var subject = await CurrentSubjectAsync(s, shopHead, SubjectKind.ShopHead);
        if (!subject.Succeeded) return subject.Failure!;
        var found = await FindOwnShopAsync(s, subject.Value!, shop);
        if (!found.Succeeded) return found.Failure!;
        var closed = found.Value! with { Active = false };
        await s.UpdateShopAsync(closed);
        await RecordHoldingAsync(s, subject.Value!, subject.Value!.Id, StaffActions.ShopClosed, StaffActions.Targets.Shop, closed.Id);
        return closed;
    }

    /// <summary>
    /// A tenant or shop added, changed or closed, on the street's record (whom a landlord may report on, which shop a
    /// head answers for): the detail names whose it is and, for a change, the fields changed — never a phone or ID number.
    /// </summary>
    private Task RecordHoldingAsync(Session s, Subject owner, string actorId, string action, string kind, string id, string? fields = null) =>
        StaffActions.RecordAsync(s, Now, owner.StreetId, actorId, action, kind, id, fields is null ? owner.Id : $"{owner.Id}; {fields}");

    /// <summary>
    /// The acting subject as stored now (the actor may be stale): active and of the expected kind; held until the change
    /// commits when their tenants or shops are about to change (see <see cref="PeopleStore.GetSubjectForChangeAsync"/>).
    /// </summary>
    private static async Task<Outcome<Subject>> CurrentSubjectAsync(Session s, Actor actor, SubjectKind kind, bool change = true)
    {
        if (actor.Subject is null) return kind == SubjectKind.Landlord ? NotALandlord : NotAShopHead;
        var subject = change ? await s.GetSubjectForChangeAsync(actor.Subject.Id) : await s.GetSubjectAsync(actor.Subject.Id);
        if (subject is not { Active: true })
            return Failure.NotFound("person-inactive", "This person is no longer active.", "该人员已停用。");
        if (subject.Kind != kind) return kind == SubjectKind.Landlord ? NotALandlord : NotAShopHead;
        return subject;
    }

    private static async Task<Outcome<Shop>> FindOwnShopAsync(Session s, Subject head, string shop)
    {
        var key = (shop ?? "").Trim();
        var active = (await s.ListShopsAsync(head.Id)).Where(x => x.Active).ToList();
        var match = active.FirstOrDefault(x => x.Id == key) ?? active.FirstOrDefault(x => x.Name == key);
        return match is null
            ? Failure.NotFound("shop-not-found", $"You have no shop called '{key}'.", $"您名下没有店铺「{key}」。")
            : match;
    }

    /// <summary>Adds a tenant to a landlord (already checked to be in the actor's scope), listed from <paramref name="now"/>.</summary>
    internal static async Task<Outcome<Tenant>> AddTenantInAsync(Session s, Subject landlord, string? name, string? room, string? phone, string? origin, DateTimeOffset now, DateTimeOffset? expectedReturn = null)
    {
        if (landlord.Kind != SubjectKind.Landlord)
            return Failure.Invalid("not-a-landlord", "Tenants belong to landlords; shop heads have shops.", "租客只能登记在房东名下，铺长请登记店铺。");
        var tenant = await ValidTenantAsync(s, landlord, null, name, room, phone, origin);
        if (!tenant.Succeeded) return tenant;
        var added = tenant.Value! with { ExpectedReturn = expectedReturn, ListedAt = now };
        await s.InsertTenantAsync(added);
        return added;
    }

    /// <summary>A tenant as it would be stored, or why not. <paramref name="existing"/> is null for a new tenant.</summary>
    internal static async Task<Outcome<Tenant>> ValidTenantAsync(Session s, Subject landlord, Tenant? existing, string? name, string? room, string? phone, string? origin)
    {
        var n = RosterText.Name(name, "tenant's name", "租客姓名");
        if (!n.Succeeded) return n.Failure!;
        var r = RosterText.Room(room);
        if (!r.Succeeded) return r.Failure!;
        var p = RosterText.Phone(phone);
        if (!p.Succeeded) return p.Failure!;
        var o = RosterText.Room(origin, "origin", "place of origin", "籍贯");
        if (!o.Succeeded) return o.Failure!;
        var others = (await s.ListTenantsAsync(landlord.Id)).Where(t => t.Active && t.Id != existing?.Id);
        if (others.Any(t => t.Name == n.Value))
            return Failure.Conflict("tenant-exists", $"{landlord.Name} already has a tenant called {n.Value}.", $"{landlord.Name}名下已有租客「{n.Value}」。");
        return existing is null
            ? new Tenant { Id = Ids.New(12), SubjectId = landlord.Id, Name = n.Value!, Room = r.Value, Phone = p.Value, Origin = o.Value }
            : existing with { Name = n.Value!, Room = r.Value, Phone = p.Value, Origin = o.Value };
    }

    /// <summary>Adds a shop to a shop head (already checked to be in the actor's scope), within the street's limit.</summary>
    internal static async Task<Outcome<Shop>> AddShopInAsync(Session s, Subject head, string? name)
    {
        if (head.Kind != SubjectKind.ShopHead)
            return Failure.Invalid("not-a-shop-head", "Shops belong to shop heads; landlords have tenants.", "店铺只能登记在铺长名下，房东请登记租客。");
        var n = RosterText.Name(name, "shop's name", "店铺名称");
        if (!n.Succeeded) return n.Failure!;
        var active = (await s.ListShopsAsync(head.Id)).Where(x => x.Active).ToList();
        if (active.Any(x => x.Name == n.Value))
            return Failure.Conflict("shop-exists", $"{head.Name} already has a shop called {n.Value}.", $"{head.Name}名下已有店铺「{n.Value}」。");
        var limit = await ShopLimitAsync(s, head.StreetId);
        if (active.Count >= limit)
            return ShopLimitReached(head, limit);
        var shop = new Shop { Id = Ids.New(12), SubjectId = head.Id, Name = n.Value! };
        await s.InsertShopAsync(shop);
        return shop;
    }

    /// <summary>
    /// The street's shop limit as stored now, not this instance's cached street: a limit an officer lowered a moment ago
    /// on another instance holds at once. Read, not held: the shop's head is held already, and holding the street after
    /// them would deadlock on SQL Server with a roster import (street, then people); a limit changed in the very same
    /// moment as a shop is added may miss that one shop.
    /// </summary>
    // Read held (UPDLOCK on SQL Server): a PATCH lowering the limit holds the street while it counts the shops.
    internal static async Task<int> ShopLimitAsync(Session s, string streetId) =>
        (await s.GetStreetForChangeAsync(streetId))?.Settings.ShopLimit ?? new StreetSettings().ShopLimit;

    internal static Failure ShopLimitReached(Subject head, int limit) =>
        Failure.Conflict("shop-limit", $"{head.Name} already answers for {limit} shops, the street's limit.", $"{head.Name}已负责{limit}家店铺，达到街道上限。");

    internal static async Task<Outcome<Shop>> UpdateShopInAsync(Session s, Shop shop, string? newName)
    {
        var n = RosterText.Name(newName, "shop's name", "店铺名称");
        if (!n.Succeeded) return n.Failure!;
        var others = (await s.ListShopsAsync(shop.SubjectId)).Where(x => x.Active && x.Id != shop.Id);
        if (others.Any(x => x.Name == n.Value))
            return Failure.Conflict("shop-exists", $"There is already a shop called {n.Value}.", $"已有店铺「{n.Value}」。");
        var renamed = shop with { Name = n.Value! };
        await s.UpdateShopAsync(renamed);
        return renamed;
    }
}
