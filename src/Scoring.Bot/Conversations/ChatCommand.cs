using System.Text;

namespace Scoring.Bot.Conversations;

/// <summary>What a chat message asks for: the contract's commands, in Chinese or English.</summary>
public enum Verb
{
    /// <summary>Nothing recognisable: the bot answers with help (or, in a guided step, takes it as the answer).</summary>
    Unknown,
    /// <summary>An empty message (a sticker, a blank line).</summary>
    Empty,
    Bind,
    Return,
    Service,
    Violation,
    Mediate,
    Reopen,
    Round,
    Score,
    List,
    Help,
    Cancel,
    Deduct,
    Pending,
    Approve,
    Reject,
    /// <summary>An approved record taken back, with a reason (撤销 <编号> <原因>), as the API's revoke.</summary>
    Revoke,
    /// <summary>A secretary or officer issues someone an enrolment code (not <see cref="Bind"/>, which uses one).</summary>
    IssueCode,
    Publish,
    /// <summary>The account stops speaking for one of its records (解绑 <姓名>).</summary>
    Unbind,
    /// <summary>The street's weekly work report (工作周报), for officers and secretaries.</summary>
    WeeklyReport,
}

/// <summary>
/// A parsed message: the verb, what follows it, and the whole text. <see cref="Glued"/> says the verb
/// was written without a space before its argument (返回王小明), which in a guided step is more likely
/// an answer than a new command.
/// </summary>
public sealed record ChatCommand(Verb Verb, string Rest, string Text, bool Glued = false)
{
    public static ChatCommand Empty { get; } = new(Verb.Empty, "", "");

    /// <summary>The argument split at white space.</summary>
    public IReadOnlyList<string> Words => CommandParser.SplitWords(Rest);
}

/// <summary>
/// Reads a chat message into a <see cref="ChatCommand"/>. Either language works for anyone; full-width
/// letters, digits and spaces count as their ASCII forms; a leading slash (Telegram's /help) is ignored, but for
/// /start with a code after it (<see cref="IsStart"/>).
/// Never throws.
/// </summary>
public static class CommandParser
{
    private static readonly (string Word, Verb Verb)[] Words =
    [
        ("绑定", Verb.Bind), ("绑定码", Verb.Bind), ("bind", Verb.Bind),
        ("返回", Verb.Return), ("租客返回", Verb.Return), ("return", Verb.Return), ("returned", Verb.Return),
        ("代办", Verb.Service), ("service", Verb.Service),
        ("违规", Verb.Violation), ("举报", Verb.Violation), ("violation", Verb.Violation),
        ("调解", Verb.Mediate), ("mediate", Verb.Mediate), ("mediation", Verb.Mediate),
        ("复工", Verb.Reopen), ("reopen", Verb.Reopen),
        ("巡查", Verb.Round), ("round", Verb.Round), ("patrol", Verb.Round),
        ("积分", Verb.Score), ("我的积分", Verb.Score), ("分数", Verb.Score), ("score", Verb.Score), ("points", Verb.Score), ("balance", Verb.Score),
        ("榜单", Verb.List), ("红黑榜", Verb.List), ("排行榜", Verb.List), ("list", Verb.List), ("board", Verb.List), ("ranking", Verb.List),
        ("帮助", Verb.Help), ("菜单", Verb.Help), ("你好", Verb.Help), ("help", Verb.Help), ("menu", Verb.Help), ("start", Verb.Help),
        ("hi", Verb.Help), ("hello", Verb.Help), ("?", Verb.Help), ("？", Verb.Help),
        ("取消", Verb.Cancel), ("算了", Verb.Cancel), ("退出", Verb.Cancel), ("cancel", Verb.Cancel), ("quit", Verb.Cancel), ("stop", Verb.Cancel),
        ("扣分", Verb.Deduct), ("deduct", Verb.Deduct),
        ("待核查", Verb.Pending), ("待审核", Verb.Pending), ("核查", Verb.Pending), ("pending", Verb.Pending), ("queue", Verb.Pending),
        ("通过", Verb.Approve), ("批准", Verb.Approve), ("同意", Verb.Approve), ("approve", Verb.Approve),
        ("驳回", Verb.Reject), ("拒绝", Verb.Reject), ("不通过", Verb.Reject), ("reject", Verb.Reject),
        ("撤销", Verb.Revoke), ("revoke", Verb.Revoke),
        // Not 绑定码: a landlord writing 「绑定码 AB12CD34」, as their code was handed to them, means to bind with it.
        ("发码", Verb.IssueCode), ("发绑定码", Verb.IssueCode), ("code", Verb.IssueCode),
        ("发布", Verb.Publish), ("发布榜单", Verb.Publish), ("publish", Verb.Publish),
        ("解绑", Verb.Unbind), ("解除绑定", Verb.Unbind), ("unbind", Verb.Unbind), ("unlink", Verb.Unbind),
        // "weekly report" is two words: the handler drops the second.
        ("周报", Verb.WeeklyReport), ("工作周报", Verb.WeeklyReport), ("weekly", Verb.WeeklyReport), ("weekly-report", Verb.WeeklyReport),
    ];

    private static readonly Dictionary<string, Verb> ByWord = Words.ToDictionary(w => w.Word, w => w.Verb, StringComparer.OrdinalIgnoreCase);

    // Chinese verbs may be glued to their argument (返回王小明); the longest word wins (待核查 before 核查).
    private static readonly (string Word, Verb Verb)[] GluedWords =
        Words.Where(w => w.Word[0] > 0x2E80).OrderByDescending(w => w.Word.Length).ToArray();

    public static ChatCommand Parse(string? text)
    {
        var clean = Clean(text);
        if (clean.Length == 0) return ChatCommand.Empty;
        var body = clean.TrimStart('/', '／').TrimStart();
        if (body.Length == 0) return new ChatCommand(Verb.Unknown, "", clean);

        var split = IndexOfSpace(body);
        var first = split < 0 ? body : body[..split];
        // A command addressed to one bot in a group, as Telegram writes it: /score@scoring_bot.
        if (clean[0] is '/' or '／' && first.IndexOfAny(['@', '＠']) is > 0 and var at) first = first[..at];
        var rest = split < 0 ? "" : Argument(body[(split + 1)..]);
        if (ByWord.TryGetValue(TrimPunctuation(first), out var verb))
        {
            if (verb == Verb.Help && rest.Length > 0 && clean[0] is '/' or '／' && IsStart(first)) verb = Verb.Bind;
            return new ChatCommand(verb, rest, clean);
        }

        foreach (var (word, glued) in GluedWords)
        {
            if (body.StartsWith(word, StringComparison.Ordinal))
                return new ChatCommand(glued, Argument(body[word.Length..]), clean, Glued: true);
        }
        return new ChatCommand(Verb.Unknown, body, clean);
    }

    /// <summary>
    /// /start with a word after it is a Telegram deep link followed (t.me/&lt;bot&gt;?start=&lt;code&gt; sends "/start &lt;code&gt;"):
    /// the code is entered as 绑定's is. Plain /start, and start typed without the slash, stay the greeting.
    /// </summary>
    private static bool IsStart(string word) => word.Equals("start", StringComparison.OrdinalIgnoreCase);

    /// <summary>The words of an argument; white space of any width separates them.</summary>
    public static IReadOnlyList<string> SplitWords(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Record ids as secretaries list them: apart by white space or by the commas, 、 and semicolons people put between
    /// the items of a list (「通过 K8TYAB8JP，0ZQSHM8HV、16G7Z7F8V」). Ids themselves hold letters and digits only.
    /// </summary>
    public static IReadOnlyList<string> SplitIds(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(IdSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static readonly char[] IdSeparators = [' ', '\t', '\u3000', ',', '，', '、', ';', '；', '/'];

    /// <summary>
    /// Folds full-width forms (ＡＢＣ１２３, the ideographic space) to ASCII, drops control characters and format characters
    /// and trims. Chinese punctuation (，：（）！？) is kept as typed: notes and reasons are stored and read as written,
    /// and the commands read it as well as its ASCII forms. Text that cannot be normalised (lone surrogates) is kept as it came.
    /// </summary>
    /// <remarks>
    /// The invisible characters text pasted from a web page or a forwarded message brings — zero-width spaces, a joiner or
    /// non-joiner that joins nothing, a word joiner, a byte-order mark, a soft hyphen, the direction marks — are dropped:
    /// 「\u200B积分」, or a code with one after it, reads as it looks. A joiner that is part of what is seen is kept (an emoji's,
    /// 👨‍👩‍👧; a Persian word's non-joiner), as free text keeps it (<see cref="Scoring.Application.RosterText.JoinerIsSeen"/>); and so
    /// is a direction override or isolate, which reorders what is seen: a note's is refused saying why (RosterText.Text).
    /// Text with none of these — nearly every message — is scanned once and comes back as it was, trimmed.
    /// </remarks>
    public static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var folded = text.AsSpan().IndexOfAnyInRange('\uFF01', '\uFF5E') < 0 ? Fold(text) : FoldAroundPunctuation(text);
        var first = folded.AsSpan().IndexOfAny(Unseen);
        if (first < 0) return folded.Trim();
        var kept = new StringBuilder(folded.Length);
        kept.Append(folded, 0, first);
        for (int i = first; i < folded.Length; i++)
        {
            var c = folded[i];
            if (!Unseen.Contains(c)) kept.Append(c);
            else if (c is '\n' or '\r' or '\t') kept.Append(' ');
            else if (c is '\u200C' or '\u200D' && Scoring.Application.RosterText.JoinerIsSeen(folded, i)) kept.Append(c);
        }
        return kept.ToString().Trim();
    }

    private static string FoldAroundPunctuation(string text)
    {
        var folded = new StringBuilder(text.Length);
        int run = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !IsFullWidthPunctuation(text[i])) continue;
            folded.Append(Fold(text[run..i]));
            if (i < text.Length) folded.Append(text[i]);
            run = i + 1;
        }
        return folded.ToString();
    }

    /// <summary>Control characters, and the invisible ones pasted text brings (see <see cref="Clean"/>), found in one vectorised scan.</summary>
    private static readonly System.Buffers.SearchValues<char> Unseen = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(char.IsControl),
            '\u00AD', '\u061C', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u2060', '\uFEFF']);

    private static string Fold(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    /// <summary>，：（）！？ and the like: the full-width forms that are not letters or digits.</summary>
    private static bool IsFullWidthPunctuation(char c) => c is >= '\uFF01' and <= '\uFF5E' && !char.IsLetterOrDigit(c);

    private static int IndexOfSpace(string text)
    {
        for (int i = 0; i < text.Length; i++)
            if (char.IsWhiteSpace(text[i])) return i;
        return -1;
    }

    /// <summary>What follows a command word, without the colon people put after it (绑定码：AB12CD34, 返回: 王小明).</summary>
    private static string Argument(string rest) => rest.Trim().TrimStart(':', '：').Trim();

    private static string TrimPunctuation(string word)
    {
        var trimmed = word.TrimEnd('。', '.', '!', '！', '?', '？', ':', '：', ',', '，');
        return trimmed.Length == 0 ? word : trimmed;
    }
}
