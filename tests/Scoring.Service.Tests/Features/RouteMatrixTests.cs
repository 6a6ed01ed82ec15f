using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Scoring.Service.Tests.Features;

public class RouteMatrixTests
{
    public static TheoryData<string> Routes()
    {
        var data = new TheoryData<string>();
        foreach (var c in RouteMatrix.All.Where(c => c.Expected.Values.Any(e => e != Expect.NotHere))) data.Add(c.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_role_gets_401_403_or_success_as_its_scope_allows(string route)
    {
        var routeCase = RouteMatrix.All.Single(c => c.Key == route);
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        var failures = new List<string>();
        foreach (var role in RouteMatrix.Roles)
        {
            var expected = routeCase.Expected[role];
            using var request = await routeCase.Request(world, role);
            using var client = world.Client(RouteMatrix.StaffIdOf(role));
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            bool ok = expected switch
            {
                Expect.Unauthorized => response.StatusCode == HttpStatusCode.Unauthorized,
                Expect.Forbidden => response.StatusCode == HttpStatusCode.Forbidden,
                Expect.Success => status is >= 200 and < 300,
                Expect.OutOfStreet => response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound,
                _ => true,
            };
            if (!ok) failures.Add($"{role}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, $"{route}\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_mapped_route_has_expectations_in_the_matrix()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var mapped = MappedRoutes(world);
        var covered = RouteMatrix.All.Select(c => c.Key).ToHashSet();
        var missing = mapped.Where(r => !covered.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "Routes without expectations (add them to an IRouteExpectations in this test project):\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task Every_expectation_of_the_api_names_a_mapped_route()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var mapped = MappedRoutes(world).ToHashSet();
        var stale = new ApiRouteExpectations().Cases.Select(c => c.Key).Where(k => !mapped.Contains(k) && k != "POST /api/messages").ToList();
        Assert.True(stale.Count == 0, "Expectations for routes the service does not map:\n" + string.Join("\n", stale));
    }

    [Fact]
    public async Task Every_GET_route_answers_HEAD_with_the_status_and_headers_of_GET_and_no_body()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var failures = new List<string>();
        foreach (var routeCase in RouteMatrix.All.Where(c => c.Method == "GET" && c.Expected.Values.Contains(Expect.Success)))
        {
            var role = RouteMatrix.Roles.First(r => routeCase.Expected[r] == Expect.Success); // nobody, for a public route
            using var client = world.Client(RouteMatrix.StaffIdOf(role));
            using var get = await client.SendAsync(await routeCase.Request(world, role));
            using var headRequest = await routeCase.Request(world, role);
            headRequest.Method = HttpMethod.Head;
            using var head = await client.SendAsync(headRequest);
            var body = await head.Content.ReadAsByteArrayAsync();
            if (head.StatusCode != get.StatusCode || !Equals(head.Content.Headers.ContentType, get.Content.Headers.ContentType)
                || !Equals(head.Content.Headers.ContentDisposition, get.Content.Headers.ContentDisposition) || body.Length != 0)
                failures.Add($"{routeCase.Key}: GET {(int)get.StatusCode} {get.Content.Headers.ContentType}, HEAD {(int)head.StatusCode} {head.Content.Headers.ContentType} with {body.Length} bytes");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task A_GET_route_lists_HEAD_among_the_methods_it_takes_when_refusing_another()
    {
        await using var world = await ServiceWorld.CreateAsync();

        using var response = await world.Client().SendAsync(new HttpRequestMessage(HttpMethod.Options, "/healthz"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow);
    }

    [Fact]
    public void No_route_is_listed_twice()
    {
        var twice = RouteMatrix.All.GroupBy(c => c.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(twice);
    }

    internal static IReadOnlyList<string> MappedRoutes(ServiceWorld world) =>
        world.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
}
