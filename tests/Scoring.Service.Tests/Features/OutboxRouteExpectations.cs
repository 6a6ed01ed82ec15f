using static Scoring.Service.Tests.Features.Expect;
using static Scoring.Service.Tests.Features.RouteMatrix;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// The admin routes. The outbox's dead letters are for admins only: every street role is refused (the admin's success is in
/// the reliability suite). The service's status answers an officer too, with their street's part only (AdminStatusTests).
/// </summary>
public sealed class OutboxRouteExpectations : IRouteExpectations
{
    public IEnumerable<RouteCase> Cases =>
    [
        new("GET", "/api/admin/outbox/dead-letters", Get("/api/admin/outbox/dead-letters"),
            Staff(officer: Forbidden, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden)),
        new("GET", "/api/admin/status", Get("/api/admin/status"),
            Staff(officer: Success, secretary: Forbidden, otherSecretary: Forbidden, gridWorker: Forbidden, otherStreetOfficer: Success)),
    ];
}
