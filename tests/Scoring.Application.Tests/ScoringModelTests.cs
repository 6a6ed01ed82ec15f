using System.Globalization;
using System.Text.Json;
using CsCheck;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;
using Xunit.Abstractions;

namespace Scoring.Application.Tests;

/// <summary>
/// Random days on a small street (five landlords and three shop heads in two communities), driven through the use
/// cases and checked after every step against a model of DESIGN.md's scoring rules written here, apart from the code:
/// who may report what, weekly caps, the rule version in force, balances of the current cycle, reward points, the
/// ranking and its ties, the red and black lists, publishing and corrections, people taken off the roster, brought back
/// and moved to the other community (a week's lists count those on the roster at some moment of it, each in the community
/// they were in at its end). Each sequence starts in a week of December
/// 2026, so the clock crosses 2026-W53 into the 2027 cycle. SCORING_MODEL_ITER runs more sequences (SCORING_MODEL_SEED
/// replays one CsCheck printed).
/// </summary>
public sealed class ScoringModelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Random_sequences_of_reports_decisions_publications_and_rule_changes_keep_the_scoring_rules()
    {
        var steps = 0;
        async Task RunAsync(Run run)
        {
            await using var world = await TestWorld.CreateAsync(run.Start);
            var street = new Street(world);
            await street.SetUpAsync();
            for (int i = 0; i < run.Ops.Length; i++)
            {
                try
                {
                    await street.DoAsync(run.Ops[i]);
                    await street.CheckAsync();
                }
                catch (Exception e) when (e is not StepFailed)
                {
                    throw new StepFailed($"step {i + 1}, {run.Ops[i]} at {world.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}: {e.Message}", e);
                }
                steps++;
            }
        }

        if (Environment.GetEnvironmentVariable("SCORING_MODEL_SEED") is { Length: > 0 } replay)
            await Sequence.SampleAsync(RunAsync, seed: replay, iter: 1, threads: 1, print: r => r.ToString());
        else if (int.TryParse(Environment.GetEnvironmentVariable("SCORING_MODEL_ITER"), out var iter))
            // A longer local run: random seeds, and CsCheck looks for a shorter failing sequence once one fails.
            await Sequence.SampleAsync(RunAsync, iter: iter, threads: 1, print: r => r.ToString());
        else
            // CI: the same sequences every run, a few seconds in all.
            for (uint i = 0; i < 24; i++)
                await Sequence.SampleAsync(RunAsync, seed: new PCG(i, 2027 + 53 * i).ToString(), iter: 1, threads: 1, print: r => r.ToString());
        output.WriteLine($"{steps} steps; " + string.Join(", ", Seen.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key}: {x.Value}")));
        // The sequences must reach what they are for, not only refusals: corrections that change a published list
        // (Amend makes them common), and weeks counting someone off the roster all of it or in the community they left.
        foreach (var what in new[] { "scored", "approved", "revoked", "cap-reached", "published", "red listed", "black listed", "rules changed", "late return charged",
                     "corrected", "left the roster", "left as a week began", "back on the roster", "moved", "off the roster all week", "counted where they were" })
            Assert.True(Seen.GetValueOrDefault(what) > 0, $"no sequence saw '{what}'");
    }

    /// <summary>How often the sequences reached each case, printed after the run.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Seen = new();
    private static void Saw(string what) => Seen.AddOrUpdate(what, 1, (_, n) => n + 1);

    private sealed class StepFailed(string message, Exception inner) : Exception(message, inner);

    // ---- Operations ----------------------------------------------------------------------------------------------

    public enum Who { Self, Secretary, OtherSecretary, GridWorker, Officer }
    public enum Verdict { Approve, Reject, Revoke }
    public enum Step { Minutes, Hours, Days, NextMonday, SundayNight }
    public enum RosterChange { Leave, Back, Move }

    public abstract record Op;
    /// <param name="Back">Minutes before now that it occurred (negative: ahead of the clock); null for now.</param>
    /// <param name="SameSource">Sent with the last report's source (a replay if it is the same report, else a reuse).</param>
    /// <param name="Times">How many such reports, each a message of its own (a busy week of services reaches the cap).</param>
    public sealed record Report(int Subject, int Rule, Who By, int? Back, bool SameSource, int Times = 1) : Op
    {
        public override string ToString() => $"Report({Subjects[Subject].Id}, {CodeOf(Rule, Subject)}, {By}, back {Back?.ToString(CultureInfo.InvariantCulture) ?? "-"} min{(SameSource ? ", same source" : "")}{(Times > 1 ? $", {Times} times" : "")})";
    }
    /// <param name="Again">The last return's tenant and arrival, in a new message.</param>
    public sealed record Return(int Landlord, int Tenant, int BackMinutes, bool Again) : Op;
    public sealed record Decide(int Pick, Verdict Verdict, Who By) : Op;
    public sealed record Advance(Step Step, int Amount) : Op;
    public sealed record Publish(SubjectKind Kind, int WeeksBack, bool Correction) : Op;
    public sealed record Redeem(int Subject, int Points, bool ByOfficer) : Op;
    /// <summary>The last report, return or decision sent again exactly (a retried message).</summary>
    public sealed record Repeat : Op;
    public sealed record ChangeRules(int Variant) : Op;
    /// <summary>
    /// An officer takes a subject off the roster, brings them back, or moves them to the other community; AtMonday at
    /// 00:00 of the next week (the clock goes there first): the moment a week begins, which still counts in that week.
    /// </summary>
    public sealed record Roster(int Subject, RosterChange Change, bool AtMonday) : Op;
    /// <summary>
    /// A secretary records, approved at once, what a subject did in a week whose list is published (Pick chooses the week,
    /// the subject and the day), and the officer publishes a correction: the path of a list that changes after publishing.
    /// </summary>
    public sealed record Amend(int Pick, int Rule) : Op;

    public sealed record Run(DateTimeOffset Start, Op[] Ops)
    {
        public override string ToString() => $"start {Start:yyyy-MM-dd HH:mm zzz}\n  " + string.Join("\n  ", Ops.Select(o => o.ToString()));
    }

    private static readonly (string Id, SubjectKind Kind, string Community, int Tenants)[] Subjects =
    [
        ("landlord-1", SubjectKind.Landlord, "fangtang", 2), ("landlord-2", SubjectKind.Landlord, "fangtang", 1),
        ("landlord-3", SubjectKind.Landlord, "fangtang", 2), ("landlord-4", SubjectKind.Landlord, "changchun", 1),
        ("landlord-5", SubjectKind.Landlord, "changchun", 2), ("shophead-1", SubjectKind.ShopHead, "changchun", 0),
        ("shophead-2", SubjectKind.ShopHead, "changchun", 0), ("shophead-3", SubjectKind.ShopHead, "fangtang", 0),
    ];

    private static readonly string[] RuleCodes = [.. DefaultRules.All.Select(r => r.Code), "no-such-rule"];

    // Most reports are of a rule of the subject's kind, a capped one often, about two landlords and two shop heads most
    // of the time: so caps are reached, balances tie and lists fill. The rest try anything (refusals are checked too).
    private static readonly Gen<int> AnySubject = Gen.Frequency((3, Gen.OneOf(0, 1, 5, 6)), (1, Gen.Int[0, Subjects.Length - 1]));
    private static readonly Gen<int> AnyRule = Gen.Frequency((3, Gen.Const(CappedRule)), (6, Gen.Int[0, 5]), (1, Gen.Int[AnyCode, AnyCode + RuleCodes.Length - 1]));
    private const int CappedRule = -1, AnyCode = 100;

    private static readonly Gen<Op> AnyOp = Gen.Frequency(
        (10, Gen.Select(AnySubject, AnyRule,
            Gen.Frequency((4, Gen.Const(Who.Self)), (4, Gen.Const(Who.Secretary)), (2, Gen.Const(Who.GridWorker)), (1, Gen.Const(Who.Officer)), (1, Gen.Const(Who.OtherSecretary))),
            Gen.Frequency((3, Gen.Const((int?)null)), (4, Gen.Int[1, 600].Select(m => (int?)m)), (3, Gen.Int[1440, 8 * 1440].Select(m => (int?)m)), (1, Gen.Int[600, 20 * 1440].Select(m => (int?)m)),
                (1, Gen.Int[-10, 0].Select(m => (int?)m)), (1, Gen.Int[59 * 1440, 62 * 1440].Select(m => (int?)m))),
            Gen.Int[0, 9].Select(i => i == 0), Gen.Frequency((5, Gen.Const(1)), (1, Gen.Int[2, 4])))
            .Select((s, r, w, b, same, times) => (Op)new Report(s, r, w, b, same, times))),
        (3, Gen.Select(Gen.Int[0, 4], Gen.Int[0, 1], Gen.Frequency((1, Gen.Int[-5, 60]), (2, Gen.Int[60, 4 * 1440])), Gen.Int[0, 3].Select(i => i == 0))
            .Select((l, t, b, again) => (Op)new Return(l, t, b, again))),
        (9, Gen.Select(Gen.Int[0, 1000], Gen.Frequency((6, Gen.Const(Verdict.Approve)), (2, Gen.Const(Verdict.Reject)), (2, Gen.Const(Verdict.Revoke))),
            Gen.Frequency((6, Gen.Const(Who.Secretary)), (2, Gen.Const(Who.Officer)), (1, Gen.Const(Who.OtherSecretary))))
            .Select((p, v, w) => (Op)new Decide(p, v, w))),
        (4, Gen.Select(Gen.Enum<Step>(), Gen.Int[1, 30]).Select((s, a) => (Op)new Advance(s, a))),
        (4, Gen.Select(Gen.Enum<SubjectKind>(), Gen.Frequency((1, Gen.Const(0)), (4, Gen.Const(1)), (2, Gen.Int[2, 3])), Gen.Int[0, 1].Select(i => i == 0))
            .Select((k, w, c) => (Op)new Publish(k, w, c))),
        (2, Gen.Select(AnySubject, Gen.Int[1, 4], Gen.Bool).Select((s, p, o) => (Op)new Redeem(s, p, o))),
        (2, Gen.Const<Op>(new Repeat())),
        (1, Gen.Int[0, RuleVariants - 1].Select(v => (Op)new ChangeRules(v))),
        (3, Gen.Select(AnySubject, Gen.Frequency((2, Gen.Const(RosterChange.Leave)), (3, Gen.Const(RosterChange.Back)), (1, Gen.Const(RosterChange.Move))), Gen.Int[0, 3].Select(i => i == 0))
            .Select((s, c, m) => (Op)new Roster(s, c, m))),
        (2, Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 5]).Select((p, r) => (Op)new Amend(p, r))));

    /// <summary>The code a report's rule pick stands for: the capped rule of the subject's kind, one of its rules, or any code.</summary>
    private static string CodeOf(int rule, int subject)
    {
        var kind = Subjects[subject].Kind;
        if (rule >= AnyCode) return RuleCodes[rule - AnyCode];
        var ofKind = Defaults.Where(r => r.Kind == kind).ToList();
        return rule == CappedRule ? ofKind.First(r => r.Cap is not null).Code : ofKind[rule % ofKind.Count].Code;
    }

    // From a Monday of December 2026 to 2027-W01, at any minute of the week: 2026-W53 and the new cycle are a few steps away.
    private static readonly Gen<Run> Sequence = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 7 * 24 * 60 - 1], AnyOp.Array[20, 50])
        .Select((week, minute, ops) => new Run(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(8)).AddDays(7 * week).AddMinutes(minute), ops));

    // ---- The model -----------------------------------------------------------------------------------------------

    private static readonly TimeSpan Houzhai = TimeSpan.FromHours(8);

    /// <summary>A week as DESIGN.md has them: ISO weeks, Monday 00:00 to Monday 00:00 in Houzhai (UTC+8, no daylight saving).</summary>
    private readonly record struct Wk(int Year, int Number)
    {
        public static Wk Of(DateTimeOffset t)
        {
            var local = (t.UtcDateTime + Houzhai).Date;
            return new Wk(ISOWeek.GetYear(local), ISOWeek.GetWeekOfYear(local));
        }
        public DateTimeOffset Start => new(ISOWeek.ToDateTime(Year, Number, DayOfWeek.Monday), Houzhai);
        public DateTimeOffset End => Start.AddDays(7);
        public Wk Back(int weeks) => Of(Start.AddDays(-7 * weeks));
        public IsoWeek Iso => new(Year, Number);
        public override string ToString() => $"{Year}-W{Number:D2}";
    }

    private sealed record MRule(string Code, SubjectKind Kind, int Delta, ReporterRole[] By, int? Cap);
    private sealed record MVersion(int Version, DateTimeOffset From, IReadOnlyList<MRule> Rules)
    {
        public MRule? Find(string code) => Rules.FirstOrDefault(r => string.Equals(r.Code, code, StringComparison.OrdinalIgnoreCase));
    }

    private static readonly ReporterRole[] SelfOrSecretary = [ReporterRole.Self, ReporterRole.Secretary];
    private static readonly ReporterRole[] Observer = [ReporterRole.GridWorker, ReporterRole.Secretary];

    /// <summary>DESIGN.md's default rules, written out again.</summary>
    private static readonly MRule[] Defaults =
    [
        new("tenant-violation-reported", SubjectKind.Landlord, +2, SelfOrSecretary, null),
        new("tenant-service", SubjectKind.Landlord, +1, SelfOrSecretary, 3),
        new("landlord-mediation", SubjectKind.Landlord, +1, SelfOrSecretary, null),
        new("late-return", SubjectKind.Landlord, -2, [ReporterRole.System], null),
        new("corridor-not-disinfected", SubjectKind.Landlord, -1, Observer, null),
        new("tenant-concealed", SubjectKind.Landlord, -6, Observer, null),
        new("shop-violation-reported", SubjectKind.ShopHead, +2, SelfOrSecretary, null),
        new("shop-reopen-helped", SubjectKind.ShopHead, +1, SelfOrSecretary, 3),
        new("shop-mediation", SubjectKind.ShopHead, +1, SelfOrSecretary, null),
        new("shop-opened-unregistered", SubjectKind.ShopHead, -2, Observer, null),
        new("round-missed", SubjectKind.ShopHead, -1, [ReporterRole.System, ReporterRole.GridWorker, ReporterRole.Secretary], null),
        new("shop-concealed", SubjectKind.ShopHead, -6, Observer, null),
    ];

    private const int RuleVariants = 4;

    /// <summary>An officer's change of the rules: other deltas and caps (the late return stays the system's).</summary>
    private static IReadOnlyList<MRule> Variant(int v) => v switch
    {
        0 => Defaults.Select(r => r.Code == "tenant-service" ? r with { Delta = 2, Cap = 2 } : r).ToList(),
        1 => Defaults.Select(r => r.Code is "landlord-mediation" or "shop-mediation" ? r with { Delta = 3, Cap = 1 } : r).ToList(),
        2 => Defaults.Select(r => r.Code switch
        {
            "corridor-not-disinfected" => r with { Delta = -3 },
            "round-missed" => r with { Delta = -2, Cap = 2 },
            "shop-reopen-helped" => r with { Cap = 1 },
            _ => r,
        }).ToList(),
        _ => Defaults,
    };

    private sealed class MEvent
    {
        public required string Id { get; init; }
        public required int Subject { get; init; }
        public required string Code { get; init; }
        public required int Version { get; init; }
        public required int Delta { get; init; }
        public required DateTimeOffset OccurredAt { get; init; }
        public required string ReporterId { get; init; }
        public required string Source { get; init; }
        public EventStatus Status { get; set; }
        public Wk Week => Wk.Of(OccurredAt);
        public bool Counts => Status is EventStatus.Pending or EventStatus.Approved;
    }

    private sealed record MReturn(string TenantId, DateTimeOffset Arrival, DateTimeOffset ReportedAt, bool Charged);

    /// <summary>One line of a list as the model ranks it.</summary>
    private sealed record Line(int Rank, string SubjectId, string Community, int Balance);
    private sealed record MList(IReadOnlyList<Line> Red, IReadOnlyList<Line> Black, int RuleVersion)
    {
        public bool SameAs(MList o) => RuleVersion == o.RuleVersion && Red.SequenceEqual(o.Red) && Black.SequenceEqual(o.Black);
    }
    private sealed record Figures(string SubjectId, string Community, int Balance, int CycleDeductions, int WeekAdditions, int WeekDeductions);

    private sealed record Revision(int Number, string Json, string Hash, MList Model);

    /// <summary>The street under test and its model, side by side.</summary>
    private sealed class Street(TestWorld world)
    {
        private readonly Rewards _rewards = new(world.Db, world.Clock);
        private readonly RuleBook _rules = new(world.Db, world.Clock);
        private readonly List<MVersion> _versions = [new(1, DateTimeOffset.MinValue, Defaults)];
        private readonly List<MEvent> _events = [];
        private readonly List<MReturn> _returns = [];
        private readonly HashSet<string> _returnSources = [];
        private readonly int[] _redeemed = new int[Subjects.Length];
        private readonly Dictionary<(Wk, SubjectKind), List<Revision>> _published = [];
        private Func<Task>? _repeat;
        private string? _lastSource;
        private (string TenantId, int Landlord, DateTimeOffset Arrival)? _lastReturn;
        private int _sources;
        private readonly Scoring.Application.Rosters _rosters = new(world.Db, world.Clock);
        private readonly string[] _community = [.. Subjects.Select(x => x.Community)];
        private readonly bool[] _active = [.. Subjects.Select(_ => true)];
        /// <summary>Spans off the roster: from Left to Back (null while still off), both moments on the roster.</summary>
        private readonly List<(int Subject, DateTimeOffset Left, DateTimeOffset? Back)> _absences = [];
        /// <summary>Moves: the community a subject was in until then (of two at one moment, the first).</summary>
        private readonly List<(int Subject, DateTimeOffset Until, string From)> _moves = [];
        private DateTimeOffset Now => world.Clock.GetUtcNow();

        public async Task SetUpAsync()
        {
            // A third shop head, in Fangtang: each kind then has subjects in both communities.
            await world.Db.WriteAsync(s => s.InsertSubjectAsync(new Subject
            {
                Id = "shophead-3", StreetId = "houzhai", CommunityId = "fangtang", Kind = SubjectKind.ShopHead, Name = "周海峰", Phone = "13900000013",
            }, Now));
        }

        private MVersion VersionAt(DateTimeOffset t) => _versions.Where(v => v.From <= t).MaxBy(v => v.Version) ?? _versions[0];

        private async Task<Actor> ActorAsync(Who who, int subject) => who switch
        {
            Who.Self => Actor.Of(await world.SubjectAsync(Subjects[subject].Id)),
            _ => Actor.Of(await world.StaffAsync(StaffId(who, subject))),
        };

        private string StaffId(Who who, int subject) => who switch
        {
            Who.Secretary => "secretary-" + _community[subject],
            Who.OtherSecretary => "secretary-" + Other(_community[subject]),
            Who.GridWorker => "gridworker-1",
            Who.Officer => "officer-1",
            _ => Subjects[subject].Id,
        };

        public Task DoAsync(Op op) => op switch
        {
            Report r => ReportAsync(r),
            Return r => ReturnAsync(r),
            Decide d => DecideAsync(d),
            Advance a => AdvanceAsync(a),
            Publish p => PublishAsync(p),
            Redeem r => RedeemAsync(r),
            Repeat => _repeat?.Invoke() ?? Task.CompletedTask,
            ChangeRules c => ChangeRulesAsync(c),
            Roster r => RosterAsync(r),
            Amend a => AmendAsync(a),
            _ => throw new InvalidOperationException(op.ToString()),
        };

        private async Task ReportAsync(Report op)
        {
            for (int i = 0; i < op.Times; i++) await ReportOnceAsync(op with { SameSource = op.SameSource && i == 0 });
        }

        private async Task ReportOnceAsync(Report op)
        {
            var source = op.SameSource && _lastSource is not null ? _lastSource : $"model:{++_sources}";
            _lastSource = source;
            var occurred = op.Back is { } back ? Now.AddMinutes(-back) : (DateTimeOffset?)null;
            var actor = await ActorAsync(op.By, op.Subject);
            var code = CodeOf(op.Rule, op.Subject);
            // A shop registers to reopen once a cycle: each reopening is of a shop of its own. Each report is of an act of its
            // own (the same addition again the same day is the one recorded, which the model does not follow).
            var evidence = code == "shop-reopen-helped" ? $"店铺 {source}" : $"现场记录 {source}";
            var request = new ReportRequest(actor, Subjects[op.Subject].Id, code, source, evidence, occurred);
            _repeat = async () => await SendReportAsync(request, op.Subject, op.By);
            await SendReportAsync(request, op.Subject, op.By);
        }

        private async Task SendReportAsync(ReportRequest request, int subject, Who by)
        {
            var outcome = await world.Reporting.ReportAsync(request);
            var now = Now;
            var code = request.RuleCode;
            if (_events.FirstOrDefault(e => e.Source == request.Source) is { } earlier)
            {
                if (earlier.ReporterId == request.Reporter.Id && earlier.Subject == subject && string.Equals(earlier.Code, code, StringComparison.OrdinalIgnoreCase))
                {
                    Assert.True(outcome.Succeeded, $"a replay was refused: {outcome.Failure?.Code}");
                    Assert.True(outcome.Value!.Replayed);
                    Assert.Equal(earlier.Id, outcome.Value.Event.Id);
                }
                else Assert.Equal("source-reused", outcome.Failure?.Code);
                return;
            }
            // Off the roster, nobody reports on them (a replay of an earlier report is still answered, above).
            if (!_active[subject])
            {
                Assert.Equal("subject-not-found", outcome.Failure?.Code);
                Saw("off the roster refused");
                return;
            }
            var occurred = request.OccurredAt ?? now;
            var refusals = new HashSet<string>();
            if (occurred > now.AddMinutes(5)) refusals.Add("in-future");
            if (occurred < now.AddDays(-60)) refusals.Add("too-old");
            var rule = VersionAt(occurred).Find(code);
            var kind = Subjects[subject].Kind;
            var role = by switch { Who.Self => ReporterRole.Self, Who.GridWorker => ReporterRole.GridWorker, _ => ReporterRole.Secretary };
            if (rule is null || rule.Kind != kind) refusals.Add("unknown-rule");
            else if (!rule.By.Contains(role)) refusals.Add("forbidden");
            // Staff report on the subjects in their scope: a secretary their community, the grid worker Fangtang's.
            if (by == Who.OtherSecretary || (by == Who.GridWorker && _community[subject] != "fangtang")) refusals.Add("forbidden");
            var week = Wk.Of(occurred);
            if (rule is { Cap: { } cap } && _events.Count(e => e.Subject == subject && e.Code == rule.Code && e.Week == week && e.Counts) >= cap)
                refusals.Add("cap-reached");
            if (rule?.Code == "round-missed" && _events.Any(e => e.Subject == subject && e.Code == rule.Code && e.Counts
                    && (e.OccurredAt.UtcDateTime + Houzhai).Date == (occurred.UtcDateTime + Houzhai).Date))
                refusals.Add("round-missed-recorded");

            if (refusals.Count > 0)
            {
                Assert.False(outcome.Succeeded, $"expected one of {string.Join(", ", refusals)}; it was scored");
                Assert.Contains(outcome.Failure!.Code, refusals);
                Saw(outcome.Failure.Code);
                return;
            }
            Assert.True(outcome.Succeeded, $"refused: {outcome.Failure?.Code} {outcome.Failure?.English}");
            var e = outcome.Value!.Event;
            // Secretaries of the subject's community and officers verify their own reports; anyone else's waits.
            var status = by is Who.Secretary or Who.Officer ? EventStatus.Approved : EventStatus.Pending;
            Assert.Equal((rule!.Code, rule.Delta, VersionAt(occurred).Version, status, occurred), (e.RuleCode, e.Delta, e.RuleVersion, e.Status, e.OccurredAt));
            Saw("scored");
            _events.Add(new MEvent
            {
                Id = e.Id, Subject = subject, Code = rule.Code, Version = VersionAt(occurred).Version, Delta = rule.Delta, OccurredAt = occurred,
                ReporterId = request.Reporter.Id, Source = request.Source, Status = status,
            });
        }

        private async Task ReturnAsync(Return op)
        {
            var (tenantId, landlord, arrival) = op.Again && _lastReturn is { } last
                ? last
                : ($"{Subjects[op.Landlord].Id}-t{op.Tenant % Subjects[op.Landlord].Tenants + 1}", op.Landlord, Now.AddMinutes(-op.BackMinutes));
            // A landlord off the roster has no powers in chat (the bot says so before any use case): not modelled here.
            if (!_active[landlord]) return;
            _lastReturn = (tenantId, landlord, arrival);
            var source = $"model-return:{++_sources}";
            var actor = await ActorAsync(Who.Self, landlord);
            _repeat = () => SendReturnAsync(actor, tenantId, landlord, arrival, source);
            await SendReturnAsync(actor, tenantId, landlord, arrival, source);
        }

        private async Task SendReturnAsync(Actor landlord, string tenantId, int subject, DateTimeOffset arrival, string source)
        {
            var outcome = await world.Reporting.ReportReturnAsync(landlord, tenantId, arrival, source);
            var now = Now;
            if (!_returnSources.Add(source))
            {
                Assert.True(outcome.Succeeded, outcome.Failure?.Code);
                return; // the same message again: the first answer, nothing new (the ledger checks say so)
            }
            if (arrival > now.AddMinutes(5) || arrival < now.AddYears(-1))
            {
                Assert.Contains(outcome.Failure?.Code, new[] { "in-future", "too-old" });
                _returnSources.Remove(source);
                return;
            }
            Assert.True(outcome.Succeeded, $"refused: {outcome.Failure?.Code} {outcome.Failure?.English}");
            var due = arrival.AddHours(24);
            var late = now > due;
            // One return is one fact: reported in time once, or charged once, a copy of it costs nothing (and is
            // answered as that first report was assessed).
            var same = _returns.Any(r => r.TenantId == tenantId && r.Arrival == arrival && (r.Charged || r.ReportedAt <= due));
            if (late && same)
            {
                Assert.True(outcome.Value!.AlreadyRecorded, $"the same return of {tenantId} (arrival {arrival:u}) was charged again");
                return;
            }
            Assert.Equal(late, outcome.Value!.Late);
            var rule = late ? VersionAt(due).Find("late-return") : null;
            var charged = rule is not null && rule.Kind == SubjectKind.Landlord && rule.By.Contains(ReporterRole.System)
                && !(rule.Cap is { } cap && _events.Count(e => e.Subject == subject && e.Code == rule.Code && e.Week == Wk.Of(due) && e.Counts) >= cap);
            Assert.Equal(charged, outcome.Value.Deduction is not null);
            if (charged)
            {
                Saw("late return charged");
                var e = outcome.Value.Deduction!.Event;
                Assert.Equal((rule!.Delta, VersionAt(due).Version, EventStatus.Pending, due), (e.Delta, e.RuleVersion, e.Status, e.OccurredAt));
                _events.Add(new MEvent
                {
                    Id = e.Id, Subject = subject, Code = rule.Code, Version = VersionAt(due).Version, Delta = rule.Delta, OccurredAt = due,
                    ReporterId = "system", Source = source + "#late", Status = EventStatus.Pending,
                });
            }
            _returns.Add(new MReturn(tenantId, arrival, now, charged));
        }

        private async Task DecideAsync(Decide op)
        {
            if (_events.Count == 0) return;
            // Mostly one of the latest reports, as a secretary works through the queue; now and then any.
            var e = op.Pick < 700 ? _events[^(1 + op.Pick % Math.Min(_events.Count, 3))] : _events[op.Pick % _events.Count];
            var staff = await world.StaffAsync(StaffId(op.By, e.Subject));
            _repeat = () => SendDecisionAsync(staff, e, op.Verdict, op.By);
            await SendDecisionAsync(staff, e, op.Verdict, op.By);
        }

        private async Task SendDecisionAsync(StaffMember staff, MEvent e, Verdict verdict, Who by)
        {
            var outcome = verdict switch
            {
                Verdict.Approve => await world.Verification.ApproveAsync(staff, e.Id),
                Verdict.Reject => await world.Verification.RejectAsync(staff, e.Id, "证据不足"),
                _ => await world.Verification.RevokeAsync(staff, e.Id, "核实有误"),
            };
            if (by == Who.OtherSecretary)
            {
                Assert.Equal("forbidden", outcome.Failure?.Code);
                return;
            }
            var (from, to) = verdict switch
            {
                Verdict.Approve => (EventStatus.Pending, EventStatus.Approved),
                Verdict.Reject => (EventStatus.Pending, EventStatus.Rejected),
                _ => (EventStatus.Approved, EventStatus.Revoked),
            };
            if (e.Status == to)
            {
                Assert.True(outcome.Succeeded, outcome.Failure?.Code);
                Assert.False(outcome.Value!.Changed);
            }
            else if (e.Status == from)
            {
                Assert.True(outcome.Succeeded, outcome.Failure?.Code);
                Assert.True(outcome.Value!.Changed);
                e.Status = to;
                Saw(to.ToString().ToLowerInvariant());
            }
            else Assert.Equal("wrong-status", outcome.Failure?.Code);
        }

        private Task AdvanceAsync(Advance op)
        {
            var now = Now;
            var to = op.Step switch
            {
                Step.Minutes => now.AddMinutes(op.Amount),
                Step.Hours => now.AddHours(op.Amount),
                Step.Days => now.AddDays(1 + op.Amount % 4),
                Step.NextMonday => Wk.Of(now).End.AddMinutes(op.Amount),
                // The week's last minutes: reports made then, dated a few minutes ahead, fall in the next week.
                _ => Wk.Of(now).End.AddMinutes(-op.Amount) is var late && late > now ? late : now.AddMinutes(1),
            };
            world.Clock.Advance(to - now);
            _repeat = null;
            return Task.CompletedTask;
        }

        private async Task RedeemAsync(Redeem op)
        {
            var staff = await world.StaffAsync(op.ByOfficer ? "officer-1" : "secretary-" + _community[op.Subject]);
            var outcome = await _rewards.RedeemAsync(staff, Subjects[op.Subject].Id, op.Points, "兑换米面油");
            var earned = Earned(op.Subject);
            if (op.Points > Math.Max(0, earned - _redeemed[op.Subject]))
            {
                Assert.Equal("not-enough-points", outcome.Failure?.Code);
                return;
            }
            Assert.True(outcome.Succeeded, outcome.Failure?.Code);
            _redeemed[op.Subject] += op.Points;
            _repeat = null;
        }

        private async Task ChangeRulesAsync(ChangeRules op)
        {
            var rules = Variant(op.Variant);
            var names = DefaultRules.All.ToDictionary(r => r.Code);
            var drafts = rules.Select(r => new RuleDraft(r.Code, names[r.Code].NameZh, names[r.Code].NameEn, r.Kind.ToWire(), r.Delta,
                r.By.Select(b => b.ToWire()).ToList(), true, r.Cap, names[r.Code].Once?.ToWire())).ToList(); // each code scored once as its default is
            var outcome = await _rules.PublishAsync(await world.StaffAsync("officer-1"), "houzhai", drafts);
            Assert.True(outcome.Succeeded, outcome.Failure?.English);
            var latest = _versions[^1];
            // The same rules as the newest version change nothing; others apply from the start of a week to come.
            if (latest.Rules.SequenceEqual(rules, RuleComparer.Instance))
            {
                Assert.Equal((latest.Version, false), (outcome.Value!.Set.Version, outcome.Value.Created));
                return;
            }
            var from = Wk.Of(Now + TimeSpan.FromMinutes(6.5)).End;
            Assert.Equal((latest.Version + 1, from), (outcome.Value!.Set.Version, outcome.Value.Set.EffectiveFrom));
            _versions.Add(new MVersion(latest.Version + 1, from, rules));
            Saw("rules changed");
            _repeat = null;
        }

        private sealed class RuleComparer : IEqualityComparer<MRule>
        {
            public static readonly RuleComparer Instance = new();
            public bool Equals(MRule? a, MRule? b) => a!.Code == b!.Code && a.Kind == b.Kind && a.Delta == b.Delta && a.Cap == b.Cap && a.By.SequenceEqual(b.By);
            public int GetHashCode(MRule r) => r.Code.GetHashCode(StringComparison.Ordinal);
        }

        private Task PublishAsync(Publish op) => PublishAsync(Wk.Of(Now).Back(op.WeeksBack), op.Kind, op.Correction);

        private async Task PublishAsync(Wk week, SubjectKind kind, bool correction)
        {
            var op = new Publish(kind, 0, correction);
            var officer = await world.StaffAsync("officer-1");
            var outcome = await world.Publication.PublishAsync(officer, "houzhai", week.Iso, op.Kind, op.Correction ? "核查后更正" : null);
            _repeat = null;
            if (Now < week.End)
            {
                Assert.Equal("week-not-over", outcome.Failure?.Code);
                return;
            }
            Assert.True(outcome.Succeeded, outcome.Failure?.English);
            var revisions = _published.TryGetValue((week, op.Kind), out var list) ? list : _published[(week, op.Kind)] = [];
            var model = ListOf(week, op.Kind);
            var got = outcome.Value!.List;
            // Publishing again without a correction, or a correction of a list that has not changed, gives the latest revision.
            if (revisions.Count > 0 && (!op.Correction || revisions[^1].Model.SameAs(model)))
            {
                Assert.False(outcome.Value.Created, $"{week} {op.Kind}: a new revision without a change");
                Assert.Equal((revisions[^1].Number, revisions[^1].Hash), (got.Revision, got.ContentHash));
                return;
            }
            Assert.True(outcome.Value.Created);
            Assert.Equal(revisions.Count + 1, got.Revision);
            AssertList(model, got, $"published {week} {op.Kind}");
            // A correction is a new revision with its reason and a hash of its own; the first publication has no reason.
            Assert.Equal(revisions.Count > 0 ? "核查后更正" : null, got.CorrectionReason);
            if (revisions.Count > 0) Assert.NotEqual(revisions[^1].Hash, got.ContentHash);
            revisions.Add(new Revision(got.Revision, JsonSerializer.Serialize(got), got.ContentHash, model));
            Saw(got.Revision == 1 ? "published" : "corrected");
            if (model.Red.Count > 0) Saw("red listed");
            if (model.Black.Count > 0) Saw("black listed");
            if (model.Red.Concat(model.Black).GroupBy(l => (model.Red.Contains(l), l.Rank)).Any(g => g.Count() > 1)) Saw("tie on a list");
        }

        private static string Other(string community) => community == "fangtang" ? "changchun" : "fangtang";

        private async Task RosterAsync(Roster op)
        {
            if (op.AtMonday) world.Clock.Advance(Wk.Of(Now).End - Now);
            var officer = await world.StaffAsync("officer-1");
            var i = op.Subject;
            // Bringing back is of someone off the roster, when there is anyone (else it changes nothing).
            var off = Enumerable.Range(0, Subjects.Length).Where(x => !_active[x]).ToList();
            if (op.Change == RosterChange.Back && off.Count > 0 && _active[i]) i = off[i % off.Count];
            var id = Subjects[i].Id;
            var now = Now;
            _repeat = null;
            var outcome = op.Change switch
            {
                RosterChange.Leave => await _rosters.DeactivateSubjectAsync(officer, id),
                RosterChange.Back => await _rosters.UpdateSubjectAsync(officer, id, new SubjectDraft(Active: true)),
                _ => await _rosters.UpdateSubjectAsync(officer, id, new SubjectDraft(Community: Other(_community[i]))),
            };
            Assert.True(outcome.Succeeded, outcome.Failure?.English);
            switch (op.Change)
            {
                case RosterChange.Leave when _active[i]:
                    _absences.Add((i, now, null));
                    _active[i] = false;
                    Saw(now == Wk.Of(now).Start ? "left as a week began" : "left the roster");
                    break;
                case RosterChange.Back when !_active[i]:
                    var open = _absences.FindIndex(a => a.Subject == i && a.Back is null);
                    _absences[open] = _absences[open] with { Back = now };
                    _active[i] = true;
                    Saw("back on the roster");
                    break;
                case RosterChange.Move:
                    if (!_moves.Any(m => m.Subject == i && m.Until == now)) _moves.Add((i, now, _community[i]));
                    _community[i] = Other(_community[i]);
                    Saw("moved");
                    break;
            }
            Assert.Equal((_community[i], _active[i]), (outcome.Value!.Subject.CommunityId, outcome.Value.Subject.Active));
        }

        private async Task AmendAsync(Amend op)
        {
            if (_published.Count == 0) return;
            // Mostly the latest week published, as an office finds a missed record soon after; now and then any.
            var keys = _published.Keys.OrderByDescending(k => k.Item1.Start).ThenBy(k => k.Item2).ToList();
            var (week, kind) = op.Pick < 700 ? keys[op.Pick % Math.Min(keys.Count, 2)] : keys[op.Pick % keys.Count];
            var ofKind = Enumerable.Range(0, Subjects.Length).Where(i => Subjects[i].Kind == kind).ToList();
            var subject = ofKind[op.Pick % ofKind.Count];
            var occurred = week.Start.AddDays(op.Pick % 7).AddHours(10);
            var actor = Actor.Of(await world.StaffAsync(StaffId(Who.Secretary, subject)));
            var request = new ReportRequest(actor, Subjects[subject].Id, CodeOf(op.Rule, subject), $"model:{++_sources}", "核查补录", occurred);
            _lastSource = request.Source;
            _repeat = null;
            await SendReportAsync(request, subject, Who.Secretary);
            await PublishAsync(week, kind, correction: true);
        }

        private int Earned(int subject) => _events.Where(e => e.Subject == subject && e.Status == EventStatus.Approved && e.Delta > 0).Sum(e => e.Delta);

        /// <summary>A subject's figures at the end of a week: the approved events of its cycle (the ISO week-year) up to then.</summary>
        private Figures FiguresOf(int subject, Wk week)
        {
            var counted = _events.Where(e => e.Subject == subject && e.Status == EventStatus.Approved && e.Week.Year == week.Year && e.OccurredAt < week.End).ToList();
            return new Figures(Subjects[subject].Id, CommunityAt(subject, week), 12 + counted.Sum(e => e.Delta), counted.Where(e => e.Delta < 0).Sum(e => -e.Delta),
                counted.Where(e => e.Week == week && e.Delta > 0).Sum(e => e.Delta), counted.Where(e => e.Week == week && e.Delta < 0).Sum(e => -e.Delta));
        }

        /// <summary>Competition ranks (1, 2, 2, 4) of <paramref name="figures"/> under <paramref name="better"/>; ties on every key share a rank.</summary>
        private static List<(int Rank, Figures F)> Ranked(IEnumerable<Figures> figures, Comparison<Figures> better)
        {
            var all = figures.ToList();
            return all.Select(f => (1 + all.Count(o => better(o, f) < 0), f)).OrderBy(x => x.Item1).ThenBy(x => x.f.SubjectId, StringComparer.Ordinal).ToList();
        }

        // Balance high first; then fewer deduction points in the cycle; then more addition points in the week.
        private static int BestFirst(Figures a, Figures b) =>
            a.Balance != b.Balance ? b.Balance.CompareTo(a.Balance)
            : a.CycleDeductions != b.CycleDeductions ? a.CycleDeductions.CompareTo(b.CycleDeductions)
            : b.WeekAdditions.CompareTo(a.WeekAdditions);

        /// <summary>
        /// Whether a subject counts in a week: on the roster at some moment of it (the moments of leaving and coming
        /// back included), that is, no span off it from before the week's start to its end or later.
        /// </summary>
        private bool CountsIn(int subject, Wk week) =>
            !_absences.Any(a => a.Subject == subject && a.Left < week.Start && (a.Back is not { } back || back >= week.End));

        /// <summary>The community a subject was in at a week's end: the one its first move since then left, else where it is.</summary>
        private string CommunityAt(int subject, Wk week) =>
            _moves.Where(m => m.Subject == subject && m.Until >= week.End).OrderBy(m => m.Until).Select(m => m.From).FirstOrDefault() ?? _community[subject];

        private IEnumerable<Figures> FiguresOf(SubjectKind kind, Wk week, string? community = null) =>
            Enumerable.Range(0, Subjects.Length).Where(i => Subjects[i].Kind == kind && CountsIn(i, week))
                .Select(i => FiguresOf(i, week)).Where(f => community is null || f.Community == community);

        private MList ListOf(Wk week, SubjectKind kind, string? community = null)
        {
            var figures = FiguresOf(kind, week, community).ToList();
            var red = Ranked(figures.Where(f => f.Balance > 12 && f.WeekDeductions == 0), BestFirst).Where(x => x.Rank <= 3);
            var black = Ranked(figures.Where(f => f.Balance < 12), (a, b) => BestFirst(b, a)).Where(x => x.Rank <= 3);
            return new MList([.. red.Select(x => new Line(x.Rank, x.F.SubjectId, x.F.Community, x.F.Balance))], [.. black.Select(x => new Line(x.Rank, x.F.SubjectId, x.F.Community, x.F.Balance))],
                VersionAt(week.End.AddTicks(-1)).Version);
        }

        private static void AssertList(MList model, PublishedList got, string what)
        {
            static string Text(IEnumerable<Line> lines) => string.Join(" ", lines.Select(l => $"{l.Rank}:{l.SubjectId}@{l.Community}({l.Balance})"));
            static IEnumerable<Line> Lines(IEnumerable<ListEntry> entries) =>
                entries.OrderBy(e => e.Rank).ThenBy(e => e.SubjectId, StringComparer.Ordinal).Select(e => new Line(e.Rank, e.SubjectId, e.Community, e.Balance));
            string wantRed = Text(model.Red), red = Text(Lines(got.Red)), wantBlack = Text(model.Black), black = Text(Lines(got.Black));
            Assert.True(wantRed == red, $"{what}: red list [{red}], model [{wantRed}]");
            Assert.True(wantBlack == black, $"{what}: black list [{black}], model [{wantBlack}]");
            Assert.Equal(model.RuleVersion, got.RuleSetVersion);
        }

        private static void AssertStandings(List<(int Rank, Figures F)> model, IReadOnlyList<StandingEntry> got) => Assert.Equal(
            string.Join(" ", model.Select(x => $"{x.Rank}:{x.F.SubjectId}@{x.F.Community}({x.F.Balance}/{x.F.CycleDeductions}/{x.F.WeekAdditions}/{x.F.WeekDeductions})")),
            string.Join(" ", got.OrderBy(e => e.Rank).ThenBy(e => e.SubjectId, StringComparer.Ordinal)
                .Select(e => $"{e.Rank}:{e.SubjectId}@{e.Community}({e.Balance}/{e.CycleDeductionPoints}/{e.WeekAdditionPoints}/{e.WeekDeductionPoints})")));

        // ---- Invariants, after every step ----

        public async Task CheckAsync()
        {
            var now = Now;
            var current = Wk.Of(now);
            for (int i = 0; i < Subjects.Length; i++)
            {
                var id = Subjects[i].Id;
                // The ledger holds exactly the model's events, each with the rule version and delta it was scored with.
                var stored = await world.Db.ReadAsync(s => s.EventsOfSubjectAsync(id, DateTimeOffset.MinValue));
                var mine = _events.Where(e => e.Subject == i).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
                Assert.Equal(
                    string.Join("\n", mine.Select(e => $"{e.Id} {e.Code} v{e.Version} {e.Delta:+0;-0} {e.OccurredAt.UtcDateTime:O} {e.Status}")),
                    string.Join("\n", stored.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => $"{e.Id} {e.RuleCode} v{e.RuleVersion} {e.Delta:+0;-0} {e.OccurredAt.UtcDateTime:O} {e.Status}")));

                // Balance = 12 + approved deltas of the current cycle; reward points = approved additions − redemptions.
                var card = (await world.Scores.CardAsync(id, recent: 0, withRank: false))!;
                var balance = 12 + _events.Where(e => e.Subject == i && e.Status == EventStatus.Approved && e.Week.Year == current.Year).Sum(e => e.Delta);
                Assert.True(balance == card.Balance, $"{id}: balance {card.Balance}, model {balance} at {now:u}");
                Assert.Equal((Earned(i), _redeemed[i]), (card.Rewards.Earned, card.Rewards.Redeemed));
            }

            // No subject has more pending or approved events under a capped rule in a week than the rule in force then allows.
            foreach (var g in _events.Where(e => e.Counts).GroupBy(e => (e.Subject, e.Code, e.Week)))
                if (VersionAt(g.Key.Week.Start).Find(g.Key.Code)?.Cap is { } cap)
                    Assert.True(g.Count() <= cap, $"{Subjects[g.Key.Subject].Id} has {g.Count()} × {g.Key.Code} in {g.Key.Week}, capped at {cap}");

            var officer = await world.StaffAsync("officer-1");
            var weeks = new HashSet<(Wk, SubjectKind)>(_published.Keys) { (current, SubjectKind.Landlord), (current, SubjectKind.ShopHead), (current.Back(1), SubjectKind.Landlord), (current.Back(1), SubjectKind.ShopHead) };
            foreach (var (week, kind) in weeks)
            {
                var preview = (await world.Publication.PreviewAsync(officer, "houzhai", week.Iso, kind)).Value!;
                var model = ListOf(week, kind);
                AssertList(model, preview.List, $"preview {week} {kind} at {now:u}");
                // Everyone's standing: ranks 1, 2, 2, 4 with the documented tie-breaks.
                AssertStandings(Ranked(FiguresOf(kind, week), BestFirst), preview.Standings);
                if (Enumerable.Range(0, Subjects.Length).Any(i => Subjects[i].Kind == kind && !CountsIn(i, week))) Saw("off the roster all week");
                if (Enumerable.Range(0, Subjects.Length).Any(i => Subjects[i].Kind == kind && CommunityAt(i, week) != _community[i])) Saw("counted where they were");
                // A community's view (its secretary's): those in it at the week's end, ranked among themselves.
                if (week == current || week == current.Back(1))
                    foreach (var community in new[] { "fangtang", "changchun" })
                    {
                        var own = (await world.Publication.PreviewAsync(officer, "houzhai", week.Iso, kind, community)).Value!;
                        AssertList(ListOf(week, kind, community), own.List, $"preview {week} {kind} of {community} at {now:u}");
                        AssertStandings(Ranked(FiguresOf(kind, week, community), BestFirst), own.Standings);
                    }

                if (!_published.TryGetValue((week, kind), out var revisions) || revisions.Count == 0) continue;
                // A published revision never changes; the preview has its hash while the list it froze still stands.
                foreach (var r in revisions)
                {
                    var read = await world.Publication.PublishedAsync("houzhai", week.Iso, kind, r.Number);
                    Assert.Equal(r.Json, JsonSerializer.Serialize(read));
                }
                Assert.Equal(revisions[^1].Json, JsonSerializer.Serialize(await world.Publication.PublishedAsync("houzhai", week.Iso, kind)));
                Assert.Equal(revisions[^1].Model.SameAs(model), preview.List.ContentHash == revisions[^1].Hash);
            }
        }
    }
}
