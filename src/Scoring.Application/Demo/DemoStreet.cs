using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Application.Demo;

/// <summary>
/// The demo street of the contract: 后宅街道 with 方塘村 and 长春社区, a handful of fictional landlords with
/// tenants and shop heads with shops, a secretary per community, a grid worker and an officer.
/// Its people's tokens and enrolment codes are written to a credentials file so a newcomer can try everything.
/// </summary>
/// <param name="secret">The app password the codes' hashes are keyed with, as <see cref="Enrolment"/> keys them.</param>
public sealed class DemoStreet(Database db, TimeProvider time, AppSecret? secret = null)
{
    private readonly Enrolment _enrolment = new(db, time, secret);

    public const string StreetId = "houzhai";
    private const string EmulatorChannel = "emulator";

    private sealed record DemoSubject(string Id, SubjectKind Kind, string Name, string Community, string Phone, string[] Tenants, string[] Shops);
    private sealed record DemoStaff(string Id, StaffRole Role, string Name, string? Community, string Phone);

    private static readonly DemoSubject[] Subjects =
    [
        new("landlord-1", SubjectKind.Landlord, "应天乐", "fangtang", "13900000001", ["王小明", "李娜"], []),
        new("landlord-2", SubjectKind.Landlord, "王秀兰", "fangtang", "13900000002", ["张伟"], []),
        new("landlord-3", SubjectKind.Landlord, "陈建国", "fangtang", "13900000003", ["刘洋", "赵敏"], []),
        new("landlord-4", SubjectKind.Landlord, "董宝华", "changchun", "13900000004", ["潘志强"], []),
        new("landlord-5", SubjectKind.Landlord, "李春梅", "changchun", "13900000005", ["孙丽", "周杰"], []),
        new("shophead-1", SubjectKind.ShopHead, "王强生", "changchun", "13900000011", [], ["汽配一号店", "汽配二号店", "饰品店"]),
        new("shophead-2", SubjectKind.ShopHead, "吴丽娜", "changchun", "13900000012", [], ["长春五金", "小商品批发"]),
    ];

    private static readonly DemoStaff[] Staff =
    [
        new("officer-1", StaffRole.Officer, "孙立华", null, "13800000001"),
        new("secretary-fangtang", StaffRole.Secretary, "金永平", "fangtang", "13800000002"),
        new("secretary-changchun", StaffRole.Secretary, "王伟明", "changchun", "13800000003"),
        new("gridworker-1", StaffRole.GridWorker, "钱晓东", "fangtang", "13800000004"),
    ];

    /// <summary>
    /// How long before the demo is seeded its roster counts as entered (within the running cycle): a street already
    /// running, whose last weeks owe their lists (a week owes a kind's list only once its first was entered), so the demo
    /// and the city-scale benchmark can publish last week. Missed rounds are charged only for days the service saw open,
    /// so none are charged for those weeks.
    /// </summary>
    public static readonly TimeSpan RosterAge = TimeSpan.FromDays(28);

    /// <summary>Seeds the demo street when the database has no street yet; writes the credentials file. False when it was already there.</summary>
    public async Task<bool> SeedIfEmptyAsync(string credentialsPath, int scale, CancellationToken ct = default, int scaleEvents = 0)
    {
        var now = time.GetUtcNow();
        // Not before the cycle began: a demo started in January has no last year to show.
        var (fourWeeksAgo, cycleStart) = (now - RosterAge, CycleStart(now));
        var entered = fourWeeksAgo > cycleStart ? fourWeeksAgo : cycleStart;
        var credentials = await db.WriteAsync(async s =>
        {
            if ((await s.ListStreetsAsync()).Count > 0) return null;
            await s.InsertStreetAsync(new Street { Id = StreetId, Name = "后宅街道" }, now);
            await s.InsertCommunityAsync(new Community { Id = "fangtang", StreetId = StreetId, Name = "方塘村" });
            await s.InsertCommunityAsync(new Community { Id = "changchun", StreetId = StreetId, Name = "长春社区" });
            await s.InsertGridAsync(new Grid { Id = "fangtang-1", CommunityId = "fangtang", Name = "方塘村1号楼" });
            await s.InsertGridAsync(new Grid { Id = "changchun-auto", CommunityId = "changchun", Name = "汽配专业街" });
            await s.InsertRuleSetAsync(DefaultRules.For(StreetId, new DateTimeOffset(2000, 1, 3, 0, 0, 0, TimeSpan.Zero)), "demo", now);

            var staffOut = new List<object>();
            foreach (var st in Staff)
            {
                var member = new StaffMember { Id = st.Id, StreetId = StreetId, CommunityId = st.Community, Role = st.Role, Name = st.Name, Phone = st.Phone };
                await s.InsertStaffAsync(member);
                var token = Ids.Token();
                await s.InsertTokenAsync(Ids.Hash(token), st.Id, now);
                var code = await NewCodeAsync(s, "staff", st.Id, now);
                staffOut.Add(new { id = st.Id, role = st.Role.ToWire(), name = st.Name, community = st.Community, token, enrolmentCode = code });
            }
            var subjectsOut = new List<object>();
            foreach (var sj in Subjects)
            {
                await s.InsertSubjectAsync(new Subject { Id = sj.Id, StreetId = StreetId, CommunityId = sj.Community, Kind = sj.Kind, Name = sj.Name, Phone = sj.Phone }, entered);
                for (int i = 0; i < sj.Tenants.Length; i++)
                    await s.InsertTenantAsync(new Tenant { Id = $"{sj.Id}-t{i + 1}", SubjectId = sj.Id, Name = sj.Tenants[i], Room = $"{101 + i}", Origin = "湖南" });
                for (int i = 0; i < sj.Shops.Length; i++)
                    await s.InsertShopAsync(new Shop { Id = $"{sj.Id}-s{i + 1}", SubjectId = sj.Id, Name = sj.Shops[i] });
                var code = await NewCodeAsync(s, "subject", sj.Id, now);
                subjectsOut.Add(new { id = sj.Id, kind = sj.Kind.ToWire(), name = sj.Name, community = sj.Community, enrolmentCode = code, tenants = sj.Tenants, shops = sj.Shops });
            }
            await SeedScaleAsync(s, scale, entered, now);
            if (scale > 0 && scaleEvents > 0) await SeedScaleEventsAsync(s, scale, scaleEvents, now);
            return new { street = StreetId, staff = staffOut, subjects = subjectsOut };
        }, ct);
        if (credentials is null) return false;

        var dir = Path.GetDirectoryName(Path.GetFullPath(credentialsPath));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        // Staff bearer tokens (the officer's among them): for the user running the service only.
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(credentialsPath, file))
        {
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(credentialsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite); // an older file keeps its mode otherwise
            await JsonSerializer.SerializeAsync(stream, credentials, new JsonSerializerOptions
            {
                WriteIndented = true,
                Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            }, ct);
        }
        return true;
    }

    /// <summary>Load-test landlords: landlord i has tenant 租客i and is bound to chat account load-i on the emulator channel.</summary>
    private static async Task SeedScaleAsync(Session s, int scale, DateTimeOffset entered, DateTimeOffset now)
    {
        string[] communities = ["fangtang", "changchun"];
        for (int i = 0; i < scale; i++)
        {
            var id = $"load-{i}";
            await s.InsertSubjectAsync(new Subject { Id = id, StreetId = StreetId, CommunityId = communities[i % 2], Kind = SubjectKind.Landlord, Name = $"负载房东{i}" }, entered);
            await s.InsertTenantAsync(new Tenant { Id = $"{id}-t1", SubjectId = id, Name = $"租客{i}" });
            await s.BindChatAccountAsync(new ChatAccount { ChannelId = EmulatorChannel, UserId = id, PersonKind = "subject", PersonId = id, BoundAt = now });
        }
    }

    /// <summary>
    /// Benchmark ledger: approved events spread over the current cycle up to now, across the load landlords.
    /// One prepared command reused for every row — Dapper would prepare two million commands.
    /// </summary>
    private static async Task SeedScaleEventsAsync(Session s, int scale, int count, DateTimeOffset now)
    {
        var zone = Defaults.TimeZone;
        var cycleStart = CycleStart(now);
        var span = (now - cycleStart).Ticks;
        (string Code, int Delta)[] rules = [(DefaultRules.LandlordService, 1), (DefaultRules.LateReturn, -2), (DefaultRules.LandlordMediation, 1), (DefaultRules.LandlordReportedViolation, 2)];
        await using var cmd = s.Connection.CreateCommand();
        cmd.Transaction = s.Transaction;
        cmd.CommandText = "INSERT INTO score_events (id, street_id, community_id, subject_id, rule_code, rule_version, delta, occurred_at, week, cycle, reported_at, reporter_id, reporter_role, source, evidence, status) " +
                          "VALUES (@id, 'houzhai', @community, @subject, @rule, 1, @delta, @at, @week, @cycle, @at, @subject, 'Self', @source, 'scale', 'Approved')";
        string[] names = ["id", "community", "subject", "rule", "delta", "at", "week", "source", "cycle"];
        var ps = names.Select(n => { var p = cmd.CreateParameter(); p.ParameterName = "@" + n; cmd.Parameters.Add(p); return p; }).ToArray();
        var random = new Random(20260101);
        bool sqlite = s.Provider == StorageProvider.Sqlite;
        for (int i = 0; i < count; i++)
        {
            int subject = random.Next(scale);
            var rule = rules[random.Next(rules.Length)];
            var at = cycleStart + TimeSpan.FromTicks((long)(random.NextDouble() * span));
            ps[0].Value = $"scale-{i}";
            ps[1].Value = subject % 2 == 0 ? "fangtang" : "changchun";
            ps[2].Value = $"load-{subject}";
            ps[3].Value = rule.Code;
            ps[4].Value = rule.Delta;
            ps[5].Value = sqlite ? DateTimeOffsetHandler.ToText(at) : at;
            var week = Domain.Weeks.IsoWeek.Containing(at, zone);
            ps[6].Value = week.ToString();
            ps[8].Value = Domain.Weeks.ScoringCycle.Containing(week, CycleKind.WeekYear).Key;
            ps[7].Value = $"demo-scale:{i}";
            if (i == 0) cmd.Prepare();
            await cmd.ExecuteNonQueryAsync(s.CancellationToken);
        }
        await s.RebuildTotalsAsync();
    }

    private async Task<string> NewCodeAsync(Session s, string kind, string id, DateTimeOffset now)
    {
        var code = Ids.EnrolmentCode();
        // Demo codes live for a year so the demo keeps working past the usual seven days.
        await s.InsertEnrolmentCodeAsync(new EnrolmentCodeRow
        {
            Hash = _enrolment.HashOf(code), PersonKind = kind, PersonId = id, IssuedBy = "demo", IssuedAt = now, ExpiresAt = now + TimeSpan.FromDays(365),
        });
        return code;
    }

    // The demo street's settings are the defaults: a week-based year in Asia/Shanghai.
    private static readonly StreetSettings Defaults = new();

    /// <summary>When the demo street's running cycle began.</summary>
    private static DateTimeOffset CycleStart(DateTimeOffset now) =>
        Domain.Weeks.ScoringCycle.Containing(Domain.Weeks.IsoWeek.Containing(now, Defaults.TimeZone), Defaults.Cycle).Start(Defaults.TimeZone);
}
