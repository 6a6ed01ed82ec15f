using System.Text.Json;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Conversations;

/// <summary>
/// The conversations of landlords, shop heads, grid workers and secretaries. Each turn runs once: its
/// effect (through the use cases, never a rule of its own), the dialog state, the processed-activity
/// record with the replies and — unless the client expects the replies in the response — the outbox
/// entries are written in one transaction, so an activity delivered again changes nothing and gets the
/// same answer.
/// </summary>
public sealed partial class ConversationHandler(
    TurnRecorder recorder,
    TimeProvider time,
    Reporting reporting,
    Verification verification,
    Publication publication,
    Enrolment enrolment,
    Scores scores,
    WeeklyReports weeklyReports,
    PublicAddress publicAddress) : IActivityHandler
{
    public async Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct)
    {
        // A question changes nothing, so it is answered beside the single writer, which then at most records the
        // activity with its replies. A turn that turns out to need more (a greeting, a dialog to end) goes the full way.
        // Read once, here: not again for the turn, nor inside the single writer.
        var command = CommandOf(activity);
        // Where others read along, the bot speaks when spoken to: the rest of the talk is not its turn, and leaves no trace.
        if (command is not null && activity.InSharedConversation && !AddressedToBot(activity, command))
        {
            return TurnOutcome.Silent;
        }
        if (command is null && IsRevision(activity)) return await RevisedAsync(activity, expectReplies, ct);
        if (IsQuestion(activity, command)
            && await recorder.AnswerReadingAsync(activity, expectReplies, s => AnswerAsync(s, activity, command, onlyIfReading: true), ct) is { } answered)
        {
            return answered;
        }
        // One key for the de-duplication record and the ledger source: both are the same hash of the activity's ids.
        var key = TurnRecorder.KeyOf(activity);
        return await recorder.RunOnceAsync(activity, expectReplies, async s => (await AnswerAsync(s, activity, command, key: key))!, ct, key);
    }

    /// <summary>What a message asks for; some channels send a card button's title as text beside its data, and the data decides. Null for other activities.</summary>
    private static ChatCommand? CommandOf(Activity a) =>
        !Is(a.Type, ActivityTypes.Message) ? null
        : a.IsCardSubmit || IsCardData(a.Value) ? FromCard(a.Value)
        : CommandParser.Parse(a.TextToBot);

    /// <summary>
    /// A message in a shared conversation meant for the bot: one that names it (a mention, a leading 「@名字」), a /command, a
    /// card's or button's data, just 「榜单」 or 「帮助」 — the words the group is told it may send, and the titles of the
    /// buttons offered there, which arrive as typed — or a reply to one of the bot's messages (<see cref="Activity.RepliesToBot"/>).
    /// Read from what the message carries: no statement.
    /// </summary>
    private static bool AddressedToBot(Activity a, ChatCommand command) =>
        a.Value is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) }
        || a.MentionsRecipient
        || a.Text?.TrimStart() is ['/' or '／', ..] slash && SlashToUs(a, slash, command)
        || command.Verb is Verb.List or Verb.Help && command.Rest.Length == 0 && IsGroupWord(command.Text)
        || a.RepliesToBot;

    /// <summary>
    /// A /command is ours when it names us (Telegram's <c>/score@ourbot</c>) or, naming no bot, is one of our commands
    /// (/start and /help too): <c>/weather@OtherBot</c> or an unknown <c>/word</c> is another bot's, and the group hears nothing.
    /// </summary>
    private static bool SlashToUs(Activity a, string slash, ChatCommand command)
    {
        var end = slash.AsSpan().IndexOfAny(' ', '\t', '\u3000');
        var first = end < 0 ? slash.AsSpan() : slash.AsSpan(0, end);
        if (first.IndexOfAny('@', '＠') is > 0 and var at)
        {
            var name = first[(at + 1)..];
            return a.Recipient is { } bot && (bot.Name is { Length: > 0 } n && name.Equals(n, StringComparison.OrdinalIgnoreCase)
                || bot.Id is { Length: > 0 } id && name.Equals(id, StringComparison.OrdinalIgnoreCase));
        }
        return command.Verb is not (Verb.Unknown or Verb.Empty);
    }

    private static bool IsGroupWord(string text) =>
        text is "榜单" or "帮助" || text.Equals("list", StringComparison.OrdinalIgnoreCase) || text.Equals("help", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The turn itself, inside the caller's unit of work. With <paramref name="onlyIfReading"/> (on a reader,
    /// outside any transaction) it answers only a bound person's question with nothing under way, and
    /// returns null for anything that would write.
    /// </summary>
    internal async Task<IReadOnlyList<Activity>?> AnswerAsync(Session s, Activity a, ChatCommand? command, bool onlyIfReading = false, ProcessedActivityKey? key = null)
    {
        if (a is not { ChannelId: { Length: > 0 } channel, From.Id: { Length: > 0 } userId } || a.FromABot)
        {
            return onlyIfReading ? null : [];
        }
        // Who added someone to a group is not the one to welcome, nor told apart before the group: only the bot's own arrival
        // is answered there, naming no one, and nothing is kept of the sender.
        if (Is(a.Type, ActivityTypes.ConversationUpdate) && a.InSharedConversation)
        {
            return Added(a, a.Recipient) ? [GroupIntroduction(a)] : [];
        }
        var now = time.GetUtcNow();
        var (person, record) = await Dialogs.LoadTurnAsync(s, channel, userId);
        var who = Enrolment.IdentityOf(channel, userId, person);
        // Unbound, never greeted, or in the middle of a dialog: the turn writes.
        if (onlyIfReading && (who is null || record is not { State: null }))
        {
            return null;
        }
        var previous = Dialogs.Current(record, now);
        var turn = new ChatTurn(s, a, who, now, key) { Zh = Phrases.IsChinese(a.Locale ?? await KnownLocaleAsync(s, a, who)), Next = previous, OffRoster = who is null && person?.PersonKind is not null,
            OffDuty = who is null && person?.PersonKind == "staff" };
        await turn.LoadRulesInForceAsync();

        List<Activity> replies;
        if (Is(a.Type, ActivityTypes.ConversationUpdate))
        {
            var newcomers = a.MembersAdded?.Where(m => m?.Id is { Length: > 0 } id && id != a.Recipient?.Id
                && !string.Equals(m.Role, "bot", StringComparison.OrdinalIgnoreCase)).ToList() ?? [];
            // Teams announces a personal install as the bot's own arrival only, and never the user's: that is their arrival,
            // greeted once. (Direct Line announces the bot, then the user: that one greets.)
            var installed = newcomers.Count == 0 && record is null && Added(a, a.Recipient)
                && string.Equals(a.Conversation?.ConversationType, "personal", StringComparison.OrdinalIgnoreCase);
            if (newcomers.Count == 0 && !installed) return [];
            replies = [await WelcomeAsync(turn)];
        }
        else if (command is not null)
        {
            var expired = record?.State is not null && previous is null;
            // A dialog that moved a moment ago and is over (done, or ended): a button of its last question pressed again.
            var justEnded = record is { State: null } && now - record.UpdatedAt <= PressedAgainWithin;
            replies = await MessageAsync(turn, command, previous, expired, justEnded);
            // The text as read (CommandParser.Clean), which is what replies quote: a code typed with an invisible joiner inside
            // is quoted whole, without it.
            await WithholdTypedCodesAsync(turn, command.Text.Length > 0 ? command.Text : a.Text, replies);
            if (record is null && replies.Count > 0 && who is not null)
            {
                // Someone bound elsewhere (or before this chat) writes for the first time: greet them once.
                replies[0].Text = Greeting(turn) + "\n" + replies[0].Text;
            }
        }
        else
        {
            return [];
        }

        // Known users with nothing under way cost no write.
        if (record is null || record.State is not null || turn.Next is not null)
        {
            if (onlyIfReading) throw new InvalidOperationException("A question's turn must not start a dialog.");
            await Dialogs.SaveAsync(s, new DialogRecord(channel, userId, turn.Next, now, record?.GreetedAt ?? now));
        }
        return replies;
    }

    /// <summary>
    /// The language a known person's notices are written in, for a join that carries no locale (Direct Line's conversationUpdate
    /// when a Web Chat page opens): their welcome is in it, not in Chinese by default. Not read for a message.
    /// </summary>
    private static async Task<string?> KnownLocaleAsync(Session s, Activity a, ChatIdentity? who) =>
        who is not null && Is(a.Type, ActivityTypes.ConversationUpdate)
            ? (await ConversationReferenceStore.FindAsync(s, a.ChannelId!, a.From!.Id!))?.Locale
            : null;

    /// <summary>
    /// A live enrolment code the person typed without 绑定 (a slip's code alone, or in a sentence) that a reply quotes back
    /// (没看懂「…」, a step's complaint): the reply is kept sealed as 发码's is (<see cref="Withheld"/>), for the code binds
    /// whoever reads it from a backup. Every such code in the message is hidden, and so is a code's leading part where a
    /// quote was cut short inside it (「…AB12CD…」: six of eight characters leave a few guesses). Only a word shaped like a
    /// code is looked up, and only when a reply quotes it.
    /// </summary>
    private async Task WithholdTypedCodesAsync(ChatTurn turn, string? text, List<Activity> replies)
    {
        if (text is null || replies.Count == 0 || QuotedCodeShapedWords(text, replies) is not { } words) return;
        foreach (var typed in words)
        {
            if (await enrolment.FindCodeInAsync(turn.S, typed) is not { UsedAt: null, ReplacedAt: null } live || live.ExpiresAt <= turn.Now) continue;
            foreach (var reply in replies)
            {
                if (reply.Text is not { } said || QuotedPart(said, typed, 0) is not ({ } at, { } length)) continue;
                var shown = said.Substring(at, length);
                reply.Withheld = reply.Withheld is { } already
                    ? already with { Instead = Masked(already.Instead, typed), Others = [.. already.Others, shown] }
                    : new Withheld(shown, Masked(said, typed));
            }
        }
    }

    /// <summary>The words of the message shaped like a code that a reply quotes (whole or cut short); null when none (nearly always).</summary>
    private static List<string>? QuotedCodeShapedWords(string text, List<Activity> replies)
    {
        List<string>? words = null;
        foreach (var match in CodeShaped().EnumerateMatches(text))
        {
            var word = text.AsSpan(match.Index, match.Length);
            foreach (var reply in replies)
            {
                if (reply.Text is { } said && QuotedPart(said, word, 0) is not null)
                {
                    (words ??= []).Add(word.ToString());
                    break;
                }
            }
        }
        return words;
    }

    /// <summary>
    /// Where <paramref name="said"/> first quotes <paramref name="code"/> from <paramref name="from"/> on: the whole code, or its
    /// leading part standing alone before the … a quote was cut with (<see cref="Phrases.Quote"/>, <see cref="Phrases.Clip"/>).
    /// </summary>
    private static (int At, int Length)? QuotedPart(string said, ReadOnlySpan<char> code, int from)
    {
        var whole = said.AsSpan(from).IndexOf(code, StringComparison.Ordinal) is var i and >= 0 ? from + i : -1;
        for (var cut = said.IndexOf('…', from); cut > from && (whole < 0 || cut < whole); cut = said.IndexOf('…', cut + 1))
        {
            for (var length = Math.Min(code.Length - 1, cut - from); length > 0; length--)
            {
                var at = cut - length;
                if ((at == 0 || !char.IsAsciiLetterOrDigit(said[at - 1])) && said.AsSpan(at, length).SequenceEqual(code[..length]))
                    return (at, length);
            }
        }
        return whole < 0 ? null : (whole, code.Length);
    }

    /// <summary><paramref name="said"/> with every quote of <paramref name="code"/>, whole or cut short, shown as ********.</summary>
    private static string Masked(string said, ReadOnlySpan<char> code)
    {
        var masked = new System.Text.StringBuilder(said.Length);
        var from = 0;
        while (QuotedPart(said, code, from) is ({ } at, { } length))
        {
            masked.Append(said, from, at - from).Append("********");
            from = at + length;
        }
        return masked.Append(said, from, said.Length - from).ToString();
    }

    // Eight letters and digits standing alone (Ids.EnrolmentCode), as typed: any case, look-alikes and all.
    [System.Text.RegularExpressions.GeneratedRegex("(?<![0-9A-Za-z])[0-9A-Za-z]{8}(?![0-9A-Za-z])", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CodeShaped();

    /// <summary>A typed question whose answer only reads: score, list, help, the weekly report.</summary>
    private static bool IsQuestion(Activity a, ChatCommand? command) =>
        command is { Verb: Verb.Score or Verb.List or Verb.Help or Verb.WeeklyReport } && !a.IsCardSubmit && !IsCardData(a.Value);

    /// <summary>How soon after a dialog's last turn a step's answer sent again is taken for its button pressed twice.</summary>
    private static readonly TimeSpan PressedAgainWithin = TimeSpan.FromMinutes(2);

    private async Task<List<Activity>> MessageAsync(ChatTurn turn, ChatCommand command, DialogState? previous, bool expired, bool justEnded = false)
    {
        // Everyone in a group reads the replies, and reports, scores and pending records name people and their points: a
        // bound person is answered there only the published list, help and binding (a dialog under way waits in private).
        var inGroup = turn.InGroup && turn.Who is not null;
        if (command.Verb == Verb.Cancel)
        {
            // Nothing is ever under way in a group; a private dialog is cancelled in private.
            if (inGroup) return [turn.Ask("这里没有进行中的操作。", "Nothing is under way here.", Menu(turn))];
            turn.Next = null;
            return [turn.Ask(previous is null ? "现在没有进行中的操作。" : "已取消。", previous is null ? "Nothing is under way." : "Cancelled.", Menu(turn))];
        }
        if (inGroup && command.Verb is not (Verb.List or Verb.Help or Verb.Empty or Verb.Bind))
        {
            return [turn.Ask("这里是群聊，大家都能看到回复。上报、积分、待核查、绑定码和发布榜单涉及个人信息，请私聊我；群里可以发「榜单」「帮助」。",
                "This is a group chat and everyone sees the replies. Reports, scores, pending records, enrolment codes and publishing are personal: message me privately. Here you can send \"list\" or \"help\".",
                [turn.T("榜单", "list"), turn.T("帮助", "help")])];
        }
        // A photo, a sticker or a blank line answers no step: the step is asked again, saying why, rather than read as "「」".
        var voice = command.Verb == Verb.Empty && IsVoice(turn.Inbound);
        var noText = command.Verb == Verb.Empty
            ? voice
                ? turn.T("我听不了语音，可以长按语音选「转文字」再发。", "I cannot listen to voice messages: hold the message, choose \"convert to text\" and send me the words.")
                : turn.Inbound.Attachments is { Count: > 0 }
                ? turn.T("我看不到图片和文件，请用文字发送。", "I cannot see pictures or files; please send words.")
                : turn.T("这条消息没有文字。", "That message had no words.")
            : null;
        // A dialog of an account of several records goes on as the record it began for; one it no longer speaks for drops it.
        if (previous?[AsRecord] is { } began && turn.Who is { } speaker)
        {
            if (speaker.Records.FirstOrDefault(r => r.Id == began) is { } record) turn.SpeakAs(record);
            else if (speaker.Subject?.Id != began) previous = null;
        }
        // The step a private dialog under way waits on, when this person may still go on with it.
        var waiting = previous is not null && !inGroup && turn.Who is not null && Allowed(turn.Who, previous.Verb)
            ? FlowOf(previous.Verb).Slots.FirstOrDefault(s => s.Name == previous.Step) : null;
        if (waiting is not null && noText is not null)
            return [await AskAsync(turn, previous!.Verb, waiting, previous.Values, noText)];
        // A dialog begun in private is neither gone on with in a group (its questions name tenants) nor ended by the list or help there.
        if (previous is not null && !inGroup && (command.Verb is Verb.Unknown or Verb.Empty || command.Glued))
            return await ContinueAsync(turn, previous, command.Text);
        // Help asked half-way is a person unsure what to type next, not one giving up: the step is asked again and the dialog stays.
        if (waiting is not null && command.Verb == Verb.Help)
        {
            var word = CommandWord(previous!.Verb, turn.Zh);
            return [await AskAsync(turn, previous.Verb, waiting, previous.Values, turn.T(
                $"您正在「{word}」，还差这一步。发「取消」可以放弃，之后发「帮助」查看全部命令。",
                $"You are in the middle of \"{word}\"; this step is still to do. Send \"cancel\" to drop it, then \"help\" for every command."))];
        }

        if (!(inGroup && command.Verb is (Verb.List or Verb.Help or Verb.Empty)))
            turn.Next = null; // a new command ends whatever was under way
        if (turn.Who is null) return await StrangerAsync(turn, command);
        // 撤销 is a staff member's revoke; from a landlord or shop head it is the word for "that report was wrong".
        if (command.Verb == Verb.Revoke && turn.Who.Staff is null) command = command with { Verb = Verb.Mistake };
        // An account of several records: the command goes to the record it is about, or asks which.
        if (turn.Who.Several && ActsAsOneRecord(command.Verb))
        {
            var (record, question) = await ChooseRecordAsync(turn, command.Verb, command.Rest);
            if (question is not null) return [question];
            if (record is not null) turn.SpeakAs(record);
        }
        if (!Allowed(turn.Who, command.Verb))
            return [turn.Ask(NotYoursZh(turn, command.Verb), NotYoursEn(turn, command.Verb), Menu(turn))];

        // 王小明昨天晚上八点回来了: a landlord's spoken return, offered as the 返回 line it means (never recorded on the guess).
        if (command.Verb == Verb.Unknown && !expired && await SpokenReturnAsync(turn, command.Text) is { } spoken) return [spoken];

        return command.Verb switch
        {
            Verb.Score when DetailsPage(command.Rest) is { } page && turn.Who.Several => await EachRecordAsync(turn, turn.Who.Records, t => ScoreDetailsAsync(t, page)),
            Verb.Score when DetailsPage(command.Rest) is { } page => [await ScoreDetailsAsync(turn, page)],
            Verb.Score when turn.Who.Several => await EachRecordAsync(turn, turn.Who.Records, ScoreAsync),
            Verb.Score => [await ScoreAsync(turn)],
            // Each kind's list once, of each street the records are in.
            Verb.List when turn.Who.Several => await EachRecordAsync(turn, turn.Who.Records.DistinctBy(r => (r.StreetId, r.Kind)), ListAsync),
            Verb.List => [await ListAsync(turn)],
            Verb.Unbind => [await UnbindAsync(turn, command.Rest)],
            Verb.Pending => [await PendingAsync(turn, command.Rest)],
            Verb.WeeklyReport => [await WeeklyReportAsync(turn, command.Rest)],
            Verb.Round => [await RoundAsync(turn, command.Rest)],
            Verb.Help => [await HelpAsync(turn, null)],
            // A voice message is the way many older people send anything: one sentence saying how to send it as words, and the buttons.
            Verb.Empty when voice => [Misunderstood(turn, noText!)],
            Verb.Empty => [await HelpAsync(turn, turn.Inbound.Attachments is { Count: > 0 } ? noText : null)],
            Verb.Mistake => [await MistakeAsync(turn, previous)],
            Verb.Unknown => [await UnknownAsync(turn, command, expired, justEnded)],
            Verb.Approve when CommandParser.SplitIds(command.Rest) is { Count: 0 } => [await PendingAsync(turn)],
            Verb.Approve when CommandParser.SplitIds(command.Rest) is { Count: > 1 } ids => [await ApproveManyAsync(turn, ids)],
            _ => await StartAsync(turn, command.Verb, command.Rest),
        };
    }

    /// <summary>
    /// A message not understood: a short answer and the menu's buttons, not the whole help (three screens on an old phone for
    /// each slip). A command word misheard or split (反回, 返 回) is offered as the line meant; a step's answer sent again just
    /// after its dialog ended is said to be that.
    /// </summary>
    private async Task<Activity> UnknownAsync(ChatTurn turn, ChatCommand command, bool expired, bool justEnded)
    {
        if (expired)
            return Misunderstood(turn, turn.T("上一步操作超过30分钟没有完成，已自动取消。", "The last step waited more than 30 minutes and was dropped."));
        // A card's button of an action this bot does not have carries no text: nothing to quote.
        if (command.Text.Length == 0) return Misunderstood(turn, turn.T("没看懂这个操作。", "I did not understand that."));
        var quoted = Phrases.Quote(command.Text);
        if (command.Meant is { } meant && CommandParser.Parse(meant) is { Verb: var verb and not Verb.Unknown } && Allowed(turn.Who!, verb))
        {
            var word = CommandWord(verb, turn.Zh);
            return turn.Ask(turn.T($"您是要「{word}」吗？是就点第一个按钮「{Phrases.Quote(meant)}」。", $"Did you mean \"{word}\"? If so, press the first button, \"{Phrases.Quote(meant)}\"."),
                [meant, .. Menu(turn)]);
        }
        if (justEnded && await AnswersAStepAsync(turn, command.Text))
            return Misunderstood(turn, turn.T($"「{quoted}」像是上一步的回答，那一步已经结束了（按钮按了两次？）。", $"\"{quoted}\" looks like the answer to a step that is over already (a button pressed twice?)."));
        return Misunderstood(turn, turn.T($"没看懂「{quoted}」。", $"I did not understand \"{quoted}\"."));
    }

    /// <summary>A short answer, the menu's buttons and where the whole help is.</summary>
    private static Activity Misunderstood(ChatTurn turn, string said) =>
        turn.Ask(said + turn.T("\n发「帮助」看全部用法。", "\nSend \"help\" for everything I can do."), [.. Menu(turn), turn.T("帮助", "help")]);

    // The services the 代办 step offers as buttons (a landlord may type any other), in each language.
    private static readonly string[] ServicesOfferedZh = ["复工备案", "代购生活用品", "帮忙招工"];
    private static readonly string[] ServicesOfferedEn = ["work-resumption filing", "shopping", "recruiting"];

    /// <summary>
    /// Whether a text is what one of the steps' buttons sends: a time (刚刚, 昨天, an hour offered), 记不清, one of the landlord's
    /// tenants, a service offered. Read only for an unknown message just after a dialog.
    /// </summary>
    private static async Task<bool> AnswersAStepAsync(ChatTurn turn, string text)
    {
        if (IsNotSure(text) || text is "无" or "确认" or "确认改绑" || ServicesOfferedZh.Contains(text)
            || ServicesOfferedEn.Contains(text, StringComparer.OrdinalIgnoreCase)) return true;
        if (turn.Subject is { Kind: SubjectKind.Landlord } landlord
            && (await turn.S.ListTenantsAsync(landlord.Id)).Any(t => t.Active && string.Equals(t.Name.Trim(), text, StringComparison.OrdinalIgnoreCase)))
            return true;
        return turn.Subject is not null && ChatTime.Read(text, turn.Now, await turn.ZoneAsync()) is not null;
    }

    /// <summary>A voice note: an audio attachment (WeChat's, Telegram's, Teams'), with no words.</summary>
    private static bool IsVoice(Activity a)
    {
        foreach (var attachment in a.Attachments ?? [])
            if (attachment?.ContentType is { } type && (type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) || type.Equals("voice", StringComparison.OrdinalIgnoreCase)))
                return true;
        return false;
    }

    /// <summary>
    /// The 返回 line a landlord's sentence means (王小明昨天晚上八点回来了 → 返回 王小明 昨天晚上八点), as a button to press; null
    /// when it says no return or names none of their tenants. The tenant list is read only for a sentence that says a
    /// return at all (a string test first), and only for a landlord: other unknown messages cost nothing more.
    /// </summary>
    private static async Task<Activity?> SpokenReturnAsync(ChatTurn turn, string text)
    {
        if (!SpokenReturn.Says(text) || turn.Who is not { } who) return null;
        IEnumerable<Subject> records = who.Several ? who.Records : turn.Subject is { } one ? [one] : [];
        foreach (var landlord in records.Where(r => r.Kind == SubjectKind.Landlord))
        {
            var tenants = (await turn.S.ListTenantsAsync(landlord.Id)).Where(t => t.Active).ToList();
            if (SpokenReturn.Read(tenants, text) is not { } line) continue;
            var name = line.Tenant.Name.Trim();
            return turn.Ask(
                $"是要上报租客{name}返回吗？点下面的按钮上报（时间不对可以改了再发：「返回 {name} 昨天晚上8点」）。",
                $"Do you mean to report that your tenant {name} returned? Press the button below to report it (or send it with the right time: \"return {name} yesterday 8pm\").",
                [line.Line, turn.T("帮助", "help")]);
        }
        return null;
    }

    /// <summary>Someone not yet bound: only binding (and help on how to bind) makes sense.</summary>
    private async Task<List<Activity>> StrangerAsync(ChatTurn turn, ChatCommand command) =>
        command.Verb == Verb.Bind ? await StartAsync(turn, Verb.Bind, command.Rest) : [EnrolHelp(turn)];

    private static bool Added(Activity a, ChannelAccount? member) =>
        member?.Id is { Length: > 0 } id && a.MembersAdded?.Exists(m => m?.Id == id) == true;

    /// <summary>The bot's word to a group it was added to: what to do where, naming no one and no one's commands.</summary>
    private static Activity GroupIntroduction(Activity a) => Reply.To(a, Phrases.IsChinese(a.Locale)
        ? "大家好，我是街道积分助手。绑定账号、上报和查询积分请私聊我；在群里可以发「榜单」看上周红黑榜，发「帮助」看用法。"
        : "Hello everyone, I am the street's scoring assistant. To link your account, report or see your score, message me privately; here you can send \"list\" for last week's lists or \"help\" for how to use me.");

    private async Task<Activity> WelcomeAsync(ChatTurn turn) =>
        turn.Who is null ? EnrolHelp(turn) : await HelpAsync(turn, Greeting(turn));

    private static string Greeting(ChatTurn turn) => turn.Who is { } who
        ? turn.T($"您好，{who.Name}！我是积分助手。", $"Hello {who.Name}! I am the scoring assistant.")
        : turn.T("您好！我是街道积分助手（房东十二分制、铺长制）。", "Hello! I am the street's scoring assistant (the landlords' twelve-point system and the shop heads' system).");

    private static Activity EnrolHelp(ChatTurn turn) => turn.OffRoster ? OffRosterHelp(turn) : turn.Ask(
        Greeting(turn) + "\n请先绑定账号：发送「绑定 绑定码」，例如「绑定 AB12CD34」。绑定码由村/社区书记或街道发放，7天内有效。",
        Greeting(turn) + "\nFirst link your chat account: send \"bind <code>\", e.g. \"bind AB12CD34\". Your village/community secretary or the street office gives you the code; it is valid for 7 days.",
        [turn.T("绑定", "bind"), turn.T("帮助", "help")]);

    /// <summary>
    /// A bound account whose person was taken off the roster: a binding code would not help, the office putting them back
    /// would (their account and history are kept). In a group the reply, threaded to their message, would tell everyone
    /// they were taken off: there they are only asked to write privately.
    /// </summary>
    private static Activity OffRosterHelp(ChatTurn turn) => turn.InGroup
        ? turn.Ask("这里是群聊，大家都能看到回复。账号和积分的事请私聊我；群里可以发「榜单」「帮助」。",
            "This is a group chat and everyone sees the replies: for your account and score, message me privately. Here you can send \"list\" or \"help\".",
            [turn.T("榜单", "list"), turn.T("帮助", "help")])
        : turn.OffDuty ? turn.Ask(
        // A staff member has no score to keep: what ended is the post, and the office (not a secretary) puts them back.
        Greeting(turn) + "\n此账号绑定的工作人员已停止在本街道任职（已停用），不能再上报、核查或查看待核查记录。如有疑问请联系街道办；恢复任职后此账号照常可用。如已拿到新的绑定码，请发送「绑定 绑定码」。",
        Greeting(turn) + "\nThe staff member this account is linked to is no longer on duty in the street, so reporting, verifying and the pending queue are closed to it. Ask the street office; once you are back on duty, the account works as before. If you were given a new code, send \"bind <code>\".",
        [turn.T("帮助", "help")])
        : turn.Ask(
        Greeting(turn) + "\n此账号绑定的人员已不在本街道的花名册上（已停用），暂时不能上报或查询积分。如有疑问请联系村/社区书记；重新登记后账号和以往的积分记录都会保留。如已拿到新的绑定码，请发送「绑定 绑定码」。",
        Greeting(turn) + "\nThe person this account is linked to is no longer on the street's roster, so reports and scores are closed for now. Ask your village/community secretary; once you are back on the roster, the account and your past records are as they were. If you were given a new code, send \"bind <code>\".",
        [turn.T("帮助", "help")]);

    /// <summary>The canonical word of a command (DESIGN.md's chat commands), to name a dialog under way.</summary>
    private static string CommandWord(Verb verb, bool zh) => (verb, zh) switch
    {
        (Verb.Bind, true) => "绑定", (Verb.Bind, false) => "bind",
        (Verb.Return, true) => "返回", (Verb.Return, false) => "return",
        (Verb.Service, true) => "代办", (Verb.Service, false) => "service",
        (Verb.Violation, true) => "违规", (Verb.Violation, false) => "violation",
        (Verb.Mediate, true) => "调解", (Verb.Mediate, false) => "mediate",
        (Verb.Reopen, true) => "复工", (Verb.Reopen, false) => "reopen",
        (Verb.Deduct, true) => "扣分", (Verb.Deduct, false) => "deduct",
        (Verb.Approve, true) => "通过", (Verb.Approve, false) => "approve",
        (Verb.Reject, true) => "驳回", (Verb.Reject, false) => "reject",
        (Verb.Revoke, true) => "撤销", (Verb.Revoke, false) => "revoke",
        (Verb.IssueCode, true) => "发码", (Verb.IssueCode, false) => "code",
        (Verb.Publish, true) => "发布", (Verb.Publish, false) => "publish",
        (Verb.Round, true) => "巡查", (Verb.Round, false) => "round",
        (Verb.Unbind, true) => "解绑", (Verb.Unbind, false) => "unbind",
        (Verb.WeeklyReport, true) => "周报", (Verb.WeeklyReport, false) => "weekly report",
        (Verb.Score, true) => "积分", (Verb.Score, false) => "score",
        (Verb.Mistake, true) => "撤回", (Verb.Mistake, false) => "undo",
        _ => verb.ToString().ToLowerInvariant(),
    };

    /// <summary>What each kind of person may ask for here; the use cases still check everything themselves.</summary>
    private static bool Allowed(ChatIdentity who, Verb verb) => verb switch
    {
        Verb.Bind or Verb.Unbind or Verb.Help or Verb.Cancel or Verb.List or Verb.Unknown or Verb.Empty => true,
        Verb.Return or Verb.Service => who.Subject?.Kind == SubjectKind.Landlord,
        Verb.Reopen or Verb.Round => who.Subject?.Kind == SubjectKind.ShopHead,
        Verb.Violation or Verb.Mediate or Verb.Score or Verb.Mistake => who.Subject is not null,
        Verb.Deduct => who.Staff is not null,
        Verb.Pending or Verb.Approve or Verb.Reject or Verb.Revoke => who.Staff is { Role: not StaffRole.GridWorker },
        // As POST /api/enrolments: a grid worker may get a code only for themselves, which a chat already bound has no use for.
        Verb.IssueCode => who.Staff is { Role: not StaffRole.GridWorker },
        Verb.Publish => who.Staff is { Role: StaffRole.Officer or StaffRole.Admin },
        // As the report over HTTP: officers their street, secretaries their community.
        Verb.WeeklyReport => who.Staff is { Role: StaffRole.Officer or StaffRole.Admin or StaffRole.Secretary },
        _ => false,
    };

    private static string NotYoursZh(ChatTurn turn, Verb verb) => verb switch
    {
        Verb.Return or Verb.Service => "这是房东的命令。",
        Verb.Reopen or Verb.Round => "这是铺长的命令。",
        Verb.Score when turn.Staff is not null => "工作人员没有个人积分。",
        Verb.Violation or Verb.Mediate or Verb.Mistake => "这是房东和铺长的命令。",
        Verb.Deduct => "扣分由网格员或书记上报。",
        Verb.IssueCode => "绑定码由书记和街道工作人员发放。",
        Verb.Publish => "发布红黑榜由街道工作人员负责。",
        Verb.WeeklyReport => "工作周报由书记和街道工作人员查看。",
        _ => "核查由书记和街道工作人员处理。",
    } + "您可以：";

    private static string NotYoursEn(ChatTurn turn, Verb verb) => verb switch
    {
        Verb.Return or Verb.Service => "That is a landlord's command.",
        Verb.Reopen or Verb.Round => "That is a shop head's command.",
        Verb.Score when turn.Staff is not null => "Staff have no score of their own.",
        Verb.Violation or Verb.Mediate or Verb.Mistake => "That is a command for landlords and shop heads.",
        Verb.Deduct => "Deductions are reported by grid workers and secretaries.",
        Verb.IssueCode => "Enrolment codes are issued by secretaries and street officers.",
        Verb.Publish => "Publishing the lists is for street officers.",
        Verb.WeeklyReport => "The weekly report is for secretaries and street officers.",
        _ => "Verification is for secretaries and street officers.",
    } + " You can:";

    /// <summary>The buttons of a person's main commands, the most used first: Teams shows only the first three.</summary>
    private static IEnumerable<string> Menu(ChatTurn turn)
    {
        bool zh = turn.Zh;
        if (turn.Who is null) return [zh ? "绑定" : "bind", zh ? "帮助" : "help"];
        // In a group only these are answered: any other button would be refused there.
        if (turn.InGroup) return zh ? ["榜单", "帮助"] : ["list", "help"];
        // A report's button only while the rules in force have a rule to report it under (a rule dropped, or no longer
        // the person's own to report): pressed, it would only be refused. Built with plain loops: every reply has a menu.
        if (turn.Subject is { } subject)
        {
            // A landlord who is also a shop head: both menus in one, commands going to the record they are about.
            bool landlord = subject.Kind == SubjectKind.Landlord, shop = subject.Kind == SubjectKind.ShopHead;
            if (turn.Who.Several)
                foreach (var record in turn.Who.Records)
                {
                    landlord |= record.Kind == SubjectKind.Landlord;
                    shop |= record.Kind == SubjectKind.ShopHead;
                }
            var menu = new List<string>(8);
            if (landlord) menu.Add(turn.T("返回", "return"));
            if (shop) menu.Add(turn.T("巡查", "round"));
            menu.Add(turn.T("积分", "score"));
            if (turn.Offers(ChatBindings.Service)) menu.Add(turn.T("代办", "service"));
            if (turn.Offers(ChatBindings.Reopen)) menu.Add(turn.T("复工", "reopen"));
            if (turn.Offers(ChatBindings.LandlordViolation) || turn.Offers(ChatBindings.ShopViolation)) menu.Add(turn.T("违规", "violation"));
            if (turn.Offers(ChatBindings.LandlordMediation) || turn.Offers(ChatBindings.ShopMediation)) menu.Add(turn.T("调解", "mediate"));
            menu.Add(turn.T("榜单", "list"));
            return menu;
        }
        if (turn.Staff is { Role: StaffRole.GridWorker })
            return zh ? ["扣分", "榜单", "帮助"] : ["deduct", "list", "help"];
        IEnumerable<string> staff = zh ? ["待核查", "帮助", "扣分", "榜单"] : ["pending", "help", "deduct", "list"];
        return turn.Staff is { Role: StaffRole.Officer or StaffRole.Admin } ? staff.Append(zh ? "发布" : "publish") : staff;
    }

    /// <summary>
    /// A card button (Action.Submit) arrives as a message whose value holds the button's data merged with
    /// the card's inputs: <c>{action: "approve", id}</c> or <c>{action: "reject", id, reason}</c>.
    /// </summary>
    internal static ChatCommand FromCard(JsonElement? value)
    {
        if (value is not { } v) return ChatCommand.Empty;
        if (v.ValueKind == JsonValueKind.String) return CommandParser.Parse(v.GetString());
        if (v.ValueKind != JsonValueKind.Object) return new ChatCommand(Verb.Unknown, "", "");
        string Field(string name) =>
            v.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.String ? CommandParser.Clean(f.GetString()) : "";
        var id = Field("id");
        var words = CommandParser.SplitWords(id);
        id = words.Count > 0 ? words[0] : "";
        return Field("action").ToLowerInvariant() switch
        {
            "approve" => new ChatCommand(Verb.Approve, id, $"approve {id}"),
            // Without its id (data a client lost or mangled) the reason would be read as the record's id: the id is asked for.
            "reject" => new ChatCommand(Verb.Reject, id.Length == 0 ? "" : $"{id} {Field("reason")}".Trim(), $"reject {id}"),
            _ => new ChatCommand(Verb.Unknown, "", Field("text")),
        };
    }

    private static bool IsCardData(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.Object } v && v.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String;

    private static bool Is(string? type, string expected) => string.Equals(type, expected, StringComparison.OrdinalIgnoreCase);
}
