using Scoring.Domain;
using Scoring.Domain.Ledger;

namespace Scoring.Service.Features;

/// <summary>
/// A score event as the API shows it, the same wherever it is answered; what one route adds (the balance after a
/// report, an event's audited transitions) comes in a view derived from this one, so the JSON stays flat.
/// </summary>
public record ScoreEventView(string Id, string Street, string Community, string SubjectId, string SubjectName, string Kind, string Rule,
    string RuleNameZh, string RuleNameEn, int RuleVersion, int Delta, string Status, DateTimeOffset OccurredAt, DateTimeOffset ReportedAt,
    string Reporter, string ReporterRole, string Source, string Evidence, DateTimeOffset? EscalatedAt)
{
    // Instants are written in UTC: an event just reported carries the offset it was made with, one read back from
    // the ledger is UTC, and the same event must read the same wherever it is answered.
    public static ScoreEventView Of(ScoreEvent e, Subject subject, string ruleNameZh, string ruleNameEn) =>
        new(e.Id, e.StreetId, e.CommunityId, e.SubjectId, subject.Name, subject.Kind.ToWire(), e.RuleCode, ruleNameZh, ruleNameEn, e.RuleVersion,
            e.Delta, e.Status.ToWire(), e.OccurredAt.ToUniversalTime(), e.ReportedAt.ToUniversalTime(), e.ReporterId, e.ReporterRole.ToWire(), e.Source, e.Evidence,
            e.EscalatedAt?.ToUniversalTime());
}
