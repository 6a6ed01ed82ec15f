using Scoring.Domain;

namespace Scoring.Application;

/// <summary>Who is acting: a subject reporting for themself, a staff member, or the system itself.</summary>
public sealed record Actor
{
    public required string Id { get; init; }
    public Subject? Subject { get; init; }
    public StaffMember? Staff { get; init; }

    public static Actor Of(Subject s) => new() { Id = s.Id, Subject = s };
    public static Actor Of(StaffMember s) => new() { Id = s.Id, Staff = s };
    public static Actor System { get; } = new() { Id = "system" };

    public bool IsSystem => Subject is null && Staff is null;

    public ReporterRole ReporterRole => Staff?.ReporterRole ?? (Subject is not null ? ReporterRole.Self : ReporterRole.System);
}
