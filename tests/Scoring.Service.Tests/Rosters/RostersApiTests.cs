using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Domain;

namespace Scoring.Service.Tests.Rosters;

public sealed class RostersApiTests
{
    /// <summary>Every roster route with a body that would be accepted from the right person.</summary>
    private static readonly (HttpMethod Method, string Path, object? Body)[] Routes =
    [
        (HttpMethod.Get, "/api/streets/houzhai/communities", null),
        (HttpMethod.Post, "/api/streets/houzhai/communities", new { id = "xinqiao", name = "新桥村" }),
        (HttpMethod.Put, "/api/communities/changchun", new { name = "长春" }),
        (HttpMethod.Post, "/api/communities/changchun/deactivate", null),
        (HttpMethod.Get, "/api/streets/houzhai/grids", null),
        (HttpMethod.Post, "/api/streets/houzhai/grids", new { community = "changchun", name = "2号楼" }),
        (HttpMethod.Put, "/api/grids/changchun-auto", new { name = "汽配街" }),
        (HttpMethod.Post, "/api/grids/changchun-auto/deactivate", null),
        (HttpMethod.Get, "/api/streets/houzhai/subjects?community=changchun", null),
        (HttpMethod.Post, "/api/streets/houzhai/subjects", new { kind = "landlord", community = "changchun", name = "新房东", phone = "13755550000" }),
        (HttpMethod.Put, "/api/subjects/landlord-4", new { name = "董宝华二" }),
        (HttpMethod.Post, "/api/subjects/landlord-4/deactivate", null),
        (HttpMethod.Get, "/api/subjects/landlord-4/tenants", null),
        (HttpMethod.Post, "/api/subjects/landlord-4/tenants", new { name = "新租客" }),
        (HttpMethod.Put, "/api/tenants/landlord-4-t1", new { room = "909" }),
        (HttpMethod.Post, "/api/tenants/landlord-4-t1/deactivate", null),
        (HttpMethod.Get, "/api/subjects/shophead-1/shops", null),
        (HttpMethod.Post, "/api/subjects/shophead-1/shops", new { name = "新店" }),
        (HttpMethod.Put, "/api/shops/shophead-1-s1", new { name = "汽配一号总店" }),
        (HttpMethod.Post, "/api/shops/shophead-1-s1/deactivate", null),
        (HttpMethod.Get, "/api/streets/houzhai/staff", null),
        (HttpMethod.Post, "/api/streets/houzhai/staff", new { role = "grid-worker", community = "changchun", name = "新网格员" }),
        (HttpMethod.Put, "/api/staff/gridworker-1", new { phone = "13800009999" }),
        (HttpMethod.Post, "/api/staff/gridworker-1/deactivate", null),
        (HttpMethod.Get, "/api/streets/houzhai/roster/template.xlsx", null),
        (HttpMethod.Post, "/api/streets/houzhai/roster/import?dryRun=true", "file"),
        (HttpMethod.Get, "/api/streets/houzhai/roster.xlsx", null),
        (HttpMethod.Get, "/api/streets/houzhai/roster.csv", null),
        (HttpMethod.Get, "/api/streets/houzhai/ledger/2026-W47.xlsx", null),
        (HttpMethod.Get, "/api/streets/houzhai/ledger/2026-W47.csv", null),
        (HttpMethod.Post, "/api/communities/changchun/enrolment-sheet", null),
    ];

    /// <param name="community">Whose rows the uploaded roster holds.</param>
    private static HttpRequestMessage Request((HttpMethod Method, string Path, object? Body) route, string community = "fangtang")
    {
        var request = new HttpRequestMessage(route.Method, route.Path);
        if (route.Body is "file")
            request.Content = RosterFile.Upload(RosterFile.Xlsx(RosterFile.Landlords(1, community: community)), "roster.xlsx");
        else if (route.Body is not null)
            request.Content = JsonContent.Create(route.Body);
        else if (route.Method != HttpMethod.Get)
            request.Content = JsonContent.Create(new { });
        // Creates that mint an id take none without a key (428), before anyone's scope is looked at.
        if (route.Method == HttpMethod.Post) request.Headers.Add(Scoring.Service.Features.Idempotency.Header, Guid.NewGuid().ToString());
        return request;
    }

    [Theory]
    [InlineData("/api/streets/houzhai/communities", "{\"name\":\"新桥村\"}", "SELECT COUNT(*) FROM communities")]
    [InlineData("/api/streets/houzhai/grids", "{\"community\":\"fangtang\",\"name\":\"9号楼\"}", "SELECT COUNT(*) FROM grids")]
    [InlineData("/api/streets/houzhai/staff", "{\"role\":\"grid-worker\",\"community\":\"fangtang\",\"name\":\"新网格员\"}", "SELECT COUNT(*) FROM staff")]
    public async Task A_create_that_mints_an_id_takes_no_request_without_a_key_so_that_a_retry_cannot_make_two(string url, string body, string count)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        Task<long> CountAsync() => world.Db.ReadAsync(s => Dapper.SqlMapper.ExecuteScalarAsync<long>(s.Connection, count));
        var before = await CountAsync();
        StringContent Body() => new(body, System.Text.Encoding.UTF8, "application/json");

        // Its answer lost, the client sends it again: without a key the two could not be told from two of them.
        var first = await officer.PostAsync(url, Body());
        var again = await officer.PostAsync(url, Body());
        Assert.All([first, again], r => Assert.Equal((HttpStatusCode)428, r.StatusCode));
        Assert.Equal("idempotency-key-required", (await again.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(before, await CountAsync());

        // With one, the retry is answered as the first time and makes nothing more.
        HttpRequestMessage Keyed() => new(HttpMethod.Post, url) { Content = Body(), Headers = { { Scoring.Service.Features.Idempotency.Header, "create-1" } } };
        var created = await officer.SendAsync(Keyed());
        var retried = await officer.SendAsync(Keyed());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(await created.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task A_secretary_reading_the_staff_list_is_told_it_is_the_officers_to_manage_not_that_she_tried_to_change_it()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client("secretary-changchun").GetAsync("/api/streets/houzhai/staff");
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("manage", problem.GetProperty("detail").GetString());
        Assert.Contains("管理", problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task Every_roster_route_wants_a_staff_token()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var anonymous = world.Client();
        var wrong = new List<string>();
        foreach (var route in Routes)
        {
            var response = await anonymous.SendAsync(Request(route));
            if (response.StatusCode != HttpStatusCode.Unauthorized) wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_secretary_of_another_community_is_refused_on_every_route_about_changchun_or_the_street()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var other = world.Client("secretary-fangtang");
        // What a secretary may do in the street at large: read its communities and grids, fetch the template,
        // and import (only their own community's rows: the dry run's rows are fangtang's).
        string[] allowed = ["GET /api/streets/houzhai/communities", "GET /api/streets/houzhai/grids", "GET /api/streets/houzhai/roster/template.xlsx", "POST /api/streets/houzhai/roster/import?dryRun=true",
            "GET /api/streets/houzhai/roster.xlsx", "GET /api/streets/houzhai/roster.csv", "GET /api/streets/houzhai/ledger/2026-W47.xlsx", "GET /api/streets/houzhai/ledger/2026-W47.csv"];
        var wrong = new List<string>();
        foreach (var route in Routes)
        {
            var response = await other.SendAsync(Request(route));
            var expected = allowed.Contains($"{route.Method} {route.Path}") ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            if (response.StatusCode != expected) wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}, expected {(int)expected}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_grid_worker_may_look_at_their_community_but_change_nothing()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var worker = world.Client("gridworker-1"); // of fangtang
        var wrong = new List<string>();
        foreach (var route in Routes.Where(r => r.Method != HttpMethod.Get || r.Path.Contains("roster.") || r.Path.Contains("ledger") || r.Path.Contains("staff")))
        {
            var response = await worker.SendAsync(Request(route));
            if (response.StatusCode != HttpStatusCode.Forbidden) wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}");
        }
        Assert.Empty(wrong);

        var tenants = await worker.GetAsync("/api/subjects/landlord-1/tenants");
        var changchun = await worker.GetAsync("/api/subjects/landlord-4/tenants");
        Assert.Equal(HttpStatusCode.OK, tenants.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, changchun.StatusCode);
    }

    [Fact]
    public async Task The_officer_and_the_communitys_secretary_may_use_every_route()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var secretary = world.Client("secretary-changchun");
        var wrong = new List<string>();
        foreach (var route in Routes)
        {
            bool officersOnly = route.Path.Contains("/communities") && !route.Path.Contains("enrolment-sheet") || route.Path.Contains("/grids") && route.Method != HttpMethod.Get || route.Path.Contains("staff");
            var client = officersOnly ? officer : secretary;
            var response = await client.SendAsync(Request(route, "changchun"));
            // Deactivating a community with people in it is refused for a reason, not for scope.
            var expected = route.Path == "/api/communities/changchun/deactivate" ? HttpStatusCode.Conflict
                : route.Method == HttpMethod.Post && !route.Path.Contains("deactivate") && !route.Path.Contains("import") && !route.Path.Contains("enrolment-sheet") ? HttpStatusCode.Created
                : HttpStatusCode.OK;
            if (response.StatusCode != expected) wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        }
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("GET", "/api/streets/houzhai/communities?includeInactive=maybe", "includeInactive 'maybe' must be true or false")]
    [InlineData("GET", "/api/streets/houzhai/grids?includeInactive=1", "includeInactive '1' must be true or false")]
    [InlineData("GET", "/api/streets/houzhai/grids?community=%3Cb%3E", "community '<b>' is not an id")]
    [InlineData("GET", "/api/streets/houzhai/subjects?includeInactive=yes", "includeInactive 'yes' must be true or false")]
    [InlineData("GET", "/api/subjects/landlord-4/tenants?includeInactive=on", "includeInactive 'on' must be true or false")]
    [InlineData("GET", "/api/subjects/shophead-1/shops?includeInactive=2", "includeInactive '2' must be true or false")]
    [InlineData("GET", "/api/streets/houzhai/staff?includeInactive=all", "includeInactive 'all' must be true or false")]
    [InlineData("POST", "/api/streets/houzhai/roster/import?dryRun=perhaps", "dryRun 'perhaps' must be true or false")]
    [InlineData("POST", "/api/communities/changchun/enrolment-sheet?includeBound=everyone", "includeBound 'everyone' must be true or false")]
    public async Task A_bad_query_value_on_a_roster_route_is_a_400_naming_the_parameter(string method, string path, string detail)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Officer().SendAsync(Request((new HttpMethod(method), path, path.Contains("/import") ? "file" : null), "changchun"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal("invalid-input", problem.GetProperty("code").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/streets/houzhai/subjects?community=nowhere", "No community 'nowhere' in street 'houzhai'")]
    [InlineData("/api/streets/houzhai/grids?community=nowhere", "No community 'nowhere' in street 'houzhai'")]
    [InlineData("/api/streets/houzhai/subjects?community=xincun", "No community 'xincun' in street 'houzhai'")]
    [InlineData("/api/streets/houzhai/grids?community=Fangtang", "did you mean 'fangtang'?")]
    [InlineData("/api/streets/houzhai/subjects?community=FANGTANG&kind=landlord", "did you mean 'fangtang'?")]
    public async Task A_community_filter_the_street_does_not_have_is_not_found_as_the_community_s_own_routes_answer(string url, string says)
    {
        // It was 200 with no items, as a community with nobody in it.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();

        var response = await world.Officer().GetAsync(url);
        var problem = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("community-not-found", problem.GetProperty("code").GetString());
        Assert.Contains(says, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_bad_query_value_is_found_along_with_a_bad_id_in_one_answer()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Officer().GetAsync("/api/streets/hou%20zhai/subjects?kind=tenant&includeInactive=maybe");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("street 'hou zhai'", detail);
        Assert.Contains("kind 'tenant'", detail);
        Assert.Contains("includeInactive 'maybe'", detail);
    }

    [Fact]
    public async Task Every_roster_write_without_a_body_is_a_400_saying_what_to_send()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var wrong = new List<string>();
        foreach (var route in Routes.Where(r => r.Body is not null and not "file"))
        {
            var request = Request(route);
            request.Content = new StringContent("", System.Text.Encoding.UTF8, "application/json");
            var response = await officer.SendAsync(request);
            var problem = await response.JsonAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || problem.GetProperty("code").GetString() != "invalid-input" || problem.GetProperty("detail").GetString() is not { } detail
                || !detail.StartsWith("The body ({", StringComparison.Ordinal) || !detail.EndsWith("}) is required.", StringComparison.Ordinal))
                wrong.Add($"{route.Method} {route.Path}: {(int)response.StatusCode} {problem}");
        }
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_bad_id_and_a_missing_body_are_named_in_one_answer()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Officer().PutAsync("/api/subjects/land%20lord", new StringContent("", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("id 'land lord' is not an id", detail);
        Assert.Contains("The body ({community?, name?, phone?, grid?, idCard?, active?}) is required.", detail);
    }

    [Fact]
    public async Task A_landlord_s_phone_may_be_a_shop_head_s_too_under_the_same_name_only()
    {
        // 应天乐 lets rooms in 方塘村 and heads shops in 长春社区: one person, a record of each type.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var same = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "shop-head", community = "changchun", name = "应天乐", phone = "13900000001" });
        var other = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "shop-head", community = "changchun", name = "别人", phone = "13900000002" });

        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("phone-taken", (await other.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Renaming_one_of_a_person_s_two_records_alone_is_a_conflict_as_creating_it_so_would_be()
    {
        // Two records under one phone carry one name: a name-only change skipped the check the create and a phone change make.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var shop = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "shop-head", community = "changchun", name = "应天乐", phone = "13900000001" });
        Assert.Equal(HttpStatusCode.Created, shop.StatusCode);

        var renamed = await officer.PutAsJsonAsync("/api/subjects/landlord-1", new { name = "别人" });

        Assert.Equal(HttpStatusCode.Conflict, renamed.StatusCode);
        Assert.Equal("phone-taken", (await renamed.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("应天乐", (await (await officer.GetAsync("/api/subjects/landlord-1")).JsonAsync()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_phone_number_already_on_the_street_is_a_conflict()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Officer().PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "landlord", community = "changchun", name = "重名", phone = "139-0000-0001" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("phone-taken", problem.GetProperty("code").GetString());
        Assert.Contains("应天乐", problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_phone_conflict_names_the_holder_only_to_whoever_may_read_them()
    {
        await using var world = await ServiceWorld.CreateAsync();
        // 13900000001 is 应天乐 (landlord-1) of fangtang, whom changchun's secretary may not read.
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Client("secretary-changchun").GetAsync("/api/subjects/landlord-1")).StatusCode);

        var outsider = await world.Client("secretary-changchun").PostAsJsonAsync("/api/streets/houzhai/subjects",
            new { kind = "landlord", community = "changchun", name = "试探", phone = "13900000001" });
        var own = await world.Client("secretary-fangtang").PostAsJsonAsync("/api/streets/houzhai/subjects",
            new { kind = "landlord", community = "fangtang", name = "重名", phone = "13900000001" });

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (outsider.StatusCode, own.StatusCode));
        var hidden = await outsider.Content.ReadAsStringAsync();
        Assert.Equal("phone-taken", (await outsider.JsonAsync()).GetProperty("code").GetString());
        Assert.DoesNotContain("应天乐", hidden);
        Assert.DoesNotContain("landlord-1", hidden);
        Assert.Contains("应天乐", await own.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("landlord", "nowhere", "张三", "13755550001", 400, "community-unknown")]
    [InlineData("landlord", "changchun", "", "13755550001", 400, "name-empty")]
    [InlineData("landlord", "changchun", "   ", "13755550001", 400, "name-empty")]
    [InlineData("landlord", "changchun", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一", "13755550001", 400, "name-too-long")]
    [InlineData("landlord", "changchun", "\u200b", "13755550001", 400, "name-control")] // a zero-width space: a name nobody sees on the list
    [InlineData("landlord", "changchun", "\u202e丰三张", "13755550001", 400, "name-control")] // a right-to-left override: shown reversed
    [InlineData("landlord", "changchun", "张\ufeff三", "13755550001", 400, "name-control")]
    [InlineData("landlord", "changchun", "张\u0000三", "13755550001", 400, "name-control")]
    [InlineData("landlord", "changchun", "阿卜杜·热合曼", "13755550001", 201, null)]
    [InlineData("landlord", "changchun", "\u3164", "13755550001", 400, "name-control")] // a Hangul filler: a letter to Unicode, blank on the list
    [InlineData("landlord", "changchun", "\u2800", "13755550001", 400, "name-control")] // a blank Braille pattern
    [InlineData("landlord", "changchun", "علی\u200cاکبر", "13755550001", 201, null)]   // Persian: a non-joiner inside the name
    [InlineData("landlord", "changchun", "张三", "12", 400, "phone-invalid")]
    [InlineData("tenant", "changchun", "张三", "13755550001", 400, "kind-invalid")]
    [InlineData("shop-head", "changchun", "张三", "13755550001", 201, null)]
    public async Task A_new_landlord_or_shop_head_is_checked_before_it_is_written(string kind, string community, string name, string phone, int status, string? code)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Officer().PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind, community, name, phone });

        Assert.Equal(status, (int)response.StatusCode);
        if (code is not null) Assert.Equal(code, (await response.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Every_name_the_roster_routes_take_refuses_one_that_shows_blank()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        const string blank = "\u3164\u3164";
        (HttpMethod Method, string Path, object Body)[] named =
        [
            (HttpMethod.Post, "/api/streets/houzhai/communities", new { id = "xinqiao", name = blank }),
            (HttpMethod.Put, "/api/communities/changchun", new { name = blank }),
            (HttpMethod.Post, "/api/streets/houzhai/grids", new { community = "changchun", name = blank }),
            (HttpMethod.Put, "/api/grids/changchun-auto", new { name = blank }),
            (HttpMethod.Put, "/api/subjects/landlord-4", new { name = blank }),
            (HttpMethod.Post, "/api/subjects/landlord-4/tenants", new { name = blank }),
            (HttpMethod.Put, "/api/tenants/landlord-4-t1", new { name = blank }),
            (HttpMethod.Post, "/api/subjects/shophead-1/shops", new { name = blank }),
            (HttpMethod.Put, "/api/shops/shophead-1-s1", new { name = blank }),
            (HttpMethod.Post, "/api/streets/houzhai/staff", new { role = "grid-worker", community = "changchun", name = blank }),
            (HttpMethod.Put, "/api/staff/gridworker-1", new { name = blank }),
        ];

        foreach (var (method, path, body) in named)
        {
            var response = await officer.SendAsync(Request((method, path, body)));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("name-control", (await response.JsonAsync()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task A_new_landlord_needs_a_phone_and_nobodys_phone_is_cleared_as_people_are_found_by_it()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var created = await officer.PostAsJsonAsync("/api/streets/houzhai/subjects", new { kind = "landlord", community = "fangtang", name = "楼无号" });
        var cleared = await officer.PutAsJsonAsync("/api/subjects/landlord-1", new { phone = "" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (created.StatusCode, cleared.StatusCode));
        Assert.Equal("phone-required", (await created.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("phone-required", (await cleared.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("13900000001", (await world.SubjectAsync("landlord-1")).Phone);
    }

    [Fact]
    public async Task A_shop_head_takes_no_more_than_ten_shops()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-changchun");
        var statuses = new List<int>();
        for (int i = 0; i < 8; i++) // shophead-1 has 3 already
            statuses.Add((int)(await secretary.PostAsJsonAsync("/api/subjects/shophead-1/shops", new { name = $"新店{i}" })).StatusCode);

        Assert.Equal([201, 201, 201, 201, 201, 201, 201, 409], statuses);
        var refused = await secretary.PostAsJsonAsync("/api/subjects/shophead-1/shops", new { name = "再一家" });
        Assert.Equal("shop-limit", (await refused.JsonAsync()).GetProperty("code").GetString());
        // Closing one makes room again.
        Assert.Equal(HttpStatusCode.OK, (await secretary.PostAsync("/api/shops/shophead-1-s1/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await secretary.PostAsJsonAsync("/api/subjects/shophead-1/shops", new { name = "再一家" })).StatusCode);
    }

    [Fact]
    public async Task Phones_are_masked_for_a_grid_worker_and_shown_to_the_secretary_and_officer()
    {
        await using var world = await ServiceWorld.CreateAsync();

        async Task<string?> PhoneSeenBy(string staff) =>
            (await (await world.Client(staff).GetAsync("/api/streets/houzhai/subjects?community=fangtang")).JsonAsync())
                .GetProperty("items").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "landlord-1").GetProperty("phone").GetString();

        Assert.Equal("139****0001", await PhoneSeenBy("gridworker-1"));
        Assert.Equal("13900000001", await PhoneSeenBy("secretary-fangtang"));
        Assert.Equal("13900000001", await PhoneSeenBy("officer-1"));
    }

    [Fact]
    public async Task A_deactivated_landlord_leaves_the_list_but_keeps_their_ledger_and_can_come_back()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");

        var gone = await secretary.PostAsync("/api/subjects/landlord-2/deactivate", null);
        var active = await (await secretary.GetAsync("/api/streets/houzhai/subjects")).JsonAsync();
        var all = await (await secretary.GetAsync("/api/streets/houzhai/subjects?includeInactive=true")).JsonAsync();
        var card = await secretary.GetAsync("/api/subjects/landlord-2");
        var back = await secretary.PutAsJsonAsync("/api/subjects/landlord-2", new { active = true });

        Assert.Equal(HttpStatusCode.OK, gone.StatusCode);
        Assert.DoesNotContain("landlord-2", active.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Contains("landlord-2", all.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.True((await back.JsonAsync()).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_deactivated_staff_members_token_stops_working_and_nobody_deactivates_themself()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var self = await officer.PostAsync("/api/staff/officer-1/deactivate", null);
        var gone = await officer.PostAsync("/api/staff/secretary-changchun/deactivate", null);
        var after = await world.Client("secretary-changchun").GetAsync("/api/streets/houzhai/subjects");

        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Equal(HttpStatusCode.OK, gone.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_staff_member_taken_back_on_duty_needs_a_new_token_their_old_one_stays_dead()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync("/api/staff/secretary-changchun/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await officer.PutAsJsonAsync("/api/staff/secretary-changchun", new { active = true })).StatusCode);
        var oldToken = await world.Client("secretary-changchun").GetAsync("/api/streets/houzhai/subjects");

        Assert.Equal(HttpStatusCode.Unauthorized, oldToken.StatusCode);
    }

    [Fact]
    public async Task A_grid_worker_is_given_grids_of_their_community_and_the_staff_list_shows_them()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();

        var given = await officer.PutAsJsonAsync("/api/staff/gridworker-1", new { grids = new[] { "fangtang-1" } });
        var elsewhere = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "grid-worker", community = "fangtang", name = "新网格员", grids = new[] { "changchun-auto" } });
        var listed = await (await officer.GetAsync("/api/streets/houzhai/staff")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, given.StatusCode);
        Assert.Equal("fangtang-1", (await given.JsonAsync()).GetProperty("grids")[0].GetString());
        Assert.Equal("grid-unknown", (await elsewhere.JsonAsync()).GetProperty("code").GetString());
        var worker = listed.GetProperty("items").EnumerateArray().Single(x => x.GetProperty("id").GetString() == "gridworker-1");
        Assert.Equal(["fangtang-1"], worker.GetProperty("grids").EnumerateArray().Select(g => g.GetString()));
    }

    [Theory]
    [InlineData("[null]")]
    [InlineData("[\"fangtang-1\", \"\"]")]
    [InlineData("[\"  \"]")]
    public async Task A_grids_entry_that_is_not_a_grid_id_is_refused_as_such_on_create_and_update(string grids)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

        var created = await officer.PostKeyedAsync("/api/streets/houzhai/staff", Body($"{{\"role\":\"grid-worker\",\"community\":\"fangtang\",\"name\":\"新网格员\",\"grids\":{grids}}}"));
        var updated = await officer.PutAsync("/api/staff/gridworker-1", Body($"{{\"grids\":{grids}}}"));

        foreach (var response in new[] { created, updated })
        {
            var problem = await response.JsonAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("grid-id-required", problem.GetProperty("code").GetString());
            Assert.Contains("grid's id or name", problem.GetProperty("detail").GetString());
            Assert.DoesNotContain("''", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_grid_worker_given_a_grid_reads_its_landlords_and_is_refused_the_rest_of_the_community()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        await officer.PutAsJsonAsync("/api/subjects/landlord-1", new { grid = "fangtang-1" });
        await officer.PutAsJsonAsync("/api/staff/gridworker-1", new { grids = new[] { "fangtang-1" } });
        var worker = world.Client("gridworker-1");

        var inGrid = await worker.GetAsync("/api/subjects/landlord-1");
        var outside = await worker.GetAsync("/api/subjects/landlord-2");
        var outsideTenants = await worker.GetAsync("/api/subjects/landlord-2/tenants");
        var listed = await (await worker.GetAsync("/api/streets/houzhai/subjects")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, inGrid.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outsideTenants.StatusCode);
        Assert.Equal(["landlord-1"], listed.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_new_secretary_needs_an_existing_community_and_an_officer_has_none()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var admin = await world.AdminAsync();

        var nowhere = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "secretary", community = "nowhere", name = "书记" });
        var created = await admin.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "officer", community = "fangtang", name = "副主任" });

        Assert.Equal("community-unknown", (await nowhere.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await created.JsonAsync()).GetProperty("community").ValueKind);
    }

    [Fact]
    public async Task An_officer_neither_demotes_nor_deactivates_an_admin_and_an_admin_does()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync("admin-1");
        await world.EnsureStaffAsync("admin-2", StaffRole.Admin, null); // both rows name houzhai, the officer's street
        var officer = world.Officer();

        var demoted = await officer.PutAsJsonAsync("/api/staff/admin-2", new { role = "grid-worker", community = "fangtang" });
        var renamed = await officer.PutAsJsonAsync("/api/staff/admin-2", new { name = "改名" });
        var deactivated = await officer.PostAsync("/api/staff/admin-2/deactivate", null);
        var stillAdmin = await world.StaffAsync("admin-2");
        var byAdmin = await admin.PutAsJsonAsync("/api/staff/admin-2", new { role = "officer" });

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { demoted.StatusCode, renamed.StatusCode, deactivated.StatusCode });
        Assert.Equal((StaffRole.Admin, true), (stillAdmin.Role, stillAdmin.Active));
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal("officer", (await byAdmin.JsonAsync()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task An_officer_does_not_change_a_fellow_officer_s_role_which_would_let_them_issue_their_credentials_and_an_admin_does()
    {
        // Lowered to secretary, a fellow officer's token could be issued by any officer, and raised again it would be an
        // officer's token in that officer's hands: acting as them.
        await using var world = await ServiceWorld.CreateAsync();
        await world.EnsureStaffAsync("officer-2", StaffRole.Officer, null);
        var admin = await world.AdminAsync();
        var officer = world.Officer();

        var demoted = await officer.PutAsJsonAsync("/api/staff/officer-2", new { role = "secretary", community = "fangtang" });
        var renamed = await officer.PutAsJsonAsync("/api/staff/officer-2", new { name = "改名" });
        var stillOfficer = await world.StaffAsync("officer-2");
        var byAdmin = await admin.PutAsJsonAsync("/api/staff/officer-2", new { role = "secretary", community = "fangtang" });

        Assert.Equal(HttpStatusCode.Forbidden, demoted.StatusCode);
        Assert.Contains("admin", (await demoted.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(StaffRole.Officer, stillOfficer.Role);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
    }

    [Fact]
    public async Task An_officer_does_not_create_an_officer_as_they_do_not_raise_one_and_an_admin_does()
    {
        // A new officer's first token or code is an admin's (or the console's) to issue: making one is the admin's too.
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();
        var officer = world.Officer();

        var byOfficer = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "officer", name = "副主任" });
        var byAdmin = await admin.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "officer", name = "副主任" });

        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
        Assert.Contains("admin", (await byOfficer.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
    }

    [Fact]
    public async Task Only_an_admin_makes_someone_an_admin_and_an_officer_cannot_promote_themself()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var admin = await world.AdminAsync();
        var officer = world.Officer();

        var created = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "admin", name = "管理员" });
        var promoted = await officer.PutAsJsonAsync("/api/staff/secretary-fangtang", new { role = "admin" });
        var self = await officer.PutAsJsonAsync("/api/staff/officer-1", new { role = "admin" });
        var byAdmin = await admin.PostKeyedAsJsonAsync("/api/streets/houzhai/staff", new { role = "admin", community = "fangtang", name = "新管理员" });

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden], new[] { created.StatusCode, promoted.StatusCode, self.StatusCode });
        Assert.Equal((StaffRole.Officer, StaffRole.Secretary), ((await world.StaffAsync("officer-1")).Role, (await world.StaffAsync("secretary-fangtang")).Role));
        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        var made = await byAdmin.JsonAsync();
        Assert.Equal(("admin", JsonValueKind.Null), (made.GetProperty("role").GetString(), made.GetProperty("community").ValueKind));
    }

    [Fact]
    public async Task A_tenants_name_is_unique_among_the_landlords_active_tenants()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");

        var twice = await secretary.PostAsJsonAsync("/api/subjects/landlord-1/tenants", new { name = "王小明" });
        var shop = await secretary.PostAsJsonAsync("/api/subjects/landlord-1/shops", new { name = "小卖部" });
        await secretary.PostAsync("/api/tenants/landlord-1-t1/deactivate", null);
        var again = await secretary.PostAsJsonAsync("/api/subjects/landlord-1/tenants", new { name = "王小明", room = "101", phone = "13612345678" });

        Assert.Equal("tenant-exists", (await twice.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("not-a-shop-head", (await shop.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task A_tenant_s_expected_day_back_is_kept_as_the_street_s_date_and_a_slip_of_the_year_is_refused()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");

        var set = await secretary.PutAsJsonAsync("/api/tenants/landlord-1-t1", new { expectedReturn = "2027-02-20" });
        var listed = await (await secretary.GetAsync("/api/subjects/landlord-1/tenants")).JsonAsync();
        var slip = await secretary.PutAsJsonAsync("/api/tenants/landlord-1-t1", new { expectedReturn = "2029-02-20" });
        var added = await secretary.PostAsJsonAsync("/api/subjects/landlord-1/tenants", new { name = "周新", expectedReturn = "2026-11-25" });
        var cleared = await secretary.PutAsJsonAsync("/api/tenants/landlord-1-t1", new { expectedReturn = "" });

        Assert.Equal("2027-02-20", (await set.JsonAsync()).GetProperty("expectedReturn").GetString());
        Assert.Equal("2027-02-20", listed.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "landlord-1-t1").GetProperty("expectedReturn").GetString());
        Assert.Equal("expected-return-invalid", (await slip.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal("2026-11-25", (await added.JsonAsync()).GetProperty("expectedReturn").GetString());
        Assert.Equal(JsonValueKind.Null, (await cleared.JsonAsync()).GetProperty("expectedReturn").ValueKind);
    }

    [Fact]
    public async Task A_tenant_taken_off_the_list_keeps_the_expected_day_back_in_the_street_s_zone()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var secretary = world.Client("secretary-fangtang");
        await secretary.PutAsJsonAsync("/api/tenants/landlord-1-t1", new { expectedReturn = "2027-02-20" });

        var gone = await (await secretary.PostAsync("/api/tenants/landlord-1-t1/deactivate", null)).JsonAsync();
        var listed = await (await secretary.GetAsync("/api/subjects/landlord-1/tenants?includeInactive=true")).JsonAsync();

        Assert.Equal("2027-02-20", gone.GetProperty("expectedReturn").GetString());
        Assert.Equal("2027-02-20", listed.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "landlord-1-t1").GetProperty("expectedReturn").GetString());
    }

    [Fact]
    public async Task A_community_with_people_is_not_deactivated_and_an_empty_one_is()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/communities", new { id = "xinqiao", name = "新桥村" });

        var busy = await officer.PostAsync("/api/communities/fangtang/deactivate", null);
        var empty = await officer.PostAsync("/api/communities/xinqiao/deactivate", null);
        var duplicate = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/communities", new { id = "xinqiao", name = "又一个" });
        var badId = await officer.PostKeyedAsJsonAsync("/api/streets/houzhai/communities", new { id = "新桥", name = "新桥" });

        Assert.Equal("community-in-use", (await busy.JsonAsync()).GetProperty("code").GetString());
        Assert.False((await empty.JsonAsync()).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("id-invalid", (await badId.JsonAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_community_id_another_street_holds_is_refused_as_taken_by_another_street_not_as_one_the_officer_already_has()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync(); // 江东街道 has xincun

        var taken = await world.Officer().PostKeyedAsJsonAsync("/api/streets/houzhai/communities", new { id = "xincun", name = "新村" });

        var problem = await taken.JsonAsync();
        Assert.Equal((HttpStatusCode.Conflict, "community-exists"), (taken.StatusCode, problem.GetProperty("code").GetString()));
        Assert.Contains("其他街道", problem.GetProperty("detailZh").GetString());
        Assert.Contains("another street", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("jiangdong", problem.GetRawText());
    }
}
