using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>One person's line on an enrolment sheet: who they are and the fresh code they bind their chat account with.</summary>
public sealed record EnrolmentLine(Subject Subject, EnrolmentCode Code);

/// <summary>A community's enrolment sheet: everyone's code, issued at once for a secretary to print and hand out.</summary>
public sealed record EnrolmentSheet(Community Community, TimeZoneInfo Zone, IReadOnlyList<EnrolmentLine> Lines);

/// <summary>
/// Enrolment at scale: fresh one-time codes for every active landlord and shop head of a community (by default
/// only those whose chat account is not bound yet), issued in one transaction through <see cref="Enrolment"/>.
/// </summary>
public sealed class EnrolmentSheets(Database db, Enrolment enrolment)
{
    public async Task<Outcome<EnrolmentSheet>> IssueAsync(StaffMember actor, string communityId, SubjectKind? kind, bool includeBound, CancellationToken ct = default)
    {
        try
        {
            return await db.WriteAsync<Outcome<EnrolmentSheet>>(async s =>
            {
                var community = await s.GetCommunityAsync(communityId);
                if (community is null) return Failure.NotFound("community-not-found", $"No community '{communityId}'.", $"找不到社区「{communityId}」。");
                if (!actor.CanVerifyIn(community.StreetId, community.Id)) return Failure.Forbidden();
                var bound = includeBound ? [] : (await s.BoundSubjectIdsAsync(community.Id)).ToHashSet();
                var lines = new List<EnrolmentLine>();
                foreach (var subject in (await s.ListSubjectsAsync(community.StreetId, community.Id))
                             .Where(x => x.Active && (kind is null || x.Kind == kind) && !bound.Contains(x.Id))
                             .OrderBy(x => x.Kind).ThenBy(x => x.GridId, StringComparer.Ordinal).ThenBy(x => x.Name, StringComparer.Ordinal))
                {
                    var code = await enrolment.IssueInAsync(s, actor, "subject", subject.Id);
                    // Any refusal undoes the whole sheet: half a sheet of codes nobody sees would only litter the table.
                    if (code.Failure is { } failure) throw new RefusedException(failure);
                    lines.Add(new EnrolmentLine(subject, code.Value!));
                }
                var zone = (await s.GetStreetAsync(community.StreetId))?.Settings.TimeZone ?? TimeZoneInfo.Utc;
                return new EnrolmentSheet(community, zone, lines);
            }, ct);
        }
        catch (RefusedException refused)
        {
            return refused.Failure;
        }
        catch (System.Data.Common.DbException e) when (TransientFaults.IsUniqueViolation(e))
        {
            // Someone on the sheet was issued a code by another request meanwhile (Enrolment.IssuedMeanwhile): nothing of
            // this sheet was written, and issuing it again replaces that code too.
            return Failure.Conflict("code-issued-meanwhile",
                "Another code was issued for someone on this sheet at the same moment; nothing was issued. Issue the sheet again.",
                "刚刚有人为本表中的人员生成了绑定码，本表未生成。请重新生成。");
        }
    }
}
