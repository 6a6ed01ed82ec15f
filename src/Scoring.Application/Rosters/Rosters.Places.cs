using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>A community or grid as a staff member asks to create or change it: null keeps what is there.</summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed record PlaceDraft(string? Id = null, string? Name = null, string? Community = null, bool? Active = null);

/// <summary>Communities and grids: the street officers' map of their street.</summary>
public sealed partial class Rosters
{
    private static Failure CommunityNotFound(string id) => Failure.NotFound("community-not-found", $"No community '{id}'.", $"找不到社区「{id}」。");
    private static Failure GridNotFound(string id) => Failure.NotFound("grid-not-found", $"No grid '{id}'.", $"找不到网格「{id}」。");
    private static readonly Failure OfficersOnly = Failure.Forbidden("Only the street's officers manage its communities, grids and staff.", "只有街道工作人员可以管理社区、网格和工作人员。");

    public async Task<Outcome<IReadOnlyList<Community>>> ListCommunitiesAsync(StaffMember actor, string street, bool includeInactive = false, CancellationToken ct = default)
    {
        if (actor.StreetId != street && actor.Role != StaffRole.Admin) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<IReadOnlyList<Community>>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            return (await s.ListCommunitiesAsync(street)).Where(c => includeInactive || c.Active).ToList();
        }, ct);
    }

    public async Task<Outcome<Community>> CreateCommunityAsync(StaffMember actor, string street, PlaceDraft draft, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(street)) return OfficersOnly;
        var id = draft.Id is null ? (Outcome<string>)Ids.New(8).ToLowerInvariant() : RosterText.Id(draft.Id, "community", "社区");
        if (!id.Succeeded) return id.Failure!;
        var name = RosterText.Name(draft.Name, "community's name", "社区名称");
        if (!name.Succeeded) return name.Failure!;
        return await db.WriteAsync<Outcome<Community>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            if (await s.GetCommunityAsync(id.Value!) is { } existing)
                return existing.StreetId == street
                    ? Failure.Conflict("community-exists", $"There is already a community '{id.Value}'.", $"社区编号「{id.Value}」已存在。")
                    : CommunityOfAnotherStreet(id.Value!);
            var community = new Community { Id = id.Value!, StreetId = street, Name = name.Value!, Active = draft.Active ?? true };
            await s.InsertCommunityAsync(community);
            return community;
        }, ct);
    }

    public Task<Outcome<Community>> UpdateCommunityAsync(StaffMember actor, string id, PlaceDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<Community>>(async s =>
        {
            var community = await s.GetCommunityForChangeAsync(id);
            if (community is null) return CommunityNotFound(id);
            if (!actor.CanRunStreet(community.StreetId)) return OfficersOnly;
            var name = community.Name;
            if (draft.Name is not null)
            {
                var n = RosterText.Name(draft.Name, "community's name", "社区名称");
                if (!n.Succeeded) return n.Failure!;
                name = n.Value!;
            }
            var active = draft.Active ?? community.Active;
            if (!active && community.Active && await s.CountActiveSubjectsAsync(id) > 0)
                return CommunityInUse(community);
            var changed = community with { Name = name, Active = active };
            await s.UpdateCommunityAsync(changed);
            return changed;
        }, ct);

    /// <summary>Takes a community off the lists. Refused while it has active landlords or shop heads: move or deactivate them first.</summary>
    public Task<Outcome<Community>> DeactivateCommunityAsync(StaffMember actor, string id, CancellationToken ct = default) =>
        UpdateCommunityAsync(actor, id, new PlaceDraft(Active: false), ct);

    /// <summary>
    /// A community id another street on this service holds: ids are the service's, so a district's two 新村 need two ids.
    /// Which street is not said (the asker may not read it).
    /// </summary>
    internal static Failure CommunityOfAnotherStreet(string id) =>
        Failure.Conflict("community-exists", $"The community id '{id}' is taken by another street on this service (ids are shared by all its streets): choose another, e.g. one starting with your street's id.",
            $"社区编号「{id}」已被本系统中的其他街道使用（各街道共用编号），请换一个编号，例如在前面加上本街道的编号。");

    private static Failure CommunityInUse(Community c) =>
        Failure.Conflict("community-in-use", $"{c.Name} still has active landlords or shop heads; move or deactivate them first.", $"{c.Name}仍有在册的房东或铺长，请先调整或停用他们。");

    public async Task<Outcome<IReadOnlyList<Grid>>> ListGridsAsync(StaffMember actor, string street, string? community, bool includeInactive = false, CancellationToken ct = default)
    {
        if (actor.StreetId != street && actor.Role != StaffRole.Admin) return Failure.Forbidden();
        return await db.ReadAsync<Outcome<IReadOnlyList<Grid>>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            if (community is not null && await CommunityFilter.MissingInAsync(s, street, community) is { } missing) return missing;
            return (await s.ListGridsAsync(street)).Where(g => (includeInactive || g.Active) && (community is null || g.CommunityId == community)).ToList();
        }, ct);
    }

    public async Task<Outcome<Grid>> CreateGridAsync(StaffMember actor, string street, PlaceDraft draft, CancellationToken ct = default)
    {
        if (!actor.CanRunStreet(street)) return OfficersOnly;
        var id = draft.Id is null ? (Outcome<string>)Ids.New(8).ToLowerInvariant() : RosterText.Id(draft.Id, "grid", "网格");
        if (!id.Succeeded) return id.Failure!;
        var name = RosterText.Name(draft.Name, "grid's name", "网格名称");
        if (!name.Succeeded) return name.Failure!;
        return await db.WriteAsync<Outcome<Grid>>(async s =>
        {
            if (await s.GetStreetAsync(street) is null) return Failure.StreetNotFound(street);
            var community = await ActiveCommunityAsync(s, street, draft.Community);
            if (!community.Succeeded) return community.Failure!;
            if (await s.GetGridAsync(id.Value!) is not null)
                return Failure.Conflict("grid-exists", $"There is already a grid '{id.Value}'.", $"网格编号「{id.Value}」已存在。");
            var grid = new Grid { Id = id.Value!, CommunityId = community.Value!.Id, Name = name.Value!, Active = draft.Active ?? true };
            await s.InsertGridAsync(grid);
            return grid;
        }, ct);
    }

    public Task<Outcome<Grid>> UpdateGridAsync(StaffMember actor, string id, PlaceDraft draft, CancellationToken ct = default) =>
        db.WriteAsync<Outcome<Grid>>(async s =>
        {
            var grid = await s.GetGridForChangeAsync(id);
            var community = grid is null ? null : await s.GetCommunityAsync(grid.CommunityId);
            if (grid is null || community is null) return GridNotFound(id);
            if (!actor.CanRunStreet(community.StreetId)) return OfficersOnly;
            if (draft.Community is not null && draft.Community != grid.CommunityId)
                return Failure.Invalid("grid-community-fixed", "A grid stays in its community; create a new grid instead.", "网格不能改属其他社区，请新建网格。");
            var name = grid.Name;
            if (draft.Name is not null)
            {
                var n = RosterText.Name(draft.Name, "grid's name", "网格名称");
                if (!n.Succeeded) return n.Failure!;
                name = n.Value!;
            }
            var changed = grid with { Name = name, Active = draft.Active ?? grid.Active };
            await s.UpdateGridAsync(changed);
            return changed;
        }, ct);

    public Task<Outcome<Grid>> DeactivateGridAsync(StaffMember actor, string id, CancellationToken ct = default) =>
        UpdateGridAsync(actor, id, new PlaceDraft(Active: false), ct);

    /// <summary>The community a draft names: it must exist in the street and be active (and stays so until the change commits).</summary>
    private static async Task<Outcome<Community>> ActiveCommunityAsync(Session s, string street, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            return Failure.Invalid("community-required", "Say which community (its id).", "请填写社区编号。");
        var community = await s.GetCommunityForChangeAsync(id.Trim());
        if (community is null || community.StreetId != street || !community.Active)
            return Failure.Invalid("community-unknown", $"There is no active community '{RosterText.Clip(id.Trim())}' in this street.", $"本街道没有社区「{RosterText.Clip(id.Trim())}」。");
        return community;
    }
}
