using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// A community a staff read is narrowed to (<c>?community=</c> on the preview, the roster's people and grids): one the
/// street does not have is not found, as the community's own routes answer, rather than read as a community with nobody
/// in it — a stale or mistyped id would otherwise show "no one" and a list that does not exist.
/// </summary>
internal static class CommunityFilter
{
    /// <summary>
    /// Null when the street has the community; else community-not-found (field <c>community</c>). Ids are compared as
    /// ids are everywhere, case and all (SQL Server's collation would match FANGTANG to fangtang), and a street's id
    /// differing only in case is named, so the caller sees why.
    /// </summary>
    public static async Task<Failure?> MissingInAsync(Session s, string street, string community)
    {
        if (await s.GetCommunityAsync(community) is { } found && found.StreetId == street && found.Id == community) return null;
        var meant = (await s.ListCommunitiesAsync(street)).FirstOrDefault(c => string.Equals(c.Id, community, StringComparison.OrdinalIgnoreCase))?.Id;
        var (en, zh) = meant is null
            ? ($"No community '{community}' in street '{street}'.", $"街道「{street}」没有社区「{community}」。")
            : ($"No community '{community}' in street '{street}'; ids are case-sensitive: did you mean '{meant}'?",
                $"街道「{street}」没有社区「{community}」；编号区分大小写，您要找的是否是「{meant}」？");
        return Failure.NotFound("community-not-found", en, zh) with { Field = "community" };
    }
}
