using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Scoring.Application;
using Scoring.Domain;
using Scoring.Domain.Lists;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Service.Tests.Features;

public class NoticeBoardTests
{
    private const string Script = "<script>alert(1)</script>";

    [Fact]
    public async Task The_board_escapes_and_masks_names_and_shows_both_kinds_with_the_week_and_hash()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
        {
            Id = "mallory", StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.Landlord, Name = Script,
        }, world.Clock.GetUtcNow()));
        await world.ScoreAsync("mallory");
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordMediation);
        await world.ScoreAsync("shophead-1", DefaultRules.ShopReportedViolation);
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47", "landlord");
        await world.PublishAsync("2026-W47", "shop-head");
        var list = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");

        var response = await world.Client().GetAsync("/streets/houzhai/board/2026-W47");
        var html = await response.Content.ReadAsStringAsync();
        var document = new HtmlParser().ParseDocument(html);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(document.QuerySelectorAll("script"));
        Assert.DoesNotContain(Script, html);
        var landlordNames = document.QuerySelectorAll("[data-kind=landlord] section.red td.name").Select(n => n.TextContent).ToList();
        Assert.Equal([Masking.Name(Script), "应*乐"], landlordNames);
        Assert.Equal(["王*生"], document.QuerySelectorAll("[data-kind=shop-head] section.red td.name").Select(n => n.TextContent));
        Assert.DoesNotContain("应天乐", html);
        Assert.Contains("后宅街道", document.QuerySelector("h1.street")!.TextContent);
        Assert.Contains("2026年11月16日（周一）至 2026年11月22日（周日）", document.QuerySelector("p.week")!.TextContent);
        Assert.Contains("2026-11-24 09:00（北京时间）", document.QuerySelector("[data-kind=landlord] p.published")!.TextContent); // not "(Asia/Shanghai)"
        Assert.Equal(list.GetProperty("contentHash").GetString(), document.QuerySelector("[data-kind=landlord] .hash")!.TextContent);
        Assert.Equal("方塘村", document.QuerySelector("[data-kind=landlord] section.red td.community")!.TextContent);
        Assert.NotNull(document.QuerySelector("[data-kind=landlord] section.black p.empty"));
        var style = document.QuerySelector("style")!.TextContent;
        Assert.Contains("@page", style);
        Assert.Contains("A4", style);
        // Printed for Chinese readers: its sentences punctuate as Chinese does (，：；（）), never with ASCII marks between characters.
        Assert.DoesNotMatch(@"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][,:;()!?]|[,:;()!?][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", document.Body!.TextContent);
    }

    [Fact]
    public async Task The_board_is_read_by_a_screen_reader_a_small_phone_and_an_A4_printer_with_nothing_fetched_from_elsewhere()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var html = await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47");
        var document = new HtmlParser().ParseDocument(html);
        var style = document.QuerySelector("style")!.TextContent;

        Assert.Equal("zh-CN", document.DocumentElement.GetAttribute("lang"));
        Assert.False(string.IsNullOrWhiteSpace(document.Title));
        var headers = document.QuerySelectorAll("th");
        Assert.NotEmpty(headers);
        Assert.All(headers, th => Assert.Equal("col", th.GetAttribute("scope")));
        // A4: a row is never cut across two pages, and a table running on to the next page repeats its header.
        Assert.Matches(@"tr\s*\{[^}]*break-inside:\s*avoid", style);
        Assert.Matches(@"thead\s*\{[^}]*display:\s*table-header-group", style);
        // A small phone: the red and black lists one under the other, not two columns of a few characters each.
        Assert.Matches(@"@media[^{]*max-width[^{]*\{[^@]*\.lists\s*\{[^}]*(flex-direction:\s*column|display:\s*block)", style);
        // A long community name has the room: the rank and points columns are as narrow as their figures, and an empty
        // black list beside a long red one is not drawn as a tall empty box.
        Assert.Matches(@"td\.rank[^{]*\{[^}]*width:\s*1%[^}]*white-space:\s*nowrap", style);
        Assert.Matches(@"\.lists\s*\{[^}]*align-items:\s*flex-start", style);
        Assert.Empty(document.QuerySelectorAll("link, script, img, iframe, object"));
        Assert.DoesNotMatch(@"@import|url\(", style);
    }

    [Fact]
    public async Task A_board_before_any_publication_is_not_found_and_one_kind_alone_says_the_other_is_pending()
    {
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(HttpStatusCode.NotFound, (await world.Client().GetAsync("/streets/houzhai/board/2026-W47")).StatusCode);

        await world.PublishAsync("2026-W47", "landlord");
        var document = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));

        Assert.NotNull(document.QuerySelector("[data-kind=shop-head] p.unpublished"));
        Assert.Equal(2, document.QuerySelectorAll("[data-kind=landlord] section.list").Length);
    }

    [Fact]
    public async Task The_board_of_a_street_without_shop_heads_shows_no_shop_head_list_waiting_to_be_published()
    {
        // 江东 has landlords only: "本周铺长榜单尚未发布" stood on every week's board, for a list that will never come.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        var published = await world.Service<Publication>().PublishAsync(await world.StaffAsync(ServiceWorld.OtherStreetOfficerId), "jiangdong",
            Scoring.Domain.Weeks.IsoWeek.Parse("2026-W47"), SubjectKind.Landlord, null);
        Assert.True(published.Succeeded, published.Failure?.English);

        var document = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/jiangdong/board/2026-W47"));

        Assert.NotNull(document.QuerySelector("[data-kind=landlord]"));
        Assert.Null(document.QuerySelector("[data-kind=shop-head]"));
    }

    [Fact]
    public async Task Publishing_a_shop_heads_list_for_a_street_without_shop_heads_is_refused_and_the_board_keeps_showing_none()
    {
        // Published, an empty shop heads' list of 江东 would stand on its board, a list of a kind the street does not have.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        var officer = world.Client(ServiceWorld.OtherStreetOfficerId);

        var response = await officer.PostAsJsonAsync("/api/streets/jiangdong/lists/2026-W47/publish", new { kind = "shop-head" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var board = await world.Client().GetAsync("/api/streets/jiangdong/lists/2026-W47?kind=shop-head");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("no-subjects-of-kind", problem.GetProperty("code").GetString());
        Assert.Contains("had no shop heads on its roster in 2026-W47", problem.GetProperty("detail").GetString());
        Assert.Contains("名册上没有铺长", problem.GetProperty("detailZh").GetString());
        Assert.Equal(HttpStatusCode.NotFound, board.StatusCode);
    }

    [Fact]
    public async Task The_shop_heads_list_of_a_street_without_shop_heads_is_not_found_saying_the_street_has_none()
    {
        // Told "not published yet", a script or a reader waits for a list the street never publishes.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));

        var response = await world.Client().GetAsync("/api/streets/jiangdong/lists/2026-W47?kind=shop-head");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("list-not-published", problem.GetProperty("code").GetString());
        Assert.Contains("has no shop heads", problem.GetProperty("detail").GetString());
        Assert.Contains("本街道没有铺长", problem.GetProperty("detailZh").GetString());
    }

    [Fact]
    public async Task A_shop_head_entered_after_a_week_makes_no_shop_head_list_owed_for_it_the_board_shows_none_and_publishing_it_is_refused()
    {
        // 江东 had landlords only in 2026-W47 and takes on its first shop head in W48: its W47 board must not start
        // waiting for a shop heads' list, nor may an empty one be published for a week it had none.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        world.Clock.Advance(TimeSpan.FromDays(6)); // Tuesday of W48
        var w47 = Scoring.Domain.Weeks.IsoWeek.Parse("2026-W47");
        var published = await world.Service<Publication>().PublishAsync(await world.StaffAsync(ServiceWorld.OtherStreetOfficerId), "jiangdong", w47, SubjectKind.Landlord, null);
        Assert.True(published.Succeeded, published.Failure?.English);
        await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
        {
            Id = "shophead-jd-1", StreetId = "jiangdong", CommunityId = "xincun", Kind = SubjectKind.ShopHead, Name = "江铺长", Phone = "13900002222",
        }, world.Clock.GetUtcNow()));

        var board = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/jiangdong/board/2026-W47"));
        var publish = await world.Client(ServiceWorld.OtherStreetOfficerId).PostAsJsonAsync("/api/streets/jiangdong/lists/2026-W47/publish", new { kind = "shop-head" });
        var list = await world.Client().GetAsync("/api/streets/jiangdong/lists/2026-W47?kind=shop-head");
        var missing = await list.Content.ReadFromJsonAsync<JsonElement>();

        Assert.NotNull(board.QuerySelector("[data-kind=landlord] section.list"));
        Assert.Null(board.QuerySelector("[data-kind=shop-head]"));
        Assert.Equal(HttpStatusCode.Conflict, publish.StatusCode);
        Assert.Equal("no-subjects-of-kind", (await publish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Contains("2026-W47", missing.GetProperty("detailZh").GetString());
        Assert.Contains("没有铺长", missing.GetProperty("detailZh").GetString());
        Assert.DoesNotContain("尚未发布", missing.GetProperty("detailZh").GetString());

        // W48, the week the shop head was entered in, owes their list: its board waits for it.
        world.Clock.Advance(TimeSpan.FromDays(7));
        published = await world.Service<Publication>().PublishAsync(await world.StaffAsync(ServiceWorld.OtherStreetOfficerId), "jiangdong", w47.Next(), SubjectKind.Landlord, null);
        Assert.True(published.Succeeded, published.Failure?.English);
        var next = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/jiangdong/board/2026-W48"));
        Assert.NotNull(next.QuerySelector("[data-kind=shop-head] p.unpublished"));
    }

    [Theory]
    [InlineData("/streets/jiangdong/board/2026-W40", "week-before-street", "2026-W47")]
    [InlineData("/streets/jiangdong/board/2026-W40?kind=landlord", "week-before-street", "2026-W47")]
    [InlineData("/api/streets/jiangdong/lists/2026-W40?kind=landlord", "week-before-street", "2026-W47")]
    [InlineData("/api/streets/jiangdong/lists/2026-W40.csv?kind=landlord", "week-before-street", "2026-W47")]
    [InlineData("/streets/jiangdong/board/2026-W48", "week-not-over", "11月30日（周一）")]
    [InlineData("/api/streets/jiangdong/lists/2026-W48?kind=landlord", "week-not-over", "11月30日（周一）")]
    [InlineData("/streets/jiangdong/board/2031-W10", "week-not-over", "2031年3月10日（周一）")]
    [InlineData("/streets/houzhai/board/2026-W47?kind=shop-head", "list-not-published", "尚未发布")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=shop-head", "list-not-published", "尚未发布")]
    [InlineData("/streets/houzhai/board/2026-W30", "list-not-published", "名册上没有房东或铺长")] // its roster was entered in W39
    public async Task A_list_of_a_week_before_the_street_began_says_when_it_began_one_of_a_running_week_when_it_is_published_and_each_links_the_latest_board(
        string url, string code, string says)
    {
        // Only a week that is over and owes its list is 「尚未发布」: a reporter reads that as the office failing to publish.
        // 江东 began in 2026-W47; both streets published their W47 landlords' list.
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        world.Clock.Advance(TimeSpan.FromDays(6)); // Tuesday of W48
        await world.PublishAsync("2026-W47", "landlord");
        Assert.True((await world.Service<Publication>().PublishAsync(await world.StaffAsync(ServiceWorld.OtherStreetOfficerId), "jiangdong",
            Scoring.Domain.Weeks.IsoWeek.Parse("2026-W47"), SubjectKind.Landlord, null)).Succeeded);
        var latest = url.Contains("jiangdong", StringComparison.Ordinal) ? "/streets/jiangdong/board/2026-W47" : "/streets/houzhai/board/2026-W47";
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");

        var script = await world.Client().GetAsync(url);
        var problem = await script.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(says, problem.GetProperty("detailZh").GetString());
        Assert.Equal(latest, problem.GetProperty("latestBoard").GetString());
        if (!url.StartsWith("/streets/", StringComparison.Ordinal)) return;
        var page = await world.Client().SendAsync(request);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(code, document.QuerySelector("[data-code]")!.GetAttribute("data-code"));
        Assert.Contains(says, document.QuerySelector("[data-code]")!.TextContent);
        Assert.Equal(latest, document.QuerySelector("a.latest")!.GetAttribute("href"));
        if (code != "list-not-published") Assert.DoesNotContain("尚未发布", document.Body!.TextContent);
    }

    [Fact]
    public async Task A_missing_board_of_a_street_that_never_published_links_no_latest_board()
    {
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        var request = new HttpRequestMessage(HttpMethod.Get, "/streets/houzhai/board/2026-W47");
        request.Headers.Accept.ParseAdd("text/html");

        var page = new HtmlParser().ParseDocument(await (await world.Client().SendAsync(request)).Content.ReadAsStringAsync());
        var problem = await (await world.Client().GetAsync("/streets/houzhai/board/2026-W47")).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("list-not-published", page.QuerySelector("[data-code]")!.GetAttribute("data-code"));
        Assert.Null(page.QuerySelector("a.latest"));
        Assert.False(problem.TryGetProperty("latestBoard", out _));
    }

    [Fact]
    public async Task Markup_in_a_community_name_or_a_correction_reason_is_shown_as_text()
    {
        await using var world = await ServiceWorld.CreateAsync();
        const string community = "<img src=x onerror=alert(1)>村";
        const string reason = "\"'><script>alert(2)</script> 核实较晚";
        var officer = world.Client("officer-1");
        Assert.True((await officer.PutAsJsonAsync("/api/communities/fangtang", new { name = community })).IsSuccessStatusCode);
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ScoreAsync("landlord-4", occurredAt: ServiceWorld.Wednesday);
        Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync("/api/streets/houzhai/lists/2026-W47/publish", new { kind = "landlord", correctionReason = reason })).StatusCode);

        var html = await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47");
        var document = new HtmlParser().ParseDocument(html);

        Assert.Empty(document.QuerySelectorAll("script, img"));
        Assert.Contains(community, document.QuerySelectorAll("td.community").Select(n => n.TextContent));
        Assert.Contains(reason, document.QuerySelector("p.correction")!.TextContent);
    }

    [Fact]
    public async Task A_corrected_board_says_it_is_a_correction_and_links_the_revisions_it_replaces_which_say_they_were_replaced()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.PublishAsync("2026-W47", "shop-head");
        await world.ScoreAsync("landlord-4", occurredAt: ServiceWorld.Wednesday);
        await world.PublishAsync("2026-W47", correctionReason: "一条核查较晚的记录");

        var latest = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));
        var correction = latest.QuerySelector("[data-kind=landlord] .correction")!;
        Assert.Contains("第 2 版", correction.TextContent);
        Assert.Contains("更正", correction.TextContent);
        Assert.Contains("一条核查较晚的记录", correction.TextContent);
        var earlier = Assert.Single(correction.QuerySelectorAll("a"));
        Assert.Equal("第 1 版", earlier.TextContent);
        Assert.Null(latest.QuerySelector("[data-kind=shop-head] .correction")); // the shop heads' list was never corrected

        var old = await world.Client().GetAsync("/streets/houzhai/board/2026-W47" + earlier.GetAttribute("href"));
        var oldPage = new HtmlParser().ParseDocument(await old.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains("第 1 版", oldPage.QuerySelector("[data-kind=landlord] p.published")!.TextContent);
        var superseded = oldPage.QuerySelector("[data-kind=landlord] .superseded")!;
        Assert.Contains("已被更正", superseded.TextContent);
        Assert.Equal("/streets/houzhai/board/2026-W47", superseded.QuerySelector("a")!.GetAttribute("href"));
        Assert.Null(oldPage.QuerySelector("[data-kind=shop-head]")); // one kind's revision, not a mixture of old and new
        Assert.Equal(["应*乐"], oldPage.QuerySelectorAll("section.red td.name").Select(n => n.TextContent));
    }

    [Fact]
    public async Task A_correction_reason_written_on_several_lines_keeps_its_lines_on_the_board()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ScoreAsync("landlord-4", occurredAt: ServiceWorld.Wednesday);
        await world.PublishAsync("2026-W47", correctionReason: "1. 一条核查较晚的记录\n2. 第二行说明");

        var page = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));

        var reason = page.QuerySelector("[data-kind=landlord] .correction .reason")!;
        Assert.Equal("1. 一条核查较晚的记录\n2. 第二行说明", reason.TextContent);
        // Shown as written: its lines break where the officer broke them, on screen and in print, and nowhere else is pre-line.
        Assert.Matches(@"\.reason\s*\{[^}]*white-space:\s*pre-line", page.QuerySelector("style")!.TextContent);
    }

    [Theory]
    [InlineData("?kind=landlord&revision=3", 404, "revision-not-found")]
    [InlineData("?kind=landlord&revision=0", 400, "invalid-input")]
    [InlineData("?revision=1", 400, "invalid-input")] // a revision is of one kind's list
    [InlineData("?kind=shop-head&revision=1", 404, "list-not-published")]
    public async Task A_board_revision_out_of_range_is_refused_as_a_page_for_a_browser_and_a_problem_for_a_script(string query, int status, string code)
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var url = "/streets/houzhai/board/2026-W47" + query;
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");

        var page = await world.Client().SendAsync(request);
        var script = await world.Client().GetAsync(url);

        Assert.Equal(status, (int)page.StatusCode);
        Assert.Equal(code, new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync()).QuerySelector("[data-code]")!.GetAttribute("data-code"));
        Assert.Equal(status, (int)script.StatusCode);
        Assert.Equal(code, (await script.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_html_pages_forbid_scripts_and_framing_and_every_response_forbids_sniffing()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var board = await world.Client().GetAsync("/streets/houzhai/board/2026-W47");
        var sheet = await world.Client("secretary-changchun").PostKeyedAsync("/api/communities/changchun/enrolment-sheet");
        var docs = await world.Client().GetAsync("/docs");
        var others = new[]
        {
            await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord"),
            await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord"),
            await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W01"), // a problem
            await world.Client().GetAsync("/openapi/v1.json"),
            await world.Client().GetAsync("/healthz"),
        };

        foreach (var response in new[] { board, sheet, docs }.Concat(others))
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        foreach (var page in new[] { board, sheet })
        {
            var policy = Policy(page);
            Assert.Equal("'none'", policy["default-src"]);          // no script, frame, object, connection or font
            Assert.Equal("'unsafe-inline'", policy["style-src"]);   // the page's own <style>
            Assert.Equal("data:", policy["img-src"]);               // the enrolment sheet's QR codes
            Assert.Equal("'none'", policy["base-uri"]);
            Assert.Equal("'none'", policy["form-action"]);
        }
        // The public board may be shown in a frame on the street's own web site (it is public and has nothing to press);
        // the enrolment sheet, with its codes, may not be framed anywhere.
        Assert.Equal("*", Policy(board)["frame-ancestors"]);
        Assert.Equal("'none'", Policy(sheet)["frame-ancestors"]);
        var docsPolicy = Policy(docs);
        Assert.Equal("'self'", docsPolicy["default-src"]);
        Assert.Equal("'none'", docsPolicy["frame-ancestors"]);
        Assert.Equal("'none'", docsPolicy["object-src"]);
        Assert.Equal(["no-referrer"], sheet.Headers.GetValues("Referrer-Policy"));
    }

    private static Dictionary<string, string> Policy(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"))
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2)).ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [Theory]
    [InlineData("/streets/houzhai/board/2026-W47")]
    [InlineData("/streets/houzhai/board/2026-W60")]
    public async Task A_board_answered_as_a_page_or_a_problem_by_Accept_says_it_varies_by_Accept(string url)
    {
        // A shared cache that stored the page a browser got must not serve it to a script asking for the problem.
        await using var world = await ServiceWorld.CreateAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");

        var page = await world.Client().SendAsync(request);
        var script = await world.Client().GetAsync(url);

        Assert.Equal(("text/html", "application/problem+json"), (page.Content.Headers.ContentType!.MediaType, script.Content.Headers.ContentType!.MediaType));
        Assert.Contains("Accept", page.Headers.Vary);
        Assert.Contains("Accept", script.Headers.Vary);
    }

    [Theory]
    [InlineData("/streets/houzhai/board/2026-W47", 404, "week-not-over", "尚未结束")] // the running week: when it is published
    [InlineData("/streets/nowhere/board/2026-W46", 404, "street-not-found", "nowhere")]
    [InlineData("/streets/houzhai/board/2026-W60", 400, "invalid-input", "2026-W60")]
    public async Task A_browser_opening_a_board_that_is_not_there_reads_a_page_saying_why(string url, int status, string code, string says)
    {
        await using var world = await ServiceWorld.CreateAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        var page = await world.Client().SendAsync(request);
        var script = await world.Client().GetAsync(url);

        Assert.Equal(status, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        Assert.Equal(code, document.QuerySelector("[data-code]")!.GetAttribute("data-code"));
        Assert.Contains(says, document.QuerySelector("[data-code]")!.TextContent);
        Assert.Equal(status, (int)script.StatusCode); // a script still reads the problem
        Assert.Equal("application/problem+json", script.Content.Headers.ContentType!.MediaType);
    }
    [Fact]
    public async Task Each_list_says_who_can_be_on_it_and_how_it_is_ordered_the_black_list_lowest_first_with_its_size()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        await world.ApproveAsync(await world.ReportByStaffAsync("gridworker-1", "landlord-2", DefaultRules.NotDisinfected, "3号楼楼道未消毒"));
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var document = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));
        var red = document.QuerySelector("[data-kind=landlord] section.red .rule")!.TextContent;
        var black = document.QuerySelector("[data-kind=landlord] section.black .rule")!.TextContent;
        var footer = document.QuerySelector("footer")!.TextContent;

        Assert.Contains("高于12分", red);
        Assert.Contains("本周无扣分", red);
        Assert.Contains("前 3 名", red);
        Assert.Contains("扣分少者在前", red);
        Assert.Contains("低于12分", black);
        Assert.Contains("倒数 3 名", black);
        Assert.Contains("积分低者在前", black);
        Assert.Contains("扣分多者在前", black);
        Assert.DoesNotContain("从高到低", black);
        Assert.DoesNotContain("从高到低", footer); // no one rule printed over both lists
    }

    [Fact]
    public async Task Entries_of_equal_balance_ranked_apart_are_marked_as_tied_on_points_and_separated_by_the_tie_break()
    {
        // landlord-1 −1 −1 = 10; landlord-2 −1 −1 −1 +1 = 10 with more deductions: black list 1. landlord-2, 2. landlord-1.
        await using var world = await ServiceWorld.CreateAsync();
        for (var i = 0; i < 2; i++) await world.ApproveAsync(await world.ReportByStaffAsync("gridworker-1", "landlord-1", DefaultRules.NotDisinfected, $"1号楼第{i}次"));
        for (var i = 0; i < 3; i++) await world.ApproveAsync(await world.ReportByStaffAsync("gridworker-1", "landlord-2", DefaultRules.NotDisinfected, $"2号楼第{i}次"));
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation);
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var document = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));
        var rows = document.QuerySelectorAll("[data-kind=landlord] section.black tbody tr").ToList();

        Assert.Equal([("1", "王*兰", "10"), ("2", "应*乐", "10")],
            rows.Select(r => (r.QuerySelector("td.rank")!.TextContent, r.QuerySelector("td.name")!.TextContent, r.QuerySelector("td.balance .points")!.TextContent)));
        Assert.All(rows, r => Assert.Contains("同分", r.QuerySelector("td.balance")!.TextContent));
    }

    [Fact]
    public async Task The_street_s_board_without_a_week_shows_the_latest_published_week_and_links_the_week_before()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ScoreAsync("landlord-2");
        world.Clock.Advance(TimeSpan.FromDays(7));
        await world.PublishAsync("2026-W48");

        var response = await world.Client().GetAsync("/streets/houzhai/board");
        var latest = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        var before = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-W48", latest.QuerySelector("p.week")!.GetAttribute("data-week"));
        Assert.Equal(TimeSpan.FromMinutes(1), response.Headers.CacheControl!.MaxAge);
        Assert.Equal("/streets/houzhai/board/2026-W47", latest.QuerySelector("nav.weeks a[rel=prev]")!.GetAttribute("href"));
        Assert.Null(latest.QuerySelector("nav.weeks a[rel=next]"));
        Assert.Equal("/streets/houzhai/board/2026-W48", before.QuerySelector("nav.weeks a[rel=next]")!.GetAttribute("href"));
        Assert.Null(before.QuerySelector("nav.weeks a[rel=prev]"));
        Assert.Null(latest.QuerySelector(".address")); // no public address set: the page names none
    }

    [Fact]
    public async Task A_street_with_nothing_published_has_no_latest_board()
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Client().GetAsync("/streets/houzhai/board");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("list-not-published", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task With_a_public_address_the_printout_carries_its_own_full_address()
    {
        await using var world = await ServiceWorld.CreateAsync(settings: new Dictionary<string, string> { ["PublicBaseUrl"] = "https://jifen.houzhai.gov.cn/" });
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var document = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board?kind=landlord"));

        Assert.Equal("https://jifen.houzhai.gov.cn/streets/houzhai/board/2026-W47?kind=landlord", document.QuerySelector("footer .address")!.TextContent);
    }

    [Fact]
    public async Task A_community_s_board_shows_only_its_part_of_the_published_list_masked_with_the_street_s_ranks_revision_and_hash()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1"); // 方塘村 14
        await world.ScoreAsync("landlord-4", DefaultRules.LandlordMediation); // 长春社区 13
        await world.ScoreAsync("landlord-2", DefaultRules.LandlordMediation); // 方塘村 13
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        var street = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord");

        var page = await world.Client().GetAsync("/streets/houzhai/board/2026-W47?community=changchun");
        var document = new HtmlParser().ParseDocument(await page.Content.ReadAsStringAsync());
        var json = await world.Client().GetFromJsonAsync<JsonElement>("/api/streets/houzhai/lists/2026-W47?kind=landlord&community=changchun");
        var csv = ListCsvTests.Parse(await world.Client().GetByteArrayAsync("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&community=changchun"));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal([("2", "董*华", "长春社区")], document.QuerySelectorAll("[data-kind=landlord] section.red tbody tr")
            .Select(r => (r.QuerySelector("td.rank")!.TextContent, r.QuerySelector("td.name")!.TextContent, r.QuerySelector("td.community")!.TextContent)));
        Assert.Contains("长春社区", document.QuerySelector("p.community")!.TextContent);
        Assert.Equal(street.GetProperty("contentHash").GetString(), document.QuerySelector("[data-kind=landlord] .hash")!.TextContent);
        Assert.DoesNotContain("应*乐", document.Body!.TextContent);
        Assert.Equal(("changchun", 1, street.GetProperty("contentHash").GetString(), 1), (json.GetProperty("community").GetString(), json.GetProperty("revision").GetInt32(),
            json.GetProperty("contentHash").GetString(), json.GetProperty("red").GetArrayLength()));
        Assert.Equal((2, "董*华"), (json.GetProperty("red")[0].GetProperty("rank").GetInt32(), json.GetProperty("red")[0].GetProperty("name").GetString()));
        Assert.Equal([["red", "2", "董*华", "changchun"]], csv.Skip(1).Select(r => r[..4]));
        Assert.Equal(JsonValueKind.Null, street.GetProperty("community").ValueKind);
    }

    [Theory]
    [InlineData("/streets/houzhai/board/2026-W47?community=nowhere")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=landlord&community=nowhere")]
    [InlineData("/api/streets/houzhai/lists/2026-W47.csv?kind=landlord&community=nowhere")]
    [InlineData("/api/streets/houzhai/lists/2026-W47?kind=landlord&community=FANGTANG")]
    public async Task An_unknown_community_on_a_public_list_is_not_found(string url)
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var response = await world.Client().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("community-not-found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
    [Fact]
    public async Task The_board_s_rule_version_links_the_names_and_points_of_that_rule_set_which_anyone_reads()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.ScoreAsync("landlord-1");
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");

        var document = new HtmlParser().ParseDocument(await world.Client().GetStringAsync("/streets/houzhai/board/2026-W47"));
        var link = document.QuerySelector("[data-kind=landlord] p.published a.rules")!.GetAttribute("href")!;
        var rules = await world.Client().GetFromJsonAsync<JsonElement>(link);
        var missing = await world.Client().GetAsync("/api/streets/houzhai/rules/9");

        Assert.Equal("/api/streets/houzhai/rules/1", link);
        Assert.Equal(1, rules.GetProperty("version").GetInt32());
        var mediation = rules.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("code").GetString() == DefaultRules.LandlordMediation);
        Assert.Equal(("参与矛盾调解", "landlord", 1), (mediation.GetProperty("nameZh").GetString(), mediation.GetProperty("appliesTo").GetString(), mediation.GetProperty("points").GetInt32()));
        Assert.Equal(["appliesTo", "code", "nameEn", "nameZh", "points"], mediation.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("rules-version-not-found", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
