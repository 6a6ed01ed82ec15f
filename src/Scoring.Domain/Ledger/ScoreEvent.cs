namespace Scoring.Domain.Ledger;

/// <summary>
/// One line of the append-only ledger. It keeps the rule version and delta it was scored with,
/// so a later rule change never rewrites history.
/// </summary>
public sealed record ScoreEvent
{
    public required string Id { get; init; }
    public required string StreetId { get; init; }
    public required string CommunityId { get; init; }
    public required string SubjectId { get; init; }
    public required string RuleCode { get; init; }
    public required int RuleVersion { get; init; }
    public required int Delta { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset ReportedAt { get; init; }
    public required string ReporterId { get; init; }
    public required ReporterRole ReporterRole { get; init; }
    /// <summary>The chat activity or API request that caused it; unique, so a retry cannot score twice.</summary>
    public required string Source { get; init; }
    public string Evidence { get; init; } = "";
    public EventStatus Status { get; init; } = EventStatus.Pending;
    public DateTimeOffset? EscalatedAt { get; init; }
    /// <summary>
    /// What a report of a rule scored once per target is about — the subject's shop (or tenant) its evidence named when
    /// it was reported — so the same shop renamed, or given to another head, is still the one scored. Null otherwise, and
    /// on events recorded before it was kept (compared by their evidence).
    /// </summary>
    public string? TargetId { get; init; }

    public bool CountsTowardBalance => Status == EventStatus.Approved;
}
