using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scoring.Bot.Conversations;
using Scoring.Reliability.Tests.World;

namespace Scoring.Reliability.Tests.Bot.Conversations;

/// <summary>Who speaks in the chat: the demo's people, bound through the chat, and someone never bound.</summary>
public enum ChatRole { Landlord, ShopHead, GridWorker, Secretary, OtherSecretary, Officer, Unbound }

/// <summary>
/// Every chat command × every kind of speaker (a secretary of the community the command is about, and one of the
/// other community): the right refusal, or success — and a refusal never changes the ledger. The commands come from
/// the parser's <see cref="Verb"/> list, so a new command without expectations fails here. (The HTTP routes have
/// their matrix in Scoring.Service.Tests.)
/// </summary>
public sealed class ChatAuthorizationMatrixTests
{
    // Everything is about 方塘村 (fangtang): landlord-1 and gridworker-1 live there; the shop head is in 长春社区.
    private static readonly Dictionary<ChatRole, string> People = new()
    {
        [ChatRole.Landlord] = "landlord-1", [ChatRole.ShopHead] = "shophead-1", [ChatRole.GridWorker] = "gridworker-1",
        [ChatRole.Secretary] = "secretary-fangtang", [ChatRole.OtherSecretary] = "secretary-changchun", [ChatRole.Officer] = "officer-1",
    };

    private const string LandlordsOnly = "这是房东的命令", ShopHeadsOnly = "这是铺长的命令", SubjectsOnly = "这是房东和铺长的命令",
        NoOwnScore = "工作人员没有个人积分", DeductIsStaffs = "扣分由网格员或书记上报", VerifyIsSecretaries = "核查由书记和街道工作人员处理",
        NotTheirCommunity = "不属于您核查的社区", NotInArea = "在您负责的范围内找不到", BindFirst = "请先绑定", PublishIsOfficers = "发布红黑榜由街道工作人员负责";
    private const string CodesAreStaffs = "绑定码由书记和街道工作人员发放", ReportIsSecretaries = "工作周报由书记和街道工作人员查看";
    private const string LatestReport = "您最近的上报";

    private static readonly string[] Refusals = [LandlordsOnly, ShopHeadsOnly, SubjectsOnly, NoOwnScore, DeductIsStaffs, VerifyIsSecretaries, NotTheirCommunity, NotInArea, BindFirst, CodesAreStaffs, PublishIsOfficers, ReportIsSecretaries];

    /// <summary>What a speaker must get: success (the reply says so; effects change the ledger) or a named refusal (nothing changes).</summary>
    private sealed record Expect(bool Allowed, string? Marker, bool Changes = false)
    {
        public static Expect Ok(string? marker = null, bool changes = false) => new(true, marker, changes);
        public static Expect No(string refusal) => new(false, refusal);
    }

    /// <summary>One command: the text a role sends (an event id is filled in when the command needs one) and what each role gets.</summary>
    private sealed record Case(Verb Verb, Func<ChatRole, string, string> Text, Func<ChatRole, Expect> Expected);

    private static Expect SubjectsMay(ChatRole role, Expect ok, string refusal) => role switch
    {
        ChatRole.Unbound => Expect.No(BindFirst),
        ChatRole.Landlord or ChatRole.ShopHead => ok,
        _ => Expect.No(refusal),
    };

    private static Expect LandlordMay(ChatRole role, Expect ok) => role switch
    {
        ChatRole.Unbound => Expect.No(BindFirst),
        ChatRole.Landlord => ok,
        _ => Expect.No(LandlordsOnly),
    };

    private static Expect ShopHeadMay(ChatRole role, Expect ok) => role switch
    {
        ChatRole.Unbound => Expect.No(BindFirst),
        ChatRole.ShopHead => ok,
        _ => Expect.No(ShopHeadsOnly),
    };

    private static Expect VerifierMay(ChatRole role, Expect ok) => role switch
    {
        ChatRole.Unbound => Expect.No(BindFirst),
        ChatRole.Secretary or ChatRole.Officer => ok,
        ChatRole.OtherSecretary => Expect.No(NotTheirCommunity),
        _ => Expect.No(VerifyIsSecretaries),
    };

    private static readonly Case[] Cases =
    [
        new(Verb.Bind, (_, _) => "绑定 ZZZZ9999", _ => Expect.Ok("绑定码不正确")),
        new(Verb.Return, (_, _) => "返回 王小明 今天 08:00", r => LandlordMay(r, Expect.Ok("已登记"))),
        new(Verb.Service, (_, _) => "代办 王小明 代买生活用品", r => LandlordMay(r, Expect.Ok("已上报", changes: true))),
        new(Verb.Violation, (r, _) => r == ChatRole.ShopHead ? "违规 饰品店 未登记营业" : "违规 王小明 夜间喧哗", r => SubjectsMay(r, Expect.Ok("已上报", changes: true), SubjectsOnly)),
        new(Verb.Mediate, (_, _) => "调解 邻里噪音纠纷已调解", r => SubjectsMay(r, Expect.Ok("已上报", changes: true), SubjectsOnly)),
        new(Verb.Reopen, (_, _) => "复工 汽配二号店", r => ShopHeadMay(r, Expect.Ok("已上报", changes: true))),
        new(Verb.Round, (_, _) => "巡查", r => ShopHeadMay(r, Expect.Ok("巡查已记录"))),
        new(Verb.Score, (_, _) => "积分", r => SubjectsMay(r, Expect.Ok("的当前积分"), NoOwnScore)),
        new(Verb.List, (_, _) => "榜单", r => r == ChatRole.Unbound ? Expect.No(BindFirst) : Expect.Ok()),
        new(Verb.Help, (_, _) => "帮助", r => r == ChatRole.Unbound ? Expect.No(BindFirst) : Expect.Ok()),
        new(Verb.Cancel, (_, _) => "取消", _ => Expect.Ok("现在没有进行中的操作")),
        new(Verb.Deduct, (_, _) => "扣分 landlord-1 corridor-not-disinfected 楼道未按时消毒", r => r switch
        {
            ChatRole.Unbound => Expect.No(BindFirst),
            ChatRole.Landlord or ChatRole.ShopHead => Expect.No(DeductIsStaffs),
            ChatRole.OtherSecretary => Expect.No(NotInArea),
            _ => Expect.Ok("已上报", changes: true),
        }),
        new(Verb.Pending, (_, _) => "待核查", r => r switch
        {
            ChatRole.Unbound => Expect.No(BindFirst),
            ChatRole.Secretary or ChatRole.Officer or ChatRole.OtherSecretary => Expect.Ok("待核查"),
            _ => Expect.No(VerifyIsSecretaries),
        }),
        new(Verb.Approve, (_, id) => $"通过 {id}", r => VerifierMay(r, Expect.Ok("已通过", changes: true))),
        new(Verb.Reject, (_, id) => $"驳回 {id} 查无此事", r => VerifierMay(r, Expect.Ok("已驳回", changes: true))),
        // The record is pending: a verifier is told it cannot be revoked (驳回 is for that), and nothing changes.
        // From a landlord or shop head 撤销 is "my report was wrong" (撤回): they are shown their latest report, nothing changes.
        new(Verb.Revoke, (_, id) => $"撤销 {id} 核实为误报", r => r is ChatRole.Landlord or ChatRole.ShopHead ? Expect.Ok(LatestReport) : VerifierMay(r, Expect.Ok("不能改为已撤销"))),
        new(Verb.Mistake, (_, _) => "撤回", r => SubjectsMay(r, Expect.Ok(LatestReport), SubjectsOnly)),
        new(Verb.IssueCode, (_, _) => "发码 王秀兰", r => r switch
        {
            ChatRole.Unbound => Expect.No(BindFirst),
            ChatRole.Landlord or ChatRole.ShopHead or ChatRole.GridWorker => Expect.No(CodesAreStaffs),
            ChatRole.OtherSecretary => Expect.No(NotInArea),
            _ => Expect.Ok("生成绑定码"),
        }),
        // Named nobody: whoever is bound is asked which of those the account speaks for it should stop speaking for.
        new(Verb.Unbind, (_, _) => "解绑", r => r == ChatRole.Unbound ? Expect.No(BindFirst) : Expect.Ok("不再代表谁")),
        // A secretary of either community reads their own community's figures; an officer the street's.
        new(Verb.WeeklyReport, (_, _) => "周报", r => r switch
        {
            ChatRole.Unbound => Expect.No(BindFirst),
            ChatRole.Secretary or ChatRole.OtherSecretary or ChatRole.Officer => Expect.Ok("工作周报（"),
            _ => Expect.No(ReportIsSecretaries),
        }),
        // The officer sees the preview (or that it is published already); nothing is published before a confirmation.
        new(Verb.Publish, (_, _) => "发布 上周 房东", r => r switch
        {
            ChatRole.Unbound => Expect.No(BindFirst),
            ChatRole.Officer => Expect.Ok("红黑榜"),
            _ => Expect.No(PublishIsOfficers),
        }),
    ];

    [Fact]
    public void Every_chat_command_has_expectations_for_every_role()
    {
        var covered = Cases.Select(c => c.Verb).ToHashSet();
        var missing = Enum.GetValues<Verb>().Where(v => v is not (Verb.Unknown or Verb.Empty) && !covered.Contains(v)).ToList();
        Assert.True(missing.Count == 0, "Chat commands without expectations: " + string.Join(", ", missing));
        Assert.Equal(Cases.Length, covered.Count);
    }

    [Fact]
    public async Task Every_chat_command_gets_the_right_refusal_or_success_for_every_role_and_refusals_change_nothing()
    {
        await ReliabilityWorld.RunAsync(async world =>
        {
            using var chat = world.Client();
            using var gridWorker = world.Client("gridworker-1");
            int n = 0;
            async Task<string> SayAsync(ChatRole role, string text)
            {
                var user = role == ChatRole.Unbound ? "nobody" : "chat-" + People[role];
                using var response = await world.PostActivityAsync(chat, ReliabilityWorld.Message(user, text, $"m-{n++}", locale: "zh-CN"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return string.Join("\n", ReliabilityWorld.ReplyTexts(await response.Content.ReadAsStringAsync()));
            }
            foreach (var (role, person) in People)
                Assert.Contains("绑定成功", await SayAsync(role, $"绑定 {world.CodeOf(person)}"));

            var failures = new List<string>();
            int allowed = 0, refused = 0;
            foreach (var c in Cases)
            {
                foreach (var role in Enum.GetValues<ChatRole>())
                {
                    // A fresh pending deduction in 方塘村 for the commands that decide one.
                    var pending = await gridWorker.PostKeyedAsJsonAsync("/api/subjects/landlord-2/events", new { rule = "corridor-not-disinfected", evidence = $"矩阵 {c.Verb} {role}" });
                    using var pendingBody = JsonDocument.Parse(await pending.Content.ReadAsStringAsync());
                    var eventId = pendingBody.RootElement.GetProperty("id").GetString()!;
                    await SayAsync(role, "取消"); // nothing left under way from the last case
                    var before = world.LedgerFingerprint();
                    var reply = await SayAsync(role, c.Text(role, eventId));
                    var changed = world.LedgerFingerprint() != before;
                    var expected = c.Expected(role);
                    var refusal = Refusals.FirstOrDefault(reply.Contains);
                    string? wrong = expected.Allowed
                        ? refusal is not null ? $"refused ({refusal})" : expected.Marker is { } m && !reply.Contains(m) ? $"no '{m}'" : expected.Changes && !changed ? "nothing changed" : null
                        : !reply.Contains(expected.Marker!) ? $"not refused with '{expected.Marker}'" : changed ? "refused but the ledger changed" : null;
                    if (wrong is not null) failures.Add($"{c.Verb} × {role}: {wrong}\n    said: {c.Text(role, eventId)}\n    reply: {reply.ReplaceLineEndings(" / ")}");
                    if (expected.Allowed) allowed++; else refused++;
                }
            }
            Assert.True(failures.Count == 0, $"{failures.Count} of {allowed + refused} cases wrong:\n" + string.Join("\n", failures));
            Figures.Record("chat-matrix", new Dictionary<string, object> { ["cases"] = allowed + refused, ["allowed"] = allowed, ["refused"] = refused });
        });
    }
}
