using System.Text.Json.Nodes;
using Scoring.Application;

namespace Scoring.Bot.Conversations;

/// <summary>
/// One Adaptive Card per pending item: who, what, when, the evidence and the points, with an Approve
/// button and a Reject button that carries the reason typed into the card. A press comes back as a
/// message whose value is <c>{action, id, reason}</c>.
/// </summary>
public static class PendingCards
{
    public const string ReasonInput = "reason";

    /// <summary>
    /// Evidence can run to 2,000 characters: ten cards of it (emoji are 12 bytes each in the JSON) would pass what
    /// channels take in one message (Teams ~80 KB, offline-directline 100 kB), and a refused reply is never answered.
    /// The card shows the start; the whole is on the event's page.
    /// </summary>
    public const int MaxEvidenceShown = 300;

    public static JsonObject For(PendingItem item, string reporter, TimeZoneInfo zone, DateTimeOffset now, bool zh)
    {
        var e = item.Event;
        var rule = zh ? item.RuleNameZh : item.RuleNameEn;
        var kind = Phrases.Kind(item.Kind, zh);
        var facts = new JsonArray { Fact(zh ? "编号" : "Id", e.Id) };
        // A street's queue (an officer's) names each item's community: which secretary to call, which of two of one name.
        if (item.Community is { } community) facts.Add(Fact(zh ? "社区" : "Community", community));
        facts.Add(Fact(zh ? "分值" : "Points", Phrases.Delta(e.Delta)));
        facts.Add(Fact(zh ? "发生" : "Occurred", Phrases.When(e.OccurredAt, zone, now, zh)));
        // The reporter may carry a role in brackets already (钱晓东（网格员）): no brackets around it.
        facts.Add(Fact(zh ? "上报" : "Reported", zh ? $"{Phrases.When(e.ReportedAt, zone, now, true)}，{reporter}上报" : $"{Phrases.When(e.ReportedAt, zone, now, false)} by {reporter}"));
        facts.Add(Fact(zh ? "说明" : "Evidence", e.Evidence.Length == 0 ? (zh ? "（无）" : "(none)") : Phrases.Clip(e.Evidence, MaxEvidenceShown)));
        var flags = new List<string>();
        // A record about the reader (OwnRecords): shown, so the queue's count adds up, but with nothing to press.
        if (item.Own) flags.Add(zh ? "关于您本人的记录：由街道干部（或本社区其他书记）核查" : "about you: a street officer (or another secretary of your community) decides it");
        if (item.Escalated) flags.Add(zh ? "已上报街道" : "escalated to the street");
        if (item.Overdue)
            flags.Add(item.OverdueSinceEarlierDay ? zh ? "已超过核查时限" : "overdue" : zh ? "已超过当日核查时限" : "past today's deadline");
        // The same failure reported twice (two grid workers, a grid worker and the secretary): the copy is hers to reject.
        if (item.SameDay is { } same)
            flags.Add(zh ? $"同一天已有记录 {same.Id}（{Phrases.Status(same.Status, true)}）" : $"another record the same day: {same.Id} ({Phrases.Status(same.Status, false)})");
        // A late return whose arrival the landlord corrected afterwards: perhaps a typo, the charge hers to waive.
        if (item.LaterArrival is { } later)
            flags.Add(zh ? $"之后又上报 {Phrases.When(later, zone, now, true)} 到达" : $"reported again later, arrived {Phrases.When(later, zone, now, false)}");
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = zh ? $"{item.SubjectName}（{kind}{TellApart(item, true, " · ")}）" : $"{item.SubjectName} ({kind}{TellApart(item, false, ", ")})", ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = $"{rule}  {Phrases.Delta(e.Delta)}", ["wrap"] = true },
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
        if (flags.Count > 0)
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(" · ", flags), ["color"] = "Attention", ["wrap"] = true });
        if (!item.Own)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Input.Text",
                ["id"] = ReasonInput,
                ["placeholder"] = zh ? "驳回原因（驳回时必填，当事人会看到）" : "Reason (required to reject; they will read it)",
                ["maxLength"] = 500,
            });
        }
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.3",
            ["body"] = body,
            ["actions"] = item.Own ? new JsonArray() : new JsonArray
            {
                Submit(zh ? "通过" : "Approve", "approve", e.Id, "positive"),
                Submit(zh ? "驳回" : "Reject", "reject", e.Id, "destructive"),
            },
        };
    }

    /// <summary>
    /// What tells the item's person from another of the same name in the queue (尾号0099, or their id without a phone),
    /// after <paramref name="separator"/>; empty when no one shares the name.
    /// </summary>
    public static string TellApart(PendingItem item, bool zh, string separator) =>
        !item.NameShared ? "" : separator + (item.PhoneLastFour is { } four ? (zh ? $"尾号{four}" : $"phone …{four}") : item.Event.SubjectId);

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    private static JsonObject Submit(string title, string action, string id, string style) => new()
    {
        ["type"] = "Action.Submit",
        ["title"] = title,
        ["style"] = style,
        ["data"] = new JsonObject { ["action"] = action, ["id"] = id },
    };
}
