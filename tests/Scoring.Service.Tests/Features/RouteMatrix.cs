using System.Net.Http.Json;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// Who calls: nobody, or a demo staff member in or out of the scope of the resources the matrix uses (方塘村, 后宅街道),
/// or the officer of another street on the same service (江东街道, <see cref="ServiceWorld.AnotherStreetAsync"/>).
/// </summary>
public enum Role { None, GridWorker, OtherSecretary, Secretary, Officer, OtherStreetOfficer }

/// <summary>
/// What a role must get: 401, 403, any 2xx, or not checked here (with a reason). <see cref="OutOfStreet"/>: 403, or 404
/// where the route finds what it acts on by an id another street's staff are not told of.
/// </summary>
public enum Expect { Unauthorized, Forbidden, Success, NotHere, OutOfStreet }

/// <summary>One route of the service and what every role must get from it.</summary>
/// <param name="Request">Builds one request for a role; it may first set up what the role acts on (a fresh pending event…).</param>
public sealed record RouteCase(string Method, string Pattern, Func<ServiceWorld, Role, Task<HttpRequestMessage>> Request, IReadOnlyDictionary<Role, Expect> Expected, string? Why = null)
{
    public string Key => $"{Method} {Pattern}";
}

/// <summary>
/// A feature's contribution to the route matrix. Every route the service maps must be covered by some implementation
/// in this test assembly (found by reflection), so a new route cannot be forgotten.
/// </summary>
public interface IRouteExpectations
{
    IEnumerable<RouteCase> Cases { get; }
}

public static class RouteMatrix
{
    public static readonly Role[] Roles = [Role.None, Role.GridWorker, Role.OtherSecretary, Role.Secretary, Role.Officer, Role.OtherStreetOfficer];

    public static string? StaffIdOf(Role role) => role switch
    {
        Role.GridWorker => "gridworker-1",
        Role.OtherSecretary => "secretary-changchun",
        Role.Secretary => "secretary-fangtang",
        Role.Officer => "officer-1",
        Role.OtherStreetOfficer => ServiceWorld.OtherStreetOfficerId,
        _ => null,
    };

    public static IReadOnlyList<RouteCase> All { get; } = typeof(RouteMatrix).Assembly.GetTypes()
        .Where(t => typeof(IRouteExpectations).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .SelectMany(t => ((IRouteExpectations)Activator.CreateInstance(t)!).Cases)
        .ToList();

    /// <summary>Everyone may: a public route.</summary>
    public static IReadOnlyDictionary<Role, Expect> Public() => Roles.ToDictionary(r => r, _ => Expect.Success);

    /// <summary>A staff route: nobody gets 401; each role as given; another street's officer is refused unless said.</summary>
    public static IReadOnlyDictionary<Role, Expect> Staff(Expect officer, Expect secretary, Expect otherSecretary, Expect gridWorker, Expect otherStreetOfficer = Expect.OutOfStreet) => new Dictionary<Role, Expect>
    {
        [Role.None] = Expect.Unauthorized, [Role.Officer] = officer, [Role.Secretary] = secretary,
        [Role.OtherSecretary] = otherSecretary, [Role.GridWorker] = gridWorker, [Role.OtherStreetOfficer] = otherStreetOfficer,
    };

    public static IReadOnlyDictionary<Role, Expect> NotHere() => Roles.ToDictionary(r => r, _ => Expect.NotHere);

    public static Func<ServiceWorld, Role, Task<HttpRequestMessage>> Get(string url) => (_, _) => Task.FromResult(new HttpRequestMessage(HttpMethod.Get, url));

    /// <summary>With an Idempotency-Key of its own, as a route that takes no request without one needs.</summary>
    public static HttpRequestMessage Keyed(HttpRequestMessage request)
    {
        request.Headers.Add(Scoring.Service.Features.Idempotency.Header, Guid.NewGuid().ToString());
        return request;
    }

    public static HttpRequestMessage Send(HttpMethod method, string url, object? body = null) =>
        new(method, url) { Content = body is null ? null : JsonContent.Create(body) };
}
