namespace Scoring.Domain;

/// <summary>A street office (街道) and its own settings.</summary>
public sealed record Street
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public StreetSettings Settings { get; init; } = new();
}

/// <summary>A village or residential community (村/社区) of a street.</summary>
public sealed record Community
{
    public required string Id { get; init; }
    public required string StreetId { get; init; }
    public required string Name { get; init; }
    public bool Active { get; init; } = true;
}

/// <summary>A grid: a building, or a block of shops.</summary>
public sealed record Grid
{
    public required string Id { get; init; }
    public required string CommunityId { get; init; }
    public required string Name { get; init; }
    public bool Active { get; init; } = true;
}

/// <summary>Someone who is scored: a landlord or a shop head. Belongs to one community.</summary>
public sealed record Subject
{
    public required string Id { get; init; }
    public required string StreetId { get; init; }
    public required string CommunityId { get; init; }
    public string? GridId { get; init; }
    public required SubjectKind Kind { get; init; }
    public required string Name { get; init; }
    /// <summary>How the street finds this person (unique within it). Required of new people; older records may lack it.</summary>
    public string? Phone { get; init; }
    public bool Active { get; init; } = true;
    /// <summary>
    /// When their personal data was erased, long off the roster (<see cref="OffRoster"/>): the name is then kept masked,
    /// the phone is gone, and nobody on a roster is ever them again. Null for everyone else.
    /// </summary>
    public DateTimeOffset? ErasedAt { get; init; }
}

public sealed record Tenant
{
    public required string Id { get; init; }
    public required string SubjectId { get; init; }
    public required string Name { get; init; }
    public string? Room { get; init; }
    public string? Phone { get; init; }
    public string? Origin { get; init; }
    public DateTimeOffset? ExpectedReturn { get; init; }
    public bool Active { get; init; } = true;
    /// <summary>When the tenant was last put on the landlord's list (added, or put back); null for tenants listed before it was kept.</summary>
    public DateTimeOffset? ListedAt { get; init; }
    /// <summary>When the tenant was last taken off the list (kept when put back); null for tenants never taken off since it was kept.</summary>
    public DateTimeOffset? UnlistedAt { get; init; }

    /// <summary>
    /// When the late-return window of a return at <paramref name="arrival"/> counts from because of the listing: only an
    /// arrival while the tenant was off the list (not yet listed, or taken off and not yet put back) could not be
    /// reported before <see cref="ListedAt"/>. One on the list at the arrival keeps its own window; null then.
    /// </summary>
    public DateTimeOffset? ListedAfter(DateTimeOffset arrival) =>
        ListedAt is { } listed && arrival < listed && (UnlistedAt is not { } off || off <= arrival) ? listed : null;

    /// <summary>The tenant taken off the list at <paramref name="now"/>.</summary>
    public Tenant TakenOff(DateTimeOffset now) => this with { Active = false, UnlistedAt = Active ? now : UnlistedAt };

    /// <summary>
    /// The tenant on the list from <paramref name="now"/>: one off it is put back, listed from now (returns from before could
    /// not be reported, so their window counts from then: <see cref="ListedAfter"/>); one on it stays as listed.
    /// </summary>
    public Tenant PutBack(DateTimeOffset now) => this with { Active = true, ListedAt = Active ? ListedAt : now };
}

public sealed record Shop
{
    public required string Id { get; init; }
    public required string SubjectId { get; init; }
    public required string Name { get; init; }
    public bool Active { get; init; } = true;
}

public enum StaffRole { Officer, Secretary, GridWorker, Admin }

public static class StaffRoles
{
    public static string ToWire(this StaffRole r) => r switch
    {
        StaffRole.Officer => "officer",
        StaffRole.Secretary => "secretary",
        StaffRole.GridWorker => "grid-worker",
        _ => "admin",
    };

    public static bool TryParse(string? text, out StaffRole role)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "officer": role = StaffRole.Officer; return true;
            case "secretary": role = StaffRole.Secretary; return true;
            case "grid-worker": role = StaffRole.GridWorker; return true;
            case "admin": role = StaffRole.Admin; return true;
            default: role = default; return false;
        }
    }
}

/// <summary>
/// Street staff. Secretaries and grid workers work in one community; officers in one street; admins anywhere. A grid
/// worker given grids reads and reports on the landlords and shop heads of those grids only.
/// </summary>
public sealed record StaffMember
{
    public required string Id { get; init; }
    public required string StreetId { get; init; }
    public string? CommunityId { get; init; }
    public required StaffRole Role { get; init; }
    public required string Name { get; init; }
    public string? Phone { get; init; }
    public bool Active { get; init; } = true;
    /// <summary>A grid worker's grids (in their community); none means the whole community.</summary>
    public IReadOnlyList<string> GridIds { get; init; } = [];

    /// <summary>Whether this person may act on things of <paramref name="streetId"/>/<paramref name="communityId"/>.</summary>
    public bool CanActIn(string streetId, string? communityId) => Role switch
    {
        StaffRole.Admin => true,
        StaffRole.Officer => StreetId == streetId,
        _ => StreetId == streetId && communityId is not null && CommunityId == communityId,
    };

    /// <summary>
    /// Whether <paramref name="subject"/> is in this person's scope, to read and to report on: their street or community,
    /// and for a grid worker given grids, one of those grids.
    /// </summary>
    public bool Covers(Subject subject) =>
        CanActIn(subject.StreetId, subject.CommunityId)
        && (Role != StaffRole.GridWorker || GridIds.Count == 0 || (subject.GridId is { } grid && GridIds.Contains(grid)));

    /// <summary>Whether this person may act on a whole street (publish lists, set rules).</summary>
    public bool CanRunStreet(string streetId) => Role == StaffRole.Admin || (Role == StaffRole.Officer && StreetId == streetId);

    /// <summary>
    /// Whether this person may handle <paramref name="other"/>'s account: revoke their tokens, change their role, take
    /// them off duty. Officers handle their street's staff, admins anyone's; nobody handles an account whose role they
    /// could not grant. Issuing their credentials asks more (<see cref="CanIssueCredentialsFor"/>).
    /// </summary>
    public bool CanManageStaff(StaffMember other) => CanRunStreet(other.StreetId) && CanGrant(other.Role);

    /// <summary>
    /// Whether this person may have a credential issued for <paramref name="other"/> (a staff token, an enrolment code):
    /// whoever holds one acts as them, and the street's record names them for it. So only for someone of a lower role in
    /// this person's scope (an officer for the secretaries and grid workers of their street, a secretary for the grid
    /// workers of their community), by an admin for anyone, and by anyone for themself. An officer's fellow officer is
    /// an admin's (or the server console's) to issue for; taking their tokens away is still any officer's of the street
    /// (<see cref="CanManageStaff"/>).
    /// </summary>
    public bool CanIssueCredentialsFor(StaffMember other) =>
        Id == other.Id
        || Role == StaffRole.Admin
        || (Role == StaffRole.Officer && StreetId == other.StreetId && other.Role is StaffRole.Secretary or StaffRole.GridWorker)
        || (Role == StaffRole.Secretary && other.Role == StaffRole.GridWorker && CanActIn(other.StreetId, other.CommunityId));

    /// <summary>Whether this person may give someone <paramref name="role"/>: the admin role opens every street, so only an admin.</summary>
    public bool CanGrant(StaffRole role) => role != StaffRole.Admin || Role == StaffRole.Admin;

    /// <summary>The role this person reports under.</summary>
    public ReporterRole ReporterRole => Role == StaffRole.GridWorker ? Domain.ReporterRole.GridWorker : Domain.ReporterRole.Secretary;

    /// <summary>Whether approving and rejecting in that community is this person's job.</summary>
    public bool CanVerifyIn(string streetId, string communityId) => Role != StaffRole.GridWorker && CanActIn(streetId, communityId);
}
