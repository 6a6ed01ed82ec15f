using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Scoring.Service.Tests.Rosters;
using Xunit.Abstractions;

namespace Scoring.Service.Tests.Features;

/// <summary>
/// Generated bad input on every route the service maps (read from its own endpoint data source, so a new route is in
/// here without anyone adding it), each sent by a staff member the route lets in: never a 5xx, every 4xx a coded
/// ProblemDetails, no stack trace, exception type or SQL in any answer, and the service still healthy after it all.
/// <para>
/// The CI run is a few seconds: a fixed seed and <see cref="DefaultCasesPerRoute"/> cases per route. To search longer
/// locally, set the seed and the count, e.g.
/// <c>SCORING_FUZZ_SEED=7 SCORING_FUZZ_CASES=300 dotnet test tests/Scoring.Service.Tests --filter RouteFuzzTests</c>;
/// a failure names the seed, the route and the request, which the same seed sends again.
/// </para>
/// </summary>
public sealed class RouteFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCasesPerRoute = 8;
    private const ulong DefaultSeed = 20261118;

    private static int CasesPerRoute => int.TryParse(Environment.GetEnvironmentVariable("SCORING_FUZZ_CASES"), out var n) && n > 0 ? n : DefaultCasesPerRoute;
    private static ulong Seed => ulong.TryParse(Environment.GetEnvironmentVariable("SCORING_FUZZ_SEED"), out var s) ? s : DefaultSeed;

    // ---- what bad input looks like ----

    /// <summary>Texts a route value, a query value or a JSON string can carry (escaped where they go).</summary>
    internal static readonly string[] Texts =
    [
        "", " ", "0", "-1", "2147483648", "-9223372036854775809", "99999999999999999999999", "1e309", "NaN", "1.5", "0x10",
        new string('a', 300), new string('名', 5000), "👨‍👩‍👧‍👦", "\u202Eabc\u202C", "مرحبا", "\0", "a\0b", "\t", "\r\n", "𠀀积分",
        "..", "../../etc/passwd", "%00", "%", "a/b", "a\\b", "<script>alert(1)</script>", "'; DROP TABLE subjects;--", "\" OR 1=1 --",
        "=cmd|' /C calc'!A0", "+1", "@SUM(1)", "null", "true", "[]", "{}",
        "2026-W00", "2026-W54", "2025-W53", "2026-W53", "2020-W53", "2015-W53", "0000-W01", "9999-W52", "10000-W01", "2026-w47", "2026W47", "2026-W4", "2026-W047", "-2026-W01",
        "2026-11-31", "2026-02-30T25:61:00Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00-14:00", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59+14:00", "24:00", "23:59:60",
        "Pacific/Kiritimati", "America/St_Johns", "Pacific/Chatham", "Etc/GMT+12", "../../../etc/passwd", "week-year", "calendar-year",
        "jiangdong", "xincun", "landlord-jd-1", "officer-jiangdong", "secretary-xincun", "fangtang", "changchun", "landlord-1",
        "landlord", "shop-head", "LANDLORD", "red", "black", "officer", "admin", "grid-worker",
    ];

    /// <summary>JSON values of every kind and edge, as raw text: some are not what any serialiser writes (a lone surrogate escape).</summary>
    internal static readonly string[] JsonValues =
    [
        "null", "true", "false", "0", "-1", "1", "2147483648", "-2147483649", "9223372036854775808", "1e309", "-1e309", "1.5", "1e2", "-0",
        "\"\"", "\"  \"", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[{}]}}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
        "79228162514264337593543950335", "0.000000000000000000000000001", "1e28", "-79228162514264337593543950335",
        "\"\\ud800\"", "\"\\udc00x\"", "\"a\\ud83d\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u202eabc\"", "\"\\ufeff\"", "\"\\uffff\"",
        "\"" + new string('x', 20_000) + "\"",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=",
        "application/json; charset=gb18030", "application/json; charset=utf-16", "application/json; charset=nonsense", "application/octet-stream",
        "garbage", "application/json;;;", "text/csv",
    ];

    private static readonly string[] IdempotencyKeys = ["", " ", new string('k', 201), new string('k', 20_000), "键", "a b", "\t", "ok-key-\u007f"];

    private static readonly string[] Accepts = ["text/plain", "text/html", "application/xml", "*/*;q=x", "application/problem+json", "text/csv", ""];

    /// <summary>One change to a route's well-formed request; <see cref="Describe"/> is how a failure names it.</summary>
    internal abstract record Edit
    {
        public abstract string Describe();
    }

    private sealed record RouteValue(int Segment, string Value) : Edit
    {
        public override string Describe() => $"route value #{Segment} = {Show(Value)}";
    }

    private sealed record QueryValue(string Name, string Value, int Times) : Edit
    {
        public override string Describe() => $"query {Name}={Show(Value)} ×{Times}";
    }

    private sealed record Field(string Name, string? Json) : Edit
    {
        public override string Describe() => Json is null ? $"field {Name} removed" : $"field {Name} = {Show(Json)}";
    }

    private sealed record RawBody(string What, byte[] Bytes) : Edit
    {
        public override string Describe() => $"body {What}";
    }

    private sealed record ContentType(string? Type) : Edit
    {
        public override string Describe() => $"content type {Show(Type ?? "(none)")}";
    }

    private sealed record IdempotencyKey(string Key) : Edit
    {
        public override string Describe() => $"Idempotency-Key {Show(Key)}";
    }

    /// <summary>The key of a request sent first, again on this one with its other changes.</summary>
    private sealed record ReusedKey : Edit
    {
        public override string Describe() => "Idempotency-Key reused from the well-formed request";
    }

    private sealed record Accept(string Value) : Edit
    {
        public override string Describe() => $"Accept {Show(Value)}";
    }

    /// <summary>A roster upload: the file (or a broken form) as given.</summary>
    private sealed record Upload(string What, Func<HttpContent> Content) : Edit
    {
        public override string Describe() => $"upload {What}";
    }

    private static string Show(string text) => JsonSerializer.Serialize(text.Length > 60 ? text[..60] + $"…({text.Length})" : text);

    // ---- a route as the fuzzer sees it ----

    /// <summary>A mapped route: its well-formed request (from the route matrix where it has one) and what it takes.</summary>
    private sealed record Route(string Key, string Method, RoutePattern Pattern, string Path, string Query, byte[]? Body, string? BodyType,
        IReadOnlyList<int> ValueSegments, IReadOnlyList<string> QueryNames, IReadOnlyList<string> FieldNames, bool Multipart)
    {
        public bool Json => BodyType?.StartsWith("application/json", StringComparison.Ordinal) == true || (Body is null && FieldNames.Count > 0);
    }

    private static Gen<Edit> EditsFor(Route route)
    {
        var text = Gen.Frequency((5, Gen.OneOf(Texts)), (1, Gen.String[0, 40]));
        var json = Gen.Frequency((4, Gen.OneOf(JsonValues)), (2, Gen.OneOf(Texts).Select(t => JsonSerializer.Serialize(t))),
            (1, Gen.Long.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var gens = new List<(int, IGen<Edit>)>
        {
            (3, Gen.Select(Gen.OneOf([.. route.QueryNames, "kind", "limit", "community", "week", "x"]), text, Gen.Int[1, 3])
                .Select(Edit (n, v, t) => new QueryValue(n, v, t))),
            (1, Gen.OneOf(Accepts).Select(Edit (a) => new Accept(a))),
        };
        if (route.ValueSegments.Count > 0)
            gens.Add((4, Gen.Select(Gen.OneOf([.. route.ValueSegments]), text).Select(Edit (s, v) => new RouteValue(s, v))));
        if (route.Method != "GET")
        {
            gens.Add((2, Gen.OneOf(ContentTypes).Select(Edit (t) => new ContentType(t))));
            gens.Add((1, Gen.OneOf(RawBodies).Select(Edit (b) => new RawBody(b.What, b.Bytes))));
        }
        if (route.Json)
        {
            string[] names = [.. route.FieldNames, "id", "extra", "Kind", "__proto__", ""];
            gens.Add((6, Gen.Select(Gen.OneOf(names), json).Select(Edit (n, v) => new Field(n, v))));
            gens.Add((2, Gen.OneOf(names).Select(Edit (n) => new Field(n, null))));
        }
        if (route.Method == "POST")
        {
            gens.Add((1, Gen.OneOf(IdempotencyKeys).Select(Edit (k) => new IdempotencyKey(k))));
            gens.Add((1, Gen.Const((Edit)new ReusedKey())));
        }
        if (route.Multipart) gens.Add((8, Gen.OneOf(Uploads).Select(Edit (u) => new Upload(u.What, u.Content))));
        return Gen.Frequency([.. gens]);
    }

    /// <summary>Whole bodies that are not JSON, or JSON no request takes.</summary>
    private static readonly (string What, byte[] Bytes)[] RawBodies =
    [
        ("empty", []), ("null", "null"u8.ToArray()), ("a list", "[]"u8.ToArray()), ("a string", "\"x\""u8.ToArray()), ("a number", "1e999"u8.ToArray()),
        ("cut short", "{\"name\":\"方"u8.ToArray()), ("not JSON", "name=x&kind=y"u8.ToArray()), ("invalid UTF-8", [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]),
        ("a byte-order mark then JSON", [0xEF, 0xBB, 0xBF, .. "{}"u8]), ("UTF-16", Encoding.Unicode.GetBytes("{\"name\":\"x\"}")),
        ("GB18030", GbkBytes("{\"name\":\"方塘\"}")), ("lone surrogate keys", "{\"\\ud800\":1}"u8.ToArray()), ("NUL bytes", [0, 0, 0, 0]),
        ("deeply nested", Encoding.ASCII.GetBytes(new string('[', 3000) + new string(']', 3000))),
        ("a field named twice", "{\"name\":\"a\",\"name\":\"b\"}"u8.ToArray()), ("trailing garbage", "{} x"u8.ToArray()), ("a comment", "/* hi */ {}"u8.ToArray()),
    ];

    private static byte[] GbkBytes(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(54936).GetBytes(text);
    }

    // ---- roster uploads ----

    private static readonly string[][] FormulaRoster =
    [
        RosterFile.Header,
        ["房东", "fangtang", "=cmd|' /C calc'!A0", "13700000001", "", "+租客", "@101", "-1+2"],
        ["房东", "fangtang", "=HYPERLINK(\"http://127.0.0.1\",\"x\")", "13700000002", "", "", "", ""],
    ];

    private static readonly byte[] GoodXlsx = RosterFile.Xlsx(RosterFile.Landlords(2));

    private static readonly Lazy<byte[]> TheBomb = new(Bomb);

    private static readonly (string What, Func<HttpContent> Content)[] Uploads =
    [
        ("an xlsx cut short", () => RosterFile.Upload(GoodXlsx[..(GoodXlsx.Length / 2)], "roster.xlsx")),
        ("an xlsx of its first bytes", () => RosterFile.Upload(GoodXlsx[..30], "roster.xlsx")),
        ("an xlsx with bytes flipped", () => RosterFile.Upload(Flipped(GoodXlsx), "roster.xlsx")),
        ("a zip of nothing", () => RosterFile.Upload(EmptyZip(), "roster.xlsx")),
        ("a zip that unpacks to much", () => RosterFile.Upload(TheBomb.Value, "roster.xlsx")),
        ("an empty file", () => RosterFile.Upload([], "roster.csv")),
        ("formula cells in xlsx", () => RosterFile.Upload(RosterFile.Xlsx(FormulaRoster), "roster.xlsx")),
        ("formula cells in CSV, UTF-8 with a byte-order mark", () => RosterFile.Upload([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(CsvOf(FormulaRoster))], "roster.csv")),
        ("formula cells in CSV, GB18030", () => RosterFile.Upload(GbkBytes(CsvOf(FormulaRoster)), "roster.csv")),
        ("CSV in UTF-16", () => RosterFile.Upload([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(CsvOf(FormulaRoster))], "roster.csv")),
        ("CSV of invalid bytes", () => RosterFile.Upload([0x81, 0x30, 0xFF, 0xFE, 0x0A, 0xC0, 0x80], "roster.csv")),
        ("CSV of one long line", () => RosterFile.Upload(Encoding.UTF8.GetBytes(new string(',', 200_000)), "roster.csv")),
        ("CSV of many lines", () => RosterFile.Upload(Encoding.UTF8.GetBytes(string.Join("\n", RosterFile.Header) + new string('\n', 300_000)), "roster.csv")),
        ("CSV with NUL and quotes", () => RosterFile.Upload(Encoding.UTF8.GetBytes(string.Join(",", RosterFile.Header) + "\n房东,fangtang,\"a\0\"\"b,1370000000\"3\n"), "roster.csv")),
        ("a PDF named .csv", () => RosterFile.Upload("%PDF-1.4 binary"u8.ToArray(), "roster.csv")),
        ("an old .xls", () => RosterFile.Upload([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "roster.xls")),
        ("an odd file name", () => RosterFile.Upload(GoodXlsx, "../../\0名单👨‍👩‍👧.xlsx")),
        ("no file name", () => Form(new ByteArrayContent(GoodXlsx), "file", null)),
        ("the file in another field", () => Form(new ByteArrayContent(GoodXlsx), "files", "roster.xlsx")),
        ("a field without a file", () => Form(new StringContent("roster"), "file", null)),
        ("two files", () =>
        {
            var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(GoodXlsx), "file", "a.xlsx");
            form.Add(new ByteArrayContent(GoodXlsx), "file", "b.xlsx");
            return form;
        }),
        ("a form without its closing boundary", () =>
        {
            var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nabc"));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            return content;
        }),
        ("a form with an overlong boundary", () =>
        {
            var content = new ByteArrayContent(Encoding.ASCII.GetBytes("--x"));
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={new string('b', 200)}");
            return content;
        }),
        ("a url-encoded form", () => new FormUrlEncodedContent([new("file", "x")])),
    ];

    private static HttpContent Form(HttpContent part, string name, string? fileName)
    {
        var form = new MultipartFormDataContent();
        if (fileName is null) form.Add(part, name); else form.Add(part, name, fileName);
        return form;
    }

    private static string CsvOf(string[][] rows) => string.Join("\r\n", rows.Select(r => string.Join(",", r.Select(c => c.Contains(',') || c.Contains('"') ? $"\"{c.Replace("\"", "\"\"")}\"" : c))));

    private static byte[] Flipped(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (int i = copy.Length / 3; i < copy.Length / 3 + 64 && i < copy.Length; i++) copy[i] ^= 0x5A;
        return copy;
    }

    private static byte[] EmptyZip()
    {
        using var output = new MemoryStream();
        using (new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true)) { }
        return output.ToArray();
    }

    /// <summary>A zip whose one sheet unpacks to more than the limit (and than any roster): a few hundred kilobytes sent, 129 MB inside.</summary>
    private static byte[] Bomb()
    {
        using var output = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.Fastest).Open();
            var spaces = new byte[1 << 20];
            Array.Fill(spaces, (byte)' ');
            for (long i = 0; i <= Scoring.Service.Features.RosterFiles.MaxUnpackedBytes >> 20; i++) sheet.Write(spaces);
        }
        return output.ToArray();
    }

    // ---- the test ----

    [Fact]
    public async Task Every_route_answers_generated_bad_input_with_a_coded_problem_and_never_a_5xx()
    {
        await using var world = await ServiceWorld.CreateAsync();
        await world.AnotherStreetAsync();
        using var admin = await world.AdminAsync();
        var routes = await RoutesAsync(world);
        foreach (var (route, caller) in routes)
            output.WriteLine($"{route.Key} as {caller ?? "an admin"}: query [{string.Join(", ", route.QueryNames)}], fields [{string.Join(", ", route.FieldNames)}]{(route.Multipart ? ", a file" : "")}");
        var pcg = new PCG(7, Seed);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        int sent = 0;

        foreach (var (route, caller) in routes)
        {
            using var client = caller is { } staff ? world.Client(staff) : null;
            var gen = EditsFor(route).Array[1, 3];
            for (int i = 0; i < CasesPerRoute; i++)
            {
                var edits = gen.Generate(pcg, null, out _);
                var (status, failure) = await SendAsync(client ?? admin, route, edits);
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                sent++;
                if (failure is not null) failures.Add($"{route.Key} [{string.Join("; ", edits.Select(e => e.Describe()))}]: {failure}");
            }
        }

        using var health = await world.Client().GetAsync("/healthz");
        // Status 0: a URL no client sends (a NUL in the path, which the server itself refuses before the service).
        output.WriteLine($"seed {Seed}, {routes.Count} routes, {sent} requests: " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(failures.Count == 0, $"seed {Seed}: {failures.Count} of {sent} answers were wrong\n" + string.Join("\n", failures.Distinct().Take(60)));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        // The edits must reach the handlers too, not only the door's refusals.
        Assert.True(statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value) > sent / 20, "too few requests were accepted");
    }

    /// <summary>
    /// Every broken upload the fuzzing draws from, each sent once to every route taking a file (the roster import): a
    /// coded refusal or the import's report of its rows, never a 5xx.
    /// </summary>
    [Fact]
    public async Task Every_broken_upload_gets_a_coded_refusal_or_the_import_report()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var admin = await world.AdminAsync();
        var failures = new List<string>();
        var uploads = (await RoutesAsync(world)).Where(r => r.Route.Multipart).ToList();
        Assert.NotEmpty(uploads);
        foreach (var (route, caller) in uploads)
        {
            using var client = caller is { } staff ? world.Client(staff) : null;
            foreach (var (what, content) in Uploads)
            {
                var (status, failure) = await SendAsync(client ?? admin, route, [new Upload(what, content)]);
                if (failure is not null) failures.Add($"{route.Key} {what}: {failure}");
                else if (status is < 400 && what != "formula cells in xlsx" && !what.StartsWith("formula cells in CSV", StringComparison.Ordinal) && what != "an odd file name")
                    failures.Add($"{route.Key} {what}: taken ({status})");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Weeks that are not (week 0, week 54, week 53 of 2025, which has 52) are a 400 with a code on every route taking a
    /// week; week 53 of a year that has one (2020 and 2026 start on a Thursday, as 2015 and 2032 do) is a week there.
    /// </summary>
    [Fact]
    public async Task Every_route_taking_a_week_refuses_one_there_is_not_and_takes_week_53_of_a_long_year()
    {
        await using var world = await ServiceWorld.CreateAsync();
        using var admin = await world.AdminAsync();
        var failures = new List<string>();
        var weekly = (await RoutesAsync(world)).Where(r => r.Route.Pattern.Parameters.Any(p => p.Name == "week")).ToList();
        Assert.NotEmpty(weekly);
        foreach (var (route, caller) in weekly)
        {
            using var client = caller is { } staff ? world.Client(staff) : null;
            var segment = route.ValueSegments.Single(i => route.Pattern.PathSegments[i].Parts.OfType<RoutePatternParameterPart>().Any(p => p.Name == "week"));
            foreach (var (week, exists) in new[] { ("2026-W00", false), ("2026-W54", false), ("2025-W53", false), ("2020-W53", true), ("2026-W53", true) })
            {
                var (status, failure) = await SendAsync(client ?? admin, route, [new RouteValue(segment, week)]);
                if (failure is not null) failures.Add($"{route.Key} {week}: {failure}");
                else if (exists == (status == 400)) failures.Add($"{route.Key} {week}: {status}, though {week} {(exists ? "is" : "is not")} a week");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// Every mapped route with its well-formed request and the staff member it is sent as: the first of officer,
    /// secretary, grid worker of the matrix's street the route lets in, else an admin (null). The chat endpoint has
    /// its own authentication and fuzzing (Scoring.Bot.Tests' BotEndpointFuzzTests).
    /// </summary>
    private static async Task<IReadOnlyList<(Route Route, string? Caller)>> RoutesAsync(ServiceWorld world)
    {
        var cases = RouteMatrix.All.ToDictionary(c => c.Key);
        var list = new List<(Route, string?)>();
        foreach (var endpoint in world.Service<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
        {
            var key = $"{method} {endpoint.RoutePattern.RawText}";
            if (key == "POST /api/messages") continue;
            var routeCase = cases.GetValueOrDefault(key);
            var role = routeCase is null ? Role.Officer
                : new[] { Role.Officer, Role.Secretary, Role.GridWorker, Role.OtherSecretary }.Cast<Role?>().FirstOrDefault(r => routeCase.Expected[r!.Value] == Expect.Success);
            using var request = routeCase is null ? new HttpRequestMessage(new HttpMethod(method), Filled(endpoint.RoutePattern)) : await routeCase.Request(world, role ?? Role.Officer);
            var uri = request.RequestUri!.OriginalString;
            var at = uri.IndexOf('?');
            var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync();
            var shape = ShapeOf(endpoint);
            list.Add((new Route(key, method, endpoint.RoutePattern, at < 0 ? uri : uri[..at], at < 0 ? "" : uri[at..], body,
                request.Content?.Headers.ContentType?.ToString(), ValueSegments(endpoint.RoutePattern), shape.Query, shape.Fields,
                shape.Multipart || request.Content is MultipartContent), role is null ? null : RouteMatrix.StaffIdOf(role.Value)));
        }
        return list;
    }

    /// <summary>A route without a case in the matrix, its values filled with the demo's.</summary>
    private static string Filled(RoutePattern pattern) => "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
    {
        RoutePatternLiteralPart l => l.Content,
        RoutePatternSeparatorPart sep => sep.Content,
        RoutePatternParameterPart { Name: "street" } => "houzhai",
        RoutePatternParameterPart { Name: "community" } => "fangtang",
        RoutePatternParameterPart { Name: "week" } => "2026-W46",
        RoutePatternParameterPart { Name: "year" } => "2026",
        _ => "landlord-1",
    }))));

    /// <summary>The path segments holding a route value.</summary>
    private static IReadOnlyList<int> ValueSegments(RoutePattern pattern) =>
        [.. pattern.PathSegments.Select((s, i) => (s, i)).Where(x => x.s.Parts.Any(p => p.IsParameter)).Select(x => x.i)];

    /// <summary>What the handler reads besides its route: simple parameters from the query, a body's fields, a form.</summary>
    private static (IReadOnlyList<string> Query, IReadOnlyList<string> Fields, bool Multipart) ShapeOf(RouteEndpoint endpoint)
    {
        var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
        var query = handler?.GetParameters()
            .Where(p => p.Name is { } n && !routeNames.Contains(n) && IsSimple(p.ParameterType))
            .Select(p => p.Name!).ToList() ?? [];
        var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
        var fields = accepts?.RequestType is { } type && !IsSimple(type)
            ? type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList()
            : [];
        var multipart = accepts?.ContentTypes.Any(t => t.StartsWith("multipart/", StringComparison.Ordinal)) == true;
        return (query, fields, multipart);
    }

    private static bool IsSimple(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(Guid);
    }

    // ---- one request ----

    private static readonly Regex Leaks = new(
        @"\bat [A-Z][\w.`]+[.(]|[A-Z]\w*Exception\b|\bScoring\.(Domain|Application|Storage|Service|Bot)\.|\bSystem\.[A-Z]\w+\.|\bMicrosoft\.[A-Z]|SQLite Error|\b(SELECT \S+.* FROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b",
        RegexOptions.CultureInvariant);

    private static readonly Regex BoardCode = new("data-code=\"([^\"]*)\"", RegexOptions.CultureInvariant);

    private static readonly Regex StableCode = new("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <summary>Sends the route's request changed by <paramref name="edits"/>: its status, and what is wrong with the answer if anything.</summary>
    private static async Task<(int Status, string? Failure)> SendAsync(HttpClient client, Route route, Edit[] edits)
    {
        var segments = route.Path.Split('/');
        var query = new StringBuilder(route.Query);
        JsonNode? json = null;
        if (route.Body is { Length: > 0 } b && route.Json) try { json = JsonNode.Parse(b); } catch (JsonException) { }
        var raw = new Dictionary<string, string>();
        byte[]? body = route.Body;
        string? contentType = route.BodyType;
        HttpContent? upload = null;
        string? key = null, accept = null;
        bool reuse = false;
        foreach (var edit in edits)
        {
            switch (edit)
            {
                case RouteValue(var segment, var value):
                    segments[segment + 1] = Replaced(route.Pattern.PathSegments[segment], segments[segment + 1], Uri.EscapeDataString(Clean(value)));
                    break;
                case QueryValue(var name, var value, var times):
                    for (int i = 0; i < times; i++) query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(Clean(value)));
                    break;
                case Field(var name, var value):
                    var target = json as JsonObject ?? new JsonObject();
                    json = target;
                    if (value is null) target.Remove(name);
                    else
                    {
                        var placeholder = $"@@raw{raw.Count}@@";
                        raw[placeholder] = value;
                        target[name] = placeholder;
                    }
                    body = null;
                    contentType = "application/json; charset=utf-8";
                    break;
                case RawBody(_, var bytes):
                    (body, json, upload) = (bytes, null, null);
                    contentType ??= "application/json";
                    break;
                case ContentType(var type):
                    contentType = type;
                    break;
                case IdempotencyKey(var k):
                    key = k;
                    break;
                case ReusedKey:
                    reuse = true;
                    break;
                case Accept(var a):
                    accept = a;
                    break;
                case Upload(_, var content):
                    upload = content();
                    (body, json) = (null, null);
                    contentType = upload.Headers.ContentType?.ToString();
                    break;
            }
        }
        if (json is not null)
        {
            var text = json.ToJsonString();
            foreach (var (placeholder, value) in raw) text = text.Replace($"\"{placeholder}\"", value);
            body = Encoding.UTF8.GetBytes(text);
        }

        var url = string.Join("/", segments) + query;
        if (reuse)
        {
            key = $"fuzz-{Guid.NewGuid():N}";
            using var first = Request(route.Method, route.Path + route.Query, route.Body, route.BodyType, null, key, null);
            using var _ = await client.SendAsync(first!);
        }
        using var request = Request(route.Method, url, body, contentType, upload, key, accept);
        if (request is null) return (0, null); // a URL the client itself will not send
        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var answer = await response.Content.ReadAsStringAsync();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        string? failure = null;
        if (status >= 500) failure = $"{status} {Clip(answer)}";
        else if (status >= 400)
        {
            // A roster import's 422 is its report: the rows' problems, each with its code.
            bool importReport = status == 422 && route.Multipart && mediaType == "application/json";
            // The notice board answers a browser with a page a person reads, its problem's code on the element that says why.
            bool page = mediaType == "text/html" && BoardCode.Match(answer) is { Success: true } board && StableCode.IsMatch(board.Groups[1].Value);
            if (page) { }
            else if (!importReport && mediaType != "application/problem+json") failure = $"{status} as {mediaType ?? "(no type)"}: {Clip(answer)}";
            else if (!importReport && !HasStableCode(answer, status)) failure = $"{status} without a stable code: {Clip(answer)}";
        }
        if (failure is null && IsText(mediaType) && !route.Key.Contains("/openapi/") && !route.Key.Contains("/docs/") && Leaks.Match(answer) is { Success: true } leak)
            failure = $"{status} quotes internals ('{leak.Value}'): {Clip(answer)}";
        return (status, failure);
    }

    /// <summary>A segment with its route value replaced and its literal parts (the '.csv' of '{week}.csv') kept.</summary>
    private static string Replaced(RoutePatternPathSegment pattern, string current, string value)
    {
        var prefix = string.Concat(pattern.Parts.TakeWhile(p => !p.IsParameter).Select(p => (p as RoutePatternLiteralPart)?.Content ?? (p as RoutePatternSeparatorPart)?.Content));
        var suffix = string.Concat(pattern.Parts.Reverse().TakeWhile(p => !p.IsParameter).Reverse().Select(p => (p as RoutePatternLiteralPart)?.Content ?? (p as RoutePatternSeparatorPart)?.Content));
        return prefix + value + suffix;
    }

    /// <summary>A text as a URL can carry it: a lone surrogate (which no URL encoding has) becomes U+FFFD.</summary>
    private static string Clean(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static HttpRequestMessage? Request(string method, string url, byte[]? body, string? contentType, HttpContent? upload, string? key, string? accept)
    {
        // A NUL in the path is refused by the server (Kestrel) before the service sees it; the test host throws instead.
        var path = url.Split('?')[0];
        if (path.Contains("%00", StringComparison.Ordinal) || !Uri.TryCreate(url, UriKind.Relative, out var uri)) return null;
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (upload is not null) request.Content = upload;
        else if (body is not null)
        {
            var content = new ByteArrayContent(body);
            if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Content = content;
        }
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private static bool HasStableCode(string answer, int status)
    {
        try
        {
            using var problem = JsonDocument.Parse(answer);
            return problem.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && StableCode.IsMatch(code.GetString()!)
                && problem.RootElement.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) && n == status;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsText(string? mediaType) => mediaType is not null && (mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType.EndsWith("json", StringComparison.Ordinal));

    private static string Clip(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
