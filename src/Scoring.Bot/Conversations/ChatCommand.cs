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
    /// <summary>
    /// A landlord or shop head says a report of theirs was wrong (撤回, 搞错了; 撤销 from them): they are shown their latest
    /// report and how to have it corrected. Nothing changes: deciding is the secretary's.
    /// </summary>
    Mistake,
}

/// <summary>
/// A parsed message: the verb, what follows it, and the whole text. <see cref="Glued"/> says the verb
/// was written without a space before its argument (返回王小明), which in a guided step is more likely
/// an answer than a new command.
/// </summary>
public sealed record ChatCommand(Verb Verb, string Rest, string Text, bool Glued = false)
{
    public static ChatCommand Empty { get; } = new(Verb.Empty, "", "");

    /// <summary>
    /// For an unknown message whose first word sounds like a command that writes, or is one split by a space (反回 王小明 昨天,
    /// 返 回 …): the line as it was likely meant (返回 王小明 昨天), offered as a button and never run on the guess. Null otherwise.
    /// </summary>
    public string? Meant { get; init; }

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
        // What people say after a wrong report (撤销 from a landlord or shop head is read as this by the handler).
        ("撤回", Verb.Mistake), ("搞错了", Verb.Mistake), ("报错了", Verb.Mistake), ("弄错了", Verb.Mistake), ("填错了", Verb.Mistake),
        ("写错了", Verb.Mistake), ("undo", Verb.Mistake), ("withdraw", Verb.Mistake), ("mistake", Verb.Mistake),
    ];

    /// <summary>
    /// The traditional forms of the command words' characters (積分, 綁定, 幫助, 違規, 調解, 代辦, 撤銷, 駁回, 發佈, 週報…), as phones
    /// set to 繁體 and Cantonese or Taiwanese keyboards write them: one character for one, so positions stay where they were.
    /// Only the command word is read through it; what follows is kept as typed.
    /// </summary>
    private static readonly Dictionary<char, char> Simplified = new()
    {
        ['綁'] = '绑', ['碼'] = '码', ['辦'] = '办', ['違'] = '违', ['規'] = '规', ['舉'] = '举', ['報'] = '报', ['調'] = '调',
        ['復'] = '复', ['積'] = '积', ['數'] = '数', ['單'] = '单', ['紅'] = '红', ['幫'] = '帮', ['審'] = '审', ['過'] = '过',
        ['駁'] = '驳', ['絕'] = '绝', ['銷'] = '销', ['發'] = '发', ['佈'] = '布', ['週'] = '周', ['錯'] = '错', ['帶'] = '带',
    };

    private static readonly System.Buffers.SearchValues<char> Traditional = System.Buffers.SearchValues.Create([.. Simplified.Keys]);

    /// <summary>
    /// Words pinyin input and dictation put for a command word (基分 for 积分, 反回 for 返回, 带办 for 代办). 待办 is no command
    /// of ours: a landlord who writes it means 代办. A write is only offered, never run, on such a guess.
    /// </summary>
    private static readonly (string Heard, string Word)[] Homophones =
    [
        ("基分", "积分"), ("鸡分", "积分"), ("机分", "积分"), ("积份", "积分"),
        ("反回", "返回"), ("返会", "返回"), ("反会", "返回"),
        ("带办", "代办"), ("待办", "代办"),
        ("调节", "调解"), ("邦定", "绑定"), ("帮定", "绑定"),
    ];

    /// <summary>Commands that only read (and 撤回's answer, which only reads): named inside a short message, they are answered.</summary>
    private static bool OnlyReads(Verb verb) => verb is Verb.Score or Verb.List or Verb.Help or Verb.Mistake;

    // Longer than this, a message naming 积分 is more likely a complaint or a report in words than the question.
    private const int ShortMessage = 10;

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
        // The command word as if typed in simplified characters; the argument is taken from the text as typed.
        var words = body.AsSpan().IndexOfAny(Traditional) < 0 ? body : ToSimplified(body);

        var split = IndexOfSpace(body);
        var first = split < 0 ? words : words[..split];
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
            if (!words.StartsWith(word, StringComparison.Ordinal)) continue;
            // 返回，王小明 (dictation's comma after the first word spoken) is the word and its argument, as with a space.
            var separated = body.Length > word.Length && Array.IndexOf(AfterWord, body[word.Length]) >= 0;
            return new ChatCommand(glued, Argument(body[word.Length..]), clean, Glued: !separated);
        }
        return Guess(body, words, clean) ?? new ChatCommand(Verb.Unknown, body, clean);
    }

    /// <summary>
    /// An unknown message read for what it likely means: a command word misheard (基分, 反回) or split by a space (返 回),
    /// or a short message naming one read (查积分, 我的分数是多少). A read is answered — marked <see cref="ChatCommand.Glued"/>,
    /// so in a step under way it is still the step's answer; a write is only offered (<see cref="ChatCommand.Meant"/>).
    /// Null when nothing is guessed. Only messages no command word starts with come here.
    /// </summary>
    private static ChatCommand? Guess(string body, string words, string clean)
    {
        foreach (var (heard, word) in Homophones)
            if (words.StartsWith(heard, StringComparison.Ordinal))
                return Guessed(ByWord[word], word, Argument(body[heard.Length..]), body, clean);
        if (Split(body, words) is var (verb, command, rest)) return Guessed(verb, command, rest, body, clean);
        if (words.Length > ShortMessage) return null;
        Verb? named = null;
        foreach (var (word, verb2) in GluedWords)
        {
            // A greeting inside a message (你好，我想查积分) is no question of its own.
            if (word.Length < 2 || verb2 == Verb.Help && word == "你好" || !words.Contains(word, StringComparison.Ordinal)) continue;
            if (named is { } other && other != verb2) return null; // two commands named: which is meant is not guessed
            named = verb2;
        }
        return named is { } only && OnlyReads(only) ? new ChatCommand(only, "", clean, Glued: true) : null;
    }

    private static ChatCommand Guessed(Verb verb, string word, string rest, string body, string clean) => OnlyReads(verb)
        ? new ChatCommand(verb, rest, clean, Glued: true)
        : new ChatCommand(Verb.Unknown, body, clean) { Meant = rest.Length == 0 ? word : $"{word} {rest}" };

    /// <summary>A command word typed with a space inside (返 回 王小明, 待 核查): the word, and the argument after it.</summary>
    private static (Verb Verb, string Word, string After)? Split(string body, string words)
    {
        var split = IndexOfSpace(words);
        if (split is < 1 or > 2 || !Names.IsCjk(words[split - 1])) return null;
        var joined = new StringBuilder(words[..split]);
        var typed = new StringBuilder(body[..split]);
        var at = split;
        // Up to three pieces: a command word has at most four characters.
        for (int piece = 1; piece < 3 && at < words.Length; piece++)
        {
            while (at < words.Length && char.IsWhiteSpace(words[at])) at++;
            if (at == words.Length || !Names.IsCjk(words[at])) return null;
            var end = IndexOfSpace(words[at..]) is var e and >= 0 ? at + e : words.Length;
            var before = joined.Length;
            joined.Append(words, at, end - at);
            typed.Append(body, at, end - at);
            var sofar = joined.ToString();
            foreach (var (word, verb) in GluedWords)
                if (word.Length > before && sofar.StartsWith(word, StringComparison.Ordinal))
                    return (verb, word, string.Join(' ', SplitWords(typed.ToString()[word.Length..] + " " + body[end..])));
            if (!Array.Exists(GluedWords, w => w.Word.StartsWith(sofar, StringComparison.Ordinal))) return null;
            at = end;
        }
        return null;
    }


    private static string ToSimplified(string text) => string.Create(text.Length, text, static (span, from) =>
    {
        for (int i = 0; i < from.Length; i++) span[i] = Simplified.TryGetValue(from[i], out var simple) ? simple : from[i];
    });

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
        // char.IsControl's two ranges, C0 and DEL with C1, written out rather than found by testing every char at start.
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c),
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

    /// <summary>
    /// What follows a command word, without the colon people put after it (绑定码：AB12CD34, 返回: 王小明) or the comma, 、 or
    /// full stop speech-to-text puts after the first word spoken (返回，王小明，昨天晚上八点。).
    /// </summary>
    private static string Argument(string rest) => rest.Trim().TrimStart(AfterWord).Trim();

    private static readonly char[] AfterWord = [':', '：', ',', '，', '、', '。', '.', '!', '！', '?', '？'];

    private static string TrimPunctuation(string word)
    {
        var trimmed = word.TrimEnd('。', '.', '!', '！', '?', '？', ':', '：', ',', '，');
        return trimmed.Length == 0 ? word : trimmed;
    }
}
