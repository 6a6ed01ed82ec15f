using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>撤回/搞错了: a landlord or shop head told their latest report and how to have it corrected.</summary>
public sealed partial class ConversationHandler
{
    /// <summary>The line every report's receipt ends with: how to say it was wrong.</summary>
    private static (string Zh, string En) UndoHint => ("\n报错了？发「撤回」。", "\nWrong? Send \"undo\".");

    /// <summary>
    /// 撤回, 搞错了, 报错了 (or 撤销) from a landlord or shop head: their latest report — what, when, its id and status — and how
    /// it is corrected: a pending one is rejected by the secretary (驳回), an approved one revoked, a late return's charge
    /// waived once the return is sent again with the right time (README, a correction of the same stay). Nothing changes
    /// here: a report is undone by the secretary's decision, which is audited and notified as every decision is. A step under
    /// way was dropped by the command (the person just said something went wrong), which is said.
    /// </summary>
    private async Task<Activity> MistakeAsync(ChatTurn turn, DialogState? dropped)
    {
        var zh = new List<string>();
        var en = new List<string>();
        if (dropped is not null)
        {
            zh.Add($"已放弃正在进行的「{CommandWord(dropped.Verb, true)}」，这一步没有记录。");
            en.Add($"The \"{CommandWord(dropped.Verb, false)}\" under way is dropped; nothing of it was recorded.");
        }
        var speaking = turn.Subject!;
        foreach (var record in turn.Who!.Several ? turn.Who.Records.ToList() : [speaking])
        {
            turn.SpeakAs(record);
            var (z, e) = await LatestReportAsync(turn, named: turn.Who.Several);
            zh.Add(z);
            en.Add(e);
        }
        turn.SpeakAs(speaking);
        return turn.Ask(string.Join("\n", zh), string.Join("\n", en), Menu(turn));
    }

    /// <summary>
    /// The speaker's latest own report among their recent records (a late return's charge counts as the return's), and how to
    /// have it corrected. Read from the subject's recent records (ix_score_events_subject); a return reported in time has no
    /// record of points and no id: it is told by the tenant and the arrival, and corrected by sending it again.
    /// </summary>
    private static async Task<(string Zh, string En)> LatestReportAsync(ChatTurn turn, bool named)
    {
        var subject = turn.Subject!;
        var (whoZh, whoEn) = named ? ($"{subject.Name}：", $"{subject.Name}: ") : ("", "");
        var landlord = subject.Kind == SubjectKind.Landlord;
        var (returnsZh, returnsEn) = landlord
            ? ("\n按时上报的返回不扣分，也没有编号：到达时间报错了，按正确的到达时间再发一次「返回 租客 时间」即可。",
                "\nA return reported in time costs nothing and has no id: if its arrival was wrong, send \"return <tenant> <time>\" again with the right time.")
            : ("", "");
        var latest = (await turn.S.RecentEventsAsync(subject.Id, 20))
            .FirstOrDefault(e => e.ReporterId == subject.Id || e.RuleCode == DefaultRules.LateReturn);
        if (latest is null)
            return ($"{whoZh}您最近的上报：没有待核查或已计分的记录。{returnsZh}", $"{whoEn}Your latest report: none pending or counted.{returnsEn}");

        var zone = await turn.ZoneAsync();
        var rules = await Reporting.RuleSetOfAsync(turn.S, subject.StreetId, turn.Now);
        var rule = rules.Find(latest.RuleCode) ?? DefaultRules.All.FirstOrDefault(r => r.Code == latest.RuleCode);
        var (nameZh, nameEn) = (rule?.NameZh ?? latest.RuleCode, rule?.NameEn ?? latest.RuleCode);
        var what = latest.Evidence is { Length: > 0 } evidence ? $"（{Phrases.Quote(evidence)}）" : "";
        var whatEn = latest.Evidence is { Length: > 0 } ? $" ({Phrases.Quote(latest.Evidence)})" : "";
        var id = latest.Id;
        var head = $"{whoZh}您最近的上报：{Phrases.Day(latest.ReportedAt, zone, true)} {nameZh}{what} {Phrases.Delta(latest.Delta)}，编号 {id}，{Phrases.Status(latest.Status, latest.Delta, true)}。";
        var headEn = $"{whoEn}Your latest report: {Phrases.Day(latest.ReportedAt, zone, false)} {nameEn}{whatEn} {Phrases.Delta(latest.Delta)}, id {id}, {Phrases.Status(latest.Status, latest.Delta, false)}.";
        var late = latest.RuleCode == DefaultRules.LateReturn;
        var (howZh, howEn) = (latest.Status, late) switch
        {
            (EventStatus.Pending, true) => (
                $"\n到达时间报错了：按正确的到达时间再发一次「返回 租客 时间」，再请书记免除这条（编号 {id}）。",
                $"\nIf the arrival was wrong: send \"return <tenant> <time>\" again with the right time, then ask your secretary to waive this one (id {id})."),
            (EventStatus.Pending, false) => (
                $"\n上报错了，请告诉书记驳回这条（编号 {id}），驳回后不计分。",
                $"\nIf it was wrong, ask your secretary to reject it (id {id}); rejected, it does not count."),
            (EventStatus.Approved, _) => (
                $"\n这条已通过。确实报错了，请告诉书记撤销这条（编号 {id}）。",
                $"\nIt is approved. If it really was wrong, ask your secretary to revoke it (id {id})."),
            _ => ("\n这条已不计分，不用再更正。", "\nIt no longer counts; nothing to correct."),
        };
        return (head + howZh + (late ? "" : returnsZh), headEn + howEn + (late ? "" : returnsEn));
    }
}
