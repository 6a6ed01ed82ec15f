using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// An account speaking for several landlord/shop-head records (a landlord who is also a shop head, in one street or two):
/// each command goes to the record it is about, named by its tenant or shop, or asked for when that leaves a choice.
/// </summary>
public sealed partial class ConversationHandler
{
    /// <summary>Kept in a dialog's values: the record (subject id) an account of several began it for.</summary>
    private const string AsRecord = "as-record";

    /// <summary>The step of a dialog waiting to be told which record a command is for.</summary>
    private const string RecordStep = "record";

    /// <summary>The commands that act as one record, and so may need to pick it.</summary>
    private static bool ActsAsOneRecord(Verb verb) => verb is Verb.Return or Verb.Service or Verb.Violation or Verb.Mediate or Verb.Reopen or Verb.Round;

    /// <summary>The records of the account that may give <paramref name="verb"/>.</summary>
    private static List<Subject> RecordsFor(ChatTurn turn, Verb verb) => turn.Who!.Records.Where(r => Allowed(turn.Who.As(r), verb)).ToList();

    /// <summary>
    /// Which record a command is for: the only one that may give it, or the only one with the tenant or shop the line names.
    /// Otherwise the question (and the dialog waiting on its answer); both null when no record may give it at all.
    /// </summary>
    private async Task<(Subject? Record, Activity? Question)> ChooseRecordAsync(ChatTurn turn, Verb verb, string rest)
    {
        var fits = RecordsFor(turn, verb);
        if (fits.Count <= 1) return (fits.FirstOrDefault(), null);
        if (rest.Length > 0 && verb is Verb.Return or Verb.Service or Verb.Violation or Verb.Reopen)
        {
            Subject? named = null;
            int count = 0;
            foreach (var record in fits)
                if (await NamesOneOfAsync(turn, record, rest)) { named = record; count++; }
            if (count == 1) return (named, null);
        }
        var values = new Dictionary<string, string>();
        if (rest.Length > 0) values[LineRest] = rest;
        turn.Next = new DialogState(verb, RecordStep, values);
        return (null, await AskRecordAsync(turn, verb, fits, null));
    }

    private async Task<Activity> AskRecordAsync(ChatTurn turn, Verb verb, IReadOnlyList<Subject> fits, string? complaint)
    {
        var labels = new List<string>(fits.Count + 1);
        foreach (var record in fits) labels.Add(await LabelAsync(turn, record));
        labels.Add(turn.T("取消", "cancel"));
        var lead = complaint is null ? "" : complaint + "\n";
        var word = CommandWord(verb, turn.Zh);
        return turn.Ask(lead + $"此账号代表多个身份，这次「{word}」是为哪一个？", lead + $"This account speaks for several people: which one is this \"{word}\" for?", labels);
    }

    /// <summary>The answer to which record a command is for; the command then goes on as that record, with the rest of its line.</summary>
    private async Task<List<Activity>> AnswerRecordAsync(ChatTurn turn, DialogState state, string answer)
    {
        var fits = turn.Who is { Several: true } ? RecordsFor(turn, state.Verb) : [];
        if (fits.Count == 0)
        {
            turn.Next = null;
            return [await HelpAsync(turn, null)];
        }
        var text = answer.Trim();
        Subject? chosen = null;
        var matches = 0;
        foreach (var record in fits)
        {
            var label = await LabelAsync(turn, record);
            if (string.Equals(label, text, StringComparison.OrdinalIgnoreCase)) { chosen = record; matches = 1; break; }
            if (text.Length > 0 && (label.Contains(text, StringComparison.OrdinalIgnoreCase) || text == Phrases.Kind(record.Kind, turn.Zh))) { chosen = record; matches++; }
        }
        if (matches != 1)
        {
            turn.Next = state;
            return [await AskRecordAsync(turn, state.Verb, fits, turn.T("请点选其中一个。", "Please pick one of them."))];
        }
        turn.SpeakAs(chosen!);
        var values = new Dictionary<string, string>(state.Values);
        var rest = values.Remove(LineRest, out var kept) ? kept : "";
        turn.Next = null;
        if (state.Verb == Verb.Round) return [await RoundAsync(turn, rest)];
        values[AsRecord] = chosen!.Id;
        return await FillAsync(turn, state.Verb, values, 0, rest, guided: false);
    }

    /// <summary>Whether the line starts with (or names) one of the record's tenants or shops.</summary>
    private static async Task<bool> NamesOneOfAsync(ChatTurn turn, Subject record, string text)
    {
        var firstWord = CommandParser.SplitWords(text) is [var w, ..] ? w : "";
        if (record.Kind == SubjectKind.Landlord)
        {
            var tenants = (await turn.S.ListTenantsAsync(record.Id)).Where(t => t.Active).ToList();
            // A person's name whole (张伟 is not 张伟华), as the tenant step reads it.
            return Names.Person(tenants, t => t.Name, text) is not null;
        }
        var shops = (await turn.S.ListShopsAsync(record.Id)).Where(x => x.Active).ToList();
        return (Names.Lead(shops, x => x.Name, text) ?? Names.Within(shops, x => x.Name, text, firstWord)) is not null;
    }

    /// <summary>A record told apart from the account's others: name, kind and community.</summary>
    private static async Task<string> LabelAsync(ChatTurn turn, Subject record) =>
        Phrases.Record(record, (await turn.S.GetCommunityAsync(record.CommunityId))?.Name, turn.Zh);

    /// <summary>Who the account speaks for, each record named, for a reply's first line.</summary>
    private static async Task<string> RecordsLineAsync(ChatTurn turn)
    {
        var labels = new List<string>();
        foreach (var record in turn.Who!.Records) labels.Add(await LabelAsync(turn, record));
        return turn.T($"此账号同时代表：{string.Join("、", labels)}。", $"This account speaks for: {string.Join("; ", labels)}.");
    }

    /// <summary>An answer given once for each of the account's records (积分: each record's card).</summary>
    private static async Task<List<Activity>> EachRecordAsync(ChatTurn turn, IEnumerable<Subject> records, Func<ChatTurn, Task<Activity>> answer)
    {
        var speaking = turn.Subject!;
        var replies = new List<Activity>();
        foreach (var record in records.ToList())
        {
            turn.SpeakAs(record);
            replies.Add(await answer(turn));
        }
        turn.SpeakAs(speaking);
        return replies;
    }

    /// <summary>
    /// 解绑: the account stops speaking for one of its records (named, or pressed from the list offered); the others stay.
    /// </summary>
    private async Task<Activity> UnbindAsync(ChatTurn turn, string rest)
    {
        var who = turn.Who!;
        var options = new List<(string Kind, string Id, string Label)>();
        if (who.Staff is { } staff)
            options.Add(("staff", staff.Id, turn.T($"{staff.Name}（{Phrases.Role(staff.Role, true)}）", $"{staff.Name} ({Phrases.Role(staff.Role, false)})")));
        else
            foreach (var record in who.Several ? who.Records : [who.Subject!])
                options.Add(("subject", record.Id, await LabelAsync(turn, record)));
        var text = rest.Trim();
        var words = CommandParser.SplitWords(text);
        var found = options.Where(o => string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (found.Count == 0 && words.Count > 0)
            found = options.Where(o => words.All(w => o.Label.Contains(w, StringComparison.OrdinalIgnoreCase))).ToList();
        var command = turn.T("解绑", "unbind");
        if (found.Count != 1)
            return turn.Ask(
                (text.Length == 0 ? "" : $"「{Phrases.Quote(text)}」没有对上此账号代表的某一个人。") + "要让此账号不再代表谁？请点选：",
                (text.Length == 0 ? "" : $"\"{Phrases.Quote(text)}\" is not one of those this account speaks for. ") + "Which one should this account stop speaking for? Pick one:",
                [.. options.Select(o => $"{command} {o.Label}"), turn.T("取消", "cancel")]);
        var gone = found[0];
        await enrolment.UnbindInAsync(turn.S, turn.Inbound.ChannelId!, turn.Inbound.From!.Id!, gone.Kind, gone.Id);
        turn.Who = await Enrolment.IdentifyInAsync(turn.S, turn.Inbound.ChannelId!, turn.Inbound.From!.Id!);
        var said = turn.T($"此账号不再代表{gone.Label}。", $"This account no longer speaks for {gone.Label}.");
        if (turn.Who is null)
            return turn.Ask(said + turn.T("如需重新绑定，请向村/社区书记索取新的绑定码，发送「绑定 绑定码」。", " To link it again, ask your secretary for a new code and send \"bind <code>\"."),
                [turn.T("绑定", "bind"), turn.T("帮助", "help")]);
        return await HelpAsync(turn, said);
    }
}
