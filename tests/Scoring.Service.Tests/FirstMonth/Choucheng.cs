using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Scoring.Service.Cli;
using Scoring.Service.Tests.Rosters;

namespace Scoring.Service.Tests.FirstMonth;

/// <summary>
/// 稠城街道 (choucheng), a street that is not the demo's, set up on a service that already runs the demo street as its
/// district's second street would be: only with the steps README.md gives, through the command line's verbs, the HTTP
/// API and the chat endpoint (expectReplies), on the world's fake clock.
/// </summary>
public sealed partial class Choucheng : IAsyncDisposable
{
    public const string Street = "choucheng";
    public static readonly string[] Communities = ["cc-jiangbin", "cc-huangyuan", "cc-xiuhu"];
    public static readonly Dictionary<string, string> CommunityNames = new()
    {
        ["cc-jiangbin"] = "江滨社区", ["cc-huangyuan"] = "黄园社区", ["cc-xiuhu"] = "绣湖社区",
    };

    /// <summary>Monday 30 November 2026 (2026-W49), 09:00 in Yiwu: the street's first day.</summary>
    public static readonly DateTimeOffset DayOne = new(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8));

    public ServiceWorld World { get; }
    public string OfficerToken { get; private set; } = "";
    public Dictionary<string, string> Tokens { get; } = [];   // staff id → token
    public Dictionary<string, string> StaffIds { get; } = []; // "secretary:cc-jiangbin", "grid:cc-xiuhu" → id
    private int _activity;

    private Choucheng(ServiceWorld world) => World = world;

    public static async Task<Choucheng> StartAsync() => new(await ServiceWorld.CreateAsync(DayOne));

    public ValueTask DisposeAsync() => World.DisposeAsync();

    private string Setting => $"--ConnectionStrings:Scoring=Data Source={World.DatabasePath}";
    private string[] Settings => [Setting, "--environment=Testing", $"--Clock:Now={World.Clock.GetUtcNow():O}"];

    public HttpClient Officer => As(OfficerToken);
    public HttpClient Secretary(string community) => As(Tokens[StaffIds[$"secretary:{community}"]]);
    public HttpClient Public => World.Client();

    public HttpClient As(string token)
    {
        var client = World.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>README "Loading a street's roster on day one", steps 1 and 2: the import verb, as typed on the server.</summary>
    public Task<(int Exit, string Out, string Err)> ImportVerbAsync(string file, params string[] options) =>
        Tests.Cli.VerbRun.RunAsync((o, e) => ImportCommand.RunAsync(["import", file, "--street", Street, .. options, .. Settings], o, e));

    /// <summary>The first officer's id and token, as the import verb printed them.</summary>
    public void TookOfficerToken(string output)
    {
        OfficerToken = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("st_", StringComparison.Ordinal));
        StaffIds["officer"] = Regex.Match(output, @"Officer .+ \((?<id>[^)]+)\) created").Groups["id"].Value;
        Tokens[StaffIds["officer"]] = OfficerToken;
    }

    /// <summary>README step 3: <c>staff token &lt;id&gt;</c> on the server.</summary>
    public async Task<string> StaffTokenAsync(string staffId)
    {
        var (exit, output, error) = await Tests.Cli.VerbRun.RunAsync((o, e) => StaffCommands.RunAsync(["staff", "token", staffId, .. Settings], o, e));
        Assert.True(exit == 0, error);
        return Tokens[staffId] = output.Trim();
    }

    /// <summary>Says <paramref name="text"/> in a private chat as the chat user <paramref name="user"/>; the bot's replies' texts.</summary>
    public async Task<List<JsonElement>> ChatAsync(string user, string text)
    {
        var activity = new JsonObject
        {
            ["type"] = "message", ["id"] = $"a-{Interlocked.Increment(ref _activity)}", ["channelId"] = "webchat",
            ["serviceUrl"] = "https://webchat.example/", ["from"] = new JsonObject { ["id"] = user, ["name"] = user },
            ["conversation"] = new JsonObject { ["id"] = $"dm-{user}" }, ["recipient"] = new JsonObject { ["id"] = "bot" },
            ["locale"] = "zh-CN", ["text"] = text, ["deliveryMode"] = "expectReplies",
        };
        var response = await World.Client().PostAsync("/api/messages", new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("activities").EnumerateArray().ToList();
    }

    public async Task<string> SayAsync(string user, string text) =>
        string.Join("\n", (await ChatAsync(user, text)).Select(a => a.TryGetProperty("text", out var t) ? t.GetString() : ""));

    /// <summary>Subject ids by phone, from the roster API.</summary>
    public Dictionary<string, string> SubjectIds { get; } = [];
    /// <summary>The chat user of each subject bound so far, by phone.</summary>
    public Dictionary<string, string> Users { get; } = [];

    public string User(ChouchengRoster.Person p) => Users[p.Phone];
    public string Staff(string key) => $"wx-{StaffIds[key]}";

    /// <summary>
    /// README step 4: each secretary prints their community's enrolment sheet and everyone on it binds in chat
    /// (<paramref name="bind"/> says who does); staff get codes from POST /api/enrolments and bind too.
    /// </summary>
    public async Task EnrolEveryoneAsync(IReadOnlyList<ChouchengRoster.Person> people, Func<ChouchengRoster.Person, bool>? bind = null)
    {
        var roster = await JsonOf(await Officer.GetAsync($"/api/streets/{Street}/subjects"));
        foreach (var item in roster.GetProperty("items").EnumerateArray())
            SubjectIds[item.GetProperty("phone").GetString()!] = item.GetProperty("id").GetString()!;
        var codes = new Dictionary<string, string>();
        foreach (var community in Communities)
        {
            var sheet = await Secretary(community).PostKeyedAsync($"/api/communities/{community}/enrolment-sheet");
            var html = await sheet.Content.ReadAsStringAsync();
            Assert.True(sheet.IsSuccessStatusCode, html);
            foreach (var card in SheetCards(html)) codes[card.Id] = card.Code;
        }
        foreach (var p in people.Where(bind ?? (_ => true)))
        {
            var id = SubjectIds[p.Phone];
            var reply = await SayAsync($"wx-{id}", $"绑定 {codes[id]}");
            Assert.Contains("绑定成功", reply);
            Users[p.Phone] = $"wx-{id}";
        }
        foreach (var (_, staffId) in StaffIds)
        {
            var code = await JsonOf(await Officer.PostAsJsonAsync("/api/enrolments", new { staffId }));
            Assert.Contains("绑定成功", await SayAsync($"wx-{staffId}", $"绑定 {code.GetProperty("code").GetString()}"));
        }
    }

    /// <summary>What the bot sent <paramref name="user"/> on its own (reminders, notices), as the channel would receive it.</summary>
    public async Task<List<string>> SentToAsync(string user)
    {
        var rows = await World.Db.ReadAsync(s => Dapper.SqlMapper.QueryAsync<string>(s.Connection,
            "SELECT activity_json FROM bot_outbox WHERE conversation_id = @c ORDER BY seq", new { c = $"dm-{user}" }));
        return rows.Select(json => JsonDocument.Parse(json).RootElement.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "").ToList();
    }

    /// <summary>Cards of a printed enrolment sheet: (name, code, subject id).</summary>
    public static List<(string Name, string Code, string Id)> SheetCards(string html) =>
        CardPattern().Matches(html).Select(m => (System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), m.Groups[2].Value, m.Groups[3].Value.Split(" · ")[^1])).ToList();

    [GeneratedRegex("<div class=\"name\">([^<]*)</div><div class=\"code\">([^<]*)</div><div class=\"meta\">([^<]*)</div>")]
    private static partial Regex CardPattern();

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}

/// <summary>稠城's roster as the office typed it: three communities, landlords with tenants (some none), shop heads with shops.</summary>
public static class ChouchengRoster
{
    private static readonly string[] Surnames = ["楼", "陈", "王", "吴", "朱", "金", "傅", "何", "龚", "骆", "虞", "贾", "鲍", "季", "丁", "冯", "张", "施"];
    private static readonly string[] Given = ["建国", "秀英", "国平", "丽华", "志强", "美娟", "伟明", "桂芳", "海峰", "春燕", "晓东", "小红", "德明", "爱萍", "文斌", "雪琴"];

    public sealed record Person(string Kind, string Community, string Name, string Phone, string Grid, List<(string Name, string Room, string Phone)> Units);

    /// <summary>17 landlords and 3 shop heads per community: 60 people, each a phone of their own.</summary>
    public static List<Person> People()
    {
        var people = new List<Person>();
        int n = 0;
        foreach (var (community, c) in Choucheng.Communities.Select((x, i) => (x, i)))
        {
            var place = Choucheng.CommunityNames[community][..2];
            for (int i = 0; i < 17; i++, n++)
            {
                var units = new List<(string, string, string)>();
                for (int t = 0; t < i % 4; t++) // 0 to 3 tenants
                    units.Add(($"{Surnames[(n + t + 5) % Surnames.Length]}{Given[(n * 3 + t) % Given.Length]}", $"{i + 1}0{t + 1}", t == 0 ? $"1580579{n:D2}{t}0" : ""));
                people.Add(new("房东", community, $"{Surnames[n % Surnames.Length]}{Given[(n * 7) % Given.Length]}", $"1390579{n:D4}", $"{place}{i / 6 + 1}幢", units));
            }
            for (int i = 0; i < 3; i++, n++)
            {
                var shops = Enumerable.Range(1, 2 + i).Select(s => ($"{place}{Given[(n + s) % Given.Length]}店{s}", "", "")).ToList();
                people.Add(new("铺长", community, $"{Surnames[n % Surnames.Length]}{Given[(n * 7) % Given.Length]}", $"1390579{n:D4}", $"{place}商铺街", shops));
            }
        }
        return people;
    }

    public static List<string[]> Rows(IEnumerable<Person> people)
    {
        var rows = new List<string[]> { RosterFile.Header };
        foreach (var p in people)
        {
            if (p.Units.Count == 0) rows.Add([p.Kind, p.Community, p.Name, p.Phone, p.Grid, "", "", ""]);
            foreach (var u in p.Units) rows.Add([p.Kind, p.Community, p.Name, p.Phone, p.Grid, u.Name, u.Room, u.Phone]);
        }
        return rows;
    }
}
