using System.Globalization;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Guided steps: a command's flow names the slots it needs (tenant, arrival…). Whatever the one-line message
/// gives fills them in order; the bot asks for the first one missing (with buttons where they save
/// typing), keeps the answers in the dialog state and runs the use case once all are there. A flow with
/// steps of its own (publishing's preview and questions) brings them along: the dialog here knows no verb.
/// </summary>
public sealed partial class ConversationHandler
{
    private enum SlotKind { Tenant, Shop, Target, Arrival, Text, Subject, Rule, Id, Code, Enrollee, Week, Kind, Confirm }

    private sealed record Slot(string Name, SlotKind Kind);

    /// <summary>
    /// What a slot took from the text, or why it could not (and whether asking again makes sense, or the answers to offer
    /// instead of the slot's question).
    /// </summary>
    private sealed record Fill(string? Value, string Remaining, string? ComplaintZh = null, string? ComplaintEn = null, bool GiveUp = false,
        IReadOnlyList<string>? Choices = null)
    {
        public static Fill Of(string value, string remaining) => new(value, remaining);
        public static Fill Complaint(string zh, string en, bool giveUp = false) => new(null, "", zh, en, giveUp);
        public static Fill Choose(string zh, string en, IReadOnlyList<string> choices) => new(null, "", zh, en, Choices: choices);
        /// <summary>Answers to press, with <paramref name="rest"/>, the line after the word they answer, still counting once one is.</summary>
        public static Fill Choose(string zh, string en, IReadOnlyList<string> choices, string rest) => new(null, rest, zh, en, Choices: choices);
        /// <summary>A guess to be confirmed by pressing it; <paramref name="rest"/>, the line after the guessed word, still counts once it is.</summary>
        public static Fill Confirm(string zh, string en, string choice, string rest) => new(null, rest, zh, en, Choices: [choice]);
    }

    /// <summary>
    /// Kept in a dialog's values when a one-line command named someone or something the bot could not place
    /// (返回 王晓明 昨天 21:00): the rest of the line, which still counts once the name is answered.
    /// </summary>
    private const string LineRest = "line-rest";

    /// <summary>
    /// Kept in a dialog's values: the answer that filled the step before (a button's title, most often). The same again
    /// where words are asked for is taken for that button pressed twice, once: the question is asked again saying so,
    /// and the same text sent after that is what the person means.
    /// </summary>
    private const string LastAnswer = "last-answer";

    /// <summary>Kept in a dialog's values when a deduction named a shop rather than its head: the evidence names it.</summary>
    private const string ShopNamed = "shop-named";

    /// <summary>
    /// Kept in a dialog's values once the bot has asked for the hour of a date-only arrival: the day asked about
    /// (yyyy-MM-dd), and the part of it when one was said (2026-11-17 下午). The hour given in answer is that day's
    /// (<see cref="ChatTime.ReadOn"/>). A dialog from before the day was kept holds "1": its answer is read on its own.
    /// </summary>
    private const string ArrivalHourAsked = "arrival-hour-asked";

    private static readonly Slot Tenant = new("tenant", SlotKind.Tenant), Shop = new("shop", SlotKind.Shop), Target = new("target", SlotKind.Target),
        Arrival = new("arrival", SlotKind.Arrival), What = new("what", SlotKind.Text), Note = new("note", SlotKind.Text),
        Reason = new("reason", SlotKind.Text), Person = new("subject", SlotKind.Subject), RuleSlot = new("rule", SlotKind.Rule),
        EventId = new("id", SlotKind.Id), Code = new("code", SlotKind.Code);
    private static readonly Slot PublishWeek = new("week", SlotKind.Week), PublishKind = new("kind", SlotKind.Kind), Confirmation = new("confirm", SlotKind.Confirm);

    /// <summary>
    /// A verb's guided steps: the slots it asks for, in order, and what it does once all are there. A flow may also
    /// fill in or look ahead before asking (<see cref="Prepare"/>), ask its slots its own way (<see cref="Question"/>)
    /// and refuse an answer that is none (<see cref="Stale"/>).
    /// </summary>
    private sealed record Flow(IReadOnlyList<Slot> Slots, Func<ChatTurn, IReadOnlyDictionary<string, string>, Task<Activity>> Complete)
    {
        /// <summary>
        /// Runs once the turn's answers are in, before what is missing is asked for: fills what the flow knows on its own.
        /// Settled is a reply that ends the dialog (nothing left to ask); Lead, when given, heads the next question.
        /// </summary>
        public Func<ChatTurn, Dictionary<string, string>, Task<(Activity? Settled, string? Lead)>>? Prepare { get; init; }

        /// <summary>The flow's own question for a slot, given the lead (empty, or ending with a new line); null asks it the usual way.</summary>
        public Func<ChatTurn, Slot, IReadOnlyDictionary<string, string>, string, Activity?>? Question { get; init; }

        /// <summary>Why an answer to the slot asked for is none (a button of an earlier question), or null to read it.</summary>
        public Func<Slot, string, Fill?>? Stale { get; init; }
    }

    // Built once (the handler is a singleton): a turn looks its flow up a few times, and each build allocates its delegates.
    private IReadOnlyDictionary<Verb, Flow>? _flows;

    private Flow FlowOf(Verb verb) => (_flows ??= Enum.GetValues<Verb>().ToDictionary(v => v, NewFlow))[verb];

    private Flow NewFlow(Verb verb) => verb switch
    {
        Verb.Bind => BindingFlow(),
        Verb.Return => new([Tenant, Arrival], (turn, v) => ReturnAsync(turn, v["tenant"], DateTimeOffset.Parse(v["arrival"], CultureInfo.InvariantCulture))),
        Verb.Service => new([Tenant, What], async (turn, v) => await ReportAsync(turn, ChatBindings.Service.Code, await TenantNameAsync(turn, v["tenant"]), v["what"])),
        Verb.Violation => new([Target, What], (turn, v) => ReportAsync(turn,
            (turn.Subject!.Kind == SubjectKind.ShopHead ? ChatBindings.ShopViolation : ChatBindings.LandlordViolation).Code, v["target"], v["what"])),
        Verb.Mediate => new([Note], (turn, v) => ReportAsync(turn,
            (turn.Subject!.Kind == SubjectKind.ShopHead ? ChatBindings.ShopMediation : ChatBindings.LandlordMediation).Code, null, v["note"])),
        Verb.Reopen => new([Shop], (turn, v) => ReportAsync(turn, ChatBindings.Reopen.Code, v["shop"], null)),
        Verb.Deduct => new([Person, RuleSlot, Note], (turn, v) => DeductAsync(turn, v["subject"], v["rule"], v["note"], v.GetValueOrDefault(ShopNamed))),
        Verb.Approve => new([EventId], (turn, v) => ApproveAsync(turn, v["id"])),
        Verb.Reject => new([EventId, Reason], (turn, v) => RejectAsync(turn, v["id"], v["reason"])) { Prepare = PrepareToRejectAsync },
        Verb.Revoke => new([EventId, Reason], (turn, v) => RevokeAsync(turn, v["id"], v["reason"])) { Prepare = PrepareToRevokeAsync },
        Verb.IssueCode => new([EnrolleeSlot], (turn, v) => IssueCodeAsync(turn, v["person"])),
        Verb.Publish => PublishingFlow(),
        _ => new([], (turn, _) => HelpAsync(turn, null)),
    };

    private Task<List<Activity>> StartAsync(ChatTurn turn, Verb verb, string rest)
    {
        var values = new Dictionary<string, string>();
        // An account of several records keeps the one this command is for through its steps.
        if (turn.Who is { Several: true, Subject: { } record }) values[AsRecord] = record.Id;
        return FillAsync(turn, verb, values, 0, rest, guided: false);
    }

    private async Task<List<Activity>> ContinueAsync(ChatTurn turn, DialogState state, string answer)
    {
        if (state.Step == RecordStep && turn.Who is not null) return await AnswerRecordAsync(turn, state, answer);
        var at = FlowOf(state.Verb).Slots.ToList().FindIndex(s => s.Name == state.Step);
        // The person may have been unbound or re-bound as someone else since the dialog began.
        if (at < 0 || (turn.Who is null ? state.Verb != Verb.Bind : !Allowed(turn.Who, state.Verb)))
        {
            turn.Next = null;
            return [turn.Who is null ? EnrolHelp(turn) : await HelpAsync(turn, null)];
        }
        return await FillAsync(turn, state.Verb, new Dictionary<string, string>(state.Values), at, answer, guided: true);
    }

    private async Task<List<Activity>> FillAsync(ChatTurn turn, Verb verb, Dictionary<string, string> values, int start, string input, bool guided)
    {
        var flow = FlowOf(verb);
        var text = input.Trim();
        var rest = guided ? values.GetValueOrDefault(LineRest) : null;
        for (int i = start; i < flow.Slots.Count && (text.Length > 0 || (guided && i == start)); i++)
        {
            var slot = flow.Slots[i];
            var whole = guided && i == start;
            // The step before's answer sent again (its button pressed twice): said so, once. A note may be the rule's own
            // name, so the same text after the warning is meant; at the arrival step the tenant's button is no time (a time
            // sent twice is the arrival step's own to judge: its day's button pressed again).
            if (whole && values.GetValueOrDefault(LastAnswer) == text
                && (slot.Kind == SlotKind.Text || (slot.Kind == SlotKind.Arrival && ChatTime.Read(text, turn.Now, await turn.ZoneAsync()) is null)))
            {
                values.Remove(LastAnswer);
                turn.Next = new DialogState(verb, slot.Name, values);
                return [await AskAsync(turn, verb, slot, values, turn.T($"「{Phrases.Quote(text)}」是上一步的回答（按钮按了两次？）。",
                    $"\"{Phrases.Quote(text)}\" answered the step before (a button pressed twice?)."))];
            }
            var fill = (whole ? flow.Stale?.Invoke(slot, text) : null) ?? await ResolveAsync(turn, slot, values, text, whole);
            if (fill.ComplaintZh is not null)
            {
                if (fill.GiveUp)
                {
                    turn.Next = null;
                    return [turn.Ask(fill.ComplaintZh, fill.ComplaintEn!, Menu(turn))];
                }
                if (!whole && fill.Remaining.Length > 0)
                    values[LineRest] = fill.Remaining;
                else if (!whole && slot.Kind is SlotKind.Tenant or SlotKind.Target or SlotKind.Shop or SlotKind.Subject
                    && CommandParser.SplitWords(text) is [_, _, ..] words)
                    values[LineRest] = string.Join(' ', words.Skip(1));
                turn.Next = new DialogState(verb, slot.Name, values);
                var complaint = turn.T(fill.ComplaintZh, fill.ComplaintEn!);
                return [fill.Choices is { } choices
                    ? turn.Ask(complaint, [.. choices, turn.T("取消", "cancel")])
                    : await AskAsync(turn, verb, slot, values, complaint)];
            }
            values[slot.Name] = fill.Value!;
            if (whole && slot.Kind != SlotKind.Code) values[LastAnswer] = text; // a code typed alone is not kept in clear
            text = fill.Remaining;
            // The kept rest counts when the answer only gave what was asked; an answer with more is the line typed again.
            if (whole && rest is not null && values.Remove(LineRest) && text.Length == 0) text = rest;
        }
        string? lead = null;
        if (flow.Prepare is { } prepare)
        {
            (var settled, lead) = await prepare(turn, values);
            if (settled is not null)
            {
                turn.Next = null;
                return [settled];
            }
        }
        var missing = flow.Slots.FirstOrDefault(s => !values.ContainsKey(s.Name));
        if (missing is not null)
        {
            turn.Next = new DialogState(verb, missing.Name, values);
            return [await AskAsync(turn, verb, missing, values, lead)];
        }
        turn.Next = null;
        return [await flow.Complete(turn, values)];
    }

    private async Task<Fill> ResolveAsync(ChatTurn turn, Slot slot, Dictionary<string, string> values, string text, bool whole)
    {
        var firstWord = CommandParser.SplitWords(text) is [var w, ..] ? w : "";
        var named = whole ? text : firstWord;
        switch (slot.Kind)
        {
            case SlotKind.Tenant:
            case SlotKind.Target when turn.Subject?.Kind == SubjectKind.Landlord:
            {
                var tenants = (await turn.S.ListTenantsAsync(turn.Subject!.Id)).Where(t => t.Active).ToList();
                if (tenants.Count == 0)
                    return Fill.Complaint("您名下还没有登记租客，请联系村/社区书记登记。", "You have no tenants on record yet; ask your secretary to register them.", giveUp: true);
                string Taken(Tenant t) => slot.Kind == SlotKind.Tenant ? t.Id : t.Name;
                if (Names.Person(tenants, t => t.Name, text) is { } found)
                    return found.Sure
                        ? Fill.Of(Taken(found.Item), TenantRooms.After(found.Item, found.After))
                        // 张伟华在… with only 张伟 on the list may be a tenant not registered yet: offered, never taken. What was
                        // typed is kept whole as the rest, so the report says what the landlord wrote.
                        : Fill.Confirm($"是指租客「{found.Item.Name}」吗？点它确认，或输入其他租客。",
                            $"Do you mean your tenant {found.Item.Name}? Press it to confirm, or type another tenant.", TenantRooms.Label(found.Item), found.After);
                // 101, 101房, 101的: the tenant of that room, taken; the tenants of a shared room, a button each.
                if (TenantRooms.Named(tenants, text) is { } room)
                    return room.Tenants is [var only]
                        ? Fill.Of(Taken(only), room.After)
                        : Fill.Choose($"{room.Room} 住着 {room.Tenants.Count} 位租客，是哪一位？", $"{room.Tenants.Count} of your tenants live in {room.Room}: which one?",
                            [.. room.Tenants.Select(TenantRooms.Label)], room.After);
                // 小王, 老王: the tenants surnamed 王, offered (a nickname is never taken on a guess), the rest of the line kept.
                if (TenantRooms.Nickname(tenants, text) is { } nick)
                    return Fill.Choose($"「{nick.Word}」是哪一位租客？点名字确认。", $"Which of your tenants is \"{nick.Word}\"? Press the name.",
                        [.. nick.Tenants.Select(TenantRooms.Label)], nick.After);
                // A part of several names is theirs, not nobody's: those are offered.
                if (Names.Sharing(tenants, t => t.Name, firstWord) is { } several)
                    return Fill.Choose($"您名下的租客中有 {several.Count} 位名字含「{Phrases.Quote(several.Word)}」，是哪一位？",
                        $"{several.Count} of your tenants have \"{Phrases.Quote(several.Word)}\" in their names: which one?", [.. several.Items.Select(TenantRooms.Label)]);
                // 帮王小明办了居住证: a name inside the first phrase, as a sentence is spoken. Offered, never taken; the line is kept
                // whole as the rest, so the report says what the landlord wrote.
                if (TenantRooms.Inside(tenants, text) is { Count: > 0 } inside)
                    return Fill.Choose(inside.Count == 1 ? $"是指租客「{inside[0].Name}」吗？点它确认，或输入其他租客。" : "是哪一位租客？点名字确认。",
                        inside.Count == 1 ? $"Do you mean your tenant {inside[0].Name}? Press it to confirm, or type another tenant." : "Which tenant? Press the name.",
                        [.. inside.Select(TenantRooms.Label)], text.Trim());
                // A person's name matches whole: 张伟 is not 张伟华 (Chinese given names nest), so the one whose name holds
                // it is offered for the landlord to press, not taken; registering is said for the case it is someone else.
                if (Names.Within(tenants, t => t.Name, text, firstWord) is { } within)
                    return Fill.Confirm(
                        $"「{Phrases.Quote(named)}」不在您名下的租客中（名下有：{within.Item.Name}）：是指{within.Item.Name}吗？点它确认；如果是另一位，请先请村/社区书记登记，登记后再发。",
                        $"\"{Phrases.Quote(named)}\" is not one of your tenants (you have {within.Item.Name}): do you mean them? Press it to confirm; if it is someone else, ask your secretary to register them, then send it again.",
                        TenantRooms.Label(within.Item), within.After);
                // Refused until the office registers them; a return reported once they are is judged from then (Reporting).
                return Fill.Complaint(
                    $"「{Phrases.Quote(named)}」不在您名下的租客中：请先请村/社区书记登记，登记后再发；返回的到达时间照实填写，不会按迟报扣分。",
                    $"\"{Phrases.Quote(named)}\" is not one of your tenants: ask your secretary to register them, then send it again; give the real arrival time, it is not charged as late.");
            }
            case SlotKind.Shop:
            case SlotKind.Target:
            {
                var shops = (await turn.S.ListShopsAsync(turn.Subject!.Id)).Where(x => x.Active).ToList();
                if (shops.Count == 0)
                    return Fill.Complaint("您名下还没有登记店铺，请联系村/社区书记登记。", "You have no shops on record yet; ask your secretary to register them.", giveUp: true);
                if ((Names.Lead(shops, x => x.Name, text) ?? Names.Within(shops, x => x.Name, text, firstWord)) is { } found)
                    return Fill.Of(found.Item.Name, found.After);
                if (Names.Sharing(shops, x => x.Name, firstWord) is { } several)
                    return Fill.Choose($"您负责的店铺中有 {several.Count} 家名字含「{Phrases.Quote(several.Word)}」，是哪一家？",
                        $"{several.Count} of your shops have \"{Phrases.Quote(several.Word)}\" in their names: which one?", [.. several.Items.Select(x => x.Name)]);
                return Fill.Complaint($"「{Phrases.Quote(named)}」不在您负责的店铺中。", $"\"{Phrases.Quote(named)}\" is not one of your shops.");
            }
            case SlotKind.Arrival:
            {
                var zone = await turn.ZoneAsync();
                // The hour asked of a day (昨天 → 几点？): an hour alone answers it for that day, not today's.
                var asked = whole ? AskedArrival(values, zone, turn.Now) : null;
                if (asked is { } notSure && IsNotSure(text))
                    return Fill.Of(notSure.Counted.ToString("O", CultureInfo.InvariantCulture), "");
                (DateOnly Earlier, DateOnly Later)? ambiguous;
                var reading = asked is { } on
                    ? ChatTime.ReadOn(text, on.Day, on.Part, turn.Now, zone, out ambiguous)
                    : ChatTime.Read(text, turn.Now, zone, out ambiguous);
                if (ambiguous is var (earlier, later))
                {
                    // 1/2 is 2 January in America and China and 1 February in Britain: a wrong guess could cost points.
                    var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(turn.Now, zone).DateTime);
                    string Zh(DateOnly d) => d.Year == today.Year ? $"{d.Month}月{d.Day}日" : $"{d.Year}年{d.Month}月{d.Day}日";
                    string En(DateOnly d, string format) => d.ToString(d.Year == today.Year ? format : format + " yyyy", CultureInfo.InvariantCulture);
                    return Fill.Complaint(
                        $"「{Phrases.Quote(text)}」可能是{Zh(earlier)}，也可能是{Zh(later)}，请写成「{Zh(earlier)}」或「{Zh(later)}」这样。",
                        $"\"{Phrases.Quote(text)}\" could be {En(earlier, "d MMMM")} or {En(later, "d MMMM")}: write the month as a word, like \"{En(earlier, "d MMM")}\" or \"{En(later, "d MMM")}\".");
                }
                if (reading is null)
                    return Fill.Complaint($"看不懂「{Phrases.Quote(text)}」这个时间。", $"I cannot read \"{Phrases.Quote(text)}\" as a time.");
                // The day asked about, sent again at once, is its button pressed twice, not "I don't know the hour": asked
                // again once, as a text slot's answer of the step before is; after that it counts from noon, as 记不清 does.
                if (asked is { } repeat && reading.LatestOfDay is not null && reading.Part == repeat.Part
                    && DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(reading.At, zone).DateTime) == repeat.Day
                    && values.GetValueOrDefault(LastAnswer) != text)
                {
                    values[LastAnswer] = text;
                    return Fill.Complaint($"「{Phrases.Quote(text)}」是上一步的回答（按钮按了两次？）。",
                        $"\"{Phrases.Quote(text)}\" answered the step before (a button pressed twice?).");
                }
                // A date without a time counts from noon. Where that alone makes the return late (and a later hour
                // that day would not), ask once for the hour rather than deduct on a guess; 记不清, or the same day sent
                // again after the warning above, counts from noon.
                var street = await turn.StreetAsync();
                // 两点 with no 上午/下午 is 14:00 to many, 02:00 to others: where the two come out differently (late or in
                // time, or the hour as written still ahead), both are offered, with what each means, before anything is recorded.
                if (reading.Halves is var (morning, afternoon)
                    && await HalvesDifferAsync(turn, street, values, reading.At, morning, afternoon, zone, text) is { } halves)
                    return halves;
                // Judged as the report will judge it, by the one use case: at noon, and at the day's last minute, each with
                // the window that hour finds (the window may have changed during that day).
                // (A tenant listed after the arrival counts from then: read for a date without a time only.)
                if (reading.LatestOfDay is { } latest
                    && (values.TryGetValue("tenant", out var tenantId) ? await turn.S.GetTenantAsync(tenantId) : null) is var listed
                    && await Reporting.AssessArrivalAsync(turn.S, street, turn.Subject?.Id, reading.At, turn.Now, listed?.ListedAfter(reading.At)) is { IsLate: true } guessed
                    && !(await Reporting.AssessArrivalAsync(turn.S, street, turn.Subject?.Id, latest, turn.Now, listed?.ListedAfter(latest))).IsLate
                    && values.TryAdd(ArrivalHourAsked, AskedValue(reading, zone)))
                {
                    var hours = (int)guessed.Window.TotalHours;
                    // Counted from noon for a date, from the middle of 下午 or 晚上 for a part of the day: say which.
                    var counted = Phrases.When(reading.At, zone, turn.Now, turn.Zh);
                    return Fill.Complaint(
                        $"「{Phrases.Quote(text)}」没有说几点：按 {counted} 算，到现在已超过{hours}小时，会记为未及时上报。",
                        $"\"{Phrases.Quote(text)}\" has no time: counted from {counted}, that is over {hours} h ago, which is a late report.");
                }
                return Fill.Of(reading.At.ToString("O", CultureInfo.InvariantCulture), "");
            }
            case SlotKind.Text:
            {
                if (text.Length == 0) return Fill.Complaint("请用文字说明。", "Please say it in words.");
                // Refused here, not only by the use case after the last step: the dialog then asks for this text again.
                var (en, zh) = slot.Name == Reason.Name ? ("reason", "原因") : ("note", "说明");
                var written = RosterText.Text(text, slot.Name, en, zh);
                if (written.Failure is { } refused) return Fill.Complaint(refused.Chinese, refused.English);
                // A card's maxLength is a hint some clients ignore: refused here, the reason is asked again for the same record
                // instead of the use case refusing it after the last step and the dialog ending.
                if (slot.Name == Reason.Name && written.Value!.Length > Verification.MaxReasonLength)
                    return Fill.Complaint($"原因最多{Verification.MaxReasonLength}字，这次是{written.Value.Length}字，请写短一些。",
                        $"A reason is at most {Verification.MaxReasonLength} characters; this one has {written.Value.Length}. Please shorten it.");
                // So is a note past the use case's limit (a pasted description): the tenant or person named stays, and the
                // use case's refusal stays the guard. The note leaves room for the name the record puts before it: a deduction's
                // shop, or the tenant (代办) or person (违规) of a landlord's or shop head's own report (ReportAsync).
                if (slot.Name != Reason.Name)
                {
                    var about = values.TryGetValue(ShopNamed, out var shop) ? shop
                        : values.TryGetValue("tenant", out var tenant) ? await TenantNameAsync(turn, tenant)
                        : values.GetValueOrDefault("target");
                    var room = Reporting.MaxEvidenceLength - (about is null ? 0 : about.Length + turn.T("：", ": ").Length);
                    if (written.Value!.Length > room)
                        return Fill.Complaint($"说明最多{room}字，这次是{written.Value.Length}字，请写短一些。",
                            $"A note is at most {room} characters; this one has {written.Value.Length}. Please shorten it.");
                }
                return Fill.Of(written.Value!, "");
            }
            case SlotKind.Subject:
                return await ResolveSubjectAsync(turn, values, text, whole, firstWord, named);
            case SlotKind.Rule:
            {
                var rules = await DeductionRulesAsync(turn, values["subject"]);
                if (rules.FirstOrDefault(r => string.Equals(r.Code, firstWord, StringComparison.OrdinalIgnoreCase)) is { } byCode)
                    return Fill.Of(byCode.Code, text[firstWord.Length..].Trim());
                if (Names.Lead(rules, r => r.NameZh, text) is { } zh) return Fill.Of(zh.Item.Code, zh.After);
                if (Names.Lead(rules, r => r.NameEn, text) is { } en) return Fill.Of(en.Item.Code, en.After);
                // A rule of the street that is someone else's to record is no unknown rule, nor a guess at another: who records it is said.
                if (await RuleNotYoursAsync(turn, values["subject"], text, firstWord) is { } notYours) return notYours;
                // A word of a rule is a guess, and a deduction costs up to 6 points: the worker sees the rule and its points and presses it.
                if (RuleWords.LooseLead(rules, text) is var (loose, after))
                    return Fill.Confirm($"是指「{loose.NameZh}」（{Phrases.Delta(loose.Delta)}）吗？点它确认，或输入其他规则。",
                        $"Do you mean \"{loose.NameEn}\" ({Phrases.Delta(loose.Delta)})? Press it to confirm, or type another rule.", turn.Zh ? loose.NameZh : loose.NameEn, after);
                return Fill.Complaint($"没有「{Phrases.Quote(named)}」这条扣分规则。", $"There is no deduction rule \"{Phrases.Quote(named)}\".");
            }
            case SlotKind.Code when firstWord.Length > 0:
                // Kept as its hash (as enrolment_codes keeps it, keyed: Enrolment.HashOf): the dialog row, read while the
                // account is asked to confirm a move, holds no live code, nor a hash a copy of the database could reverse.
                return Fill.Of(await enrolment.KeptHashInAsync(turn.S, firstWord), text[firstWord.Length..].Trim());
            case SlotKind.Id when CommandParser.SplitIds(firstWord) is [var id, ..]:
            {
                // Ids hold letters and digits only: a comma typed after one (通过 K8TYAB8JP，) is not part of it.
                var after = text[(text.IndexOf(id, StringComparison.Ordinal) + id.Length)..];
                return Fill.Of(id, CommandParser.SplitIds(after) is [] ? "" : after.TrimStart(CommandParser.IdSeparators).Trim());
            }
            case SlotKind.Id:
            case SlotKind.Code:
                return firstWord.Length > 0
                    ? Fill.Of(firstWord, text[firstWord.Length..].Trim())
                    : Fill.Complaint(slot.Kind == SlotKind.Code ? "请发送绑定码。" : "请发送记录编号。", slot.Kind == SlotKind.Code ? "Please send the code." : "Please send the record's id.");
            case SlotKind.Enrollee:
                return await ResolveEnrolleeAsync(turn, text);
            case SlotKind.Week:
                return ReadWeek(turn, await turn.ZoneAsync(), text);
            case SlotKind.Kind:
                return ReadKind(text, whole);
            case SlotKind.Confirm:
                return slot == Rebind ? ReadRebind(text) : ReadConfirmation(text);
            default:
                return Fill.Complaint("没看懂。", "I did not understand.");
        }
    }

    private async Task<Activity> AskAsync(ChatTurn turn, Verb verb, Slot slot, IReadOnlyDictionary<string, string> values, string? complaint)
    {
        var lead = complaint is null ? "" : complaint + "\n";
        var cancel = turn.T("取消", "cancel");
        if (FlowOf(verb).Question is { } question && question(turn, slot, values, lead) is { } asked) return asked;
        switch (slot.Kind)
        {
            case SlotKind.Tenant:
            case SlotKind.Target when turn.Subject?.Kind == SubjectKind.Landlord:
            {
                var names = (await turn.S.ListTenantsAsync(turn.Subject!.Id)).Where(t => t.Active).Select(TenantRooms.Label).ToList();
                var (zh, en) = verb switch
                {
                    Verb.Return => ("哪位租客返回了？请选择或输入姓名：", "Which tenant has returned? Pick or type the name:"),
                    Verb.Service => ("为哪位租客代办？请选择或输入姓名：", "For which tenant? Pick or type the name:"),
                    _ => ("哪位租客违规？请选择或输入姓名：", "Which tenant broke the rules? Pick or type the name:"),
                };
                return turn.Ask(lead + zh, lead + en, [.. names, cancel]);
            }
            case SlotKind.Shop:
            case SlotKind.Target:
            {
                var names = (await turn.S.ListShopsAsync(turn.Subject!.Id)).Where(x => x.Active).Select(x => x.Name).ToList();
                return verb == Verb.Reopen
                    ? turn.Ask(lead + "协助哪家店铺复工登记？", lead + "Which shop did you help register to reopen?", [.. names, cancel])
                    : turn.Ask(lead + "哪家店铺违规？请选择或输入店名：", lead + "Which shop broke the rules? Pick or type its name:", [.. names, cancel]);
            }
            case SlotKind.Arrival:
            {
                var tenant = values.TryGetValue("tenant", out var id) ? (await turn.S.GetTenantAsync(id))?.Name : null;
                var zone = await turn.ZoneAsync();
                if (AskedArrival(values, zone, turn.Now) is { } day)
                {
                    // The hour of the day asked about: buttons that answer it (a few hours of that day, and not sure).
                    var notSure = NotSure(day, zone, turn.Zh);
                    var hours = HoursOf(day.Part).Select(h => WallClock.Instants(day.Day.ToDateTime(h), zone)[0]).Where(at => at <= turn.Now)
                        .Select(at => Phrases.When(at, zone, turn.Now, turn.Zh));
                    return turn.Ask(
                        lead + $"{tenant ?? "租客"}大概几点到的？直接回复钟点即可，如「8点」「21:00」；记不清就点「{notSure}」。",
                        lead + $"About what time did {tenant ?? "the tenant"} arrive? Reply with the hour, like \"8am\" or \"21:00\"; if you are not sure, press \"{notSure}\".",
                        [.. hours, notSure, cancel]);
                }
                // After a time it could not read, the days of the week gone by are offered by name (周日 11月15日), so a
                // tenant back on Sunday needs no date typed.
                IEnumerable<string> days = complaint is null ? [] : LastDays(turn.Now, zone, turn.Zh);
                return turn.Ask(
                    lead + $"{tenant ?? "租客"}是什么时候到的？可以回复「今天 14:00」「昨天」「11月20日」或「2026-11-20 08:30」。",
                    lead + $"When did {tenant ?? "the tenant"} arrive? Reply like \"today 14:00\", \"yesterday 9pm\", \"Nov 20\" or \"2026-11-20 08:30\".",
                    turn.Zh ? ["刚刚", "今天", "昨天", .. days, cancel] : ["just now", "today", "yesterday", .. days, cancel]);
            }
            case SlotKind.Text when verb == Verb.Service:
                return turn.Ask(lead + "代办了什么事？请选择或输入：", lead + "What did you do for them? Pick or type:",
                    [.. turn.Zh ? ServicesOfferedZh : ServicesOfferedEn, cancel]);
            case SlotKind.Text when verb == Verb.Violation:
                return turn.Ask(lead + $"{values.GetValueOrDefault("target")}有什么违规情况？请简单说明：", lead + $"What did {values.GetValueOrDefault("target")} do? Describe it briefly:", [cancel]);
            case SlotKind.Text when verb == Verb.Mediate:
                return turn.Ask(lead + "请简单说明调解了什么纠纷：", lead + "Briefly, what dispute did you help settle?", [cancel]);
            case SlotKind.Text when verb == Verb.Deduct:
                return turn.Ask(lead + "请说明看到的情况（没有可回复「无」）：", lead + "Describe what you saw (or reply \"none\"):", [turn.T("无", "none"), cancel]);
            case SlotKind.Text when verb == Verb.Revoke:
                return turn.Ask(lead + $"请填写撤销 {values.GetValueOrDefault("id")} 的原因（当事人会看到）：", lead + $"Why is {values.GetValueOrDefault("id")} revoked? The person concerned will read this:", [cancel]);
            case SlotKind.Text:
                // Pressed on one of up to ten cards, or typed with the id: the question names the record it is about.
                return values.GetValueOrDefault("id") is { Length: > 0 } record
                    ? turn.Ask(lead + $"请填写驳回 {record} 的原因（当事人会看到）：", lead + $"Why is {record} rejected? The person concerned will read this:", [cancel])
                    : turn.Ask(lead + "请填写驳回原因（当事人会看到）：", lead + "Why is it rejected? The person concerned will read this:", [cancel]);
            case SlotKind.Subject:
            {
                var people = await ScopeSubjectsAsync(turn);
                return turn.Ask(lead + "扣谁的分？请选择或输入姓名（铺长也可输入店名）：", lead + "Whose points? Pick or type the name (or, for a shop head, a shop's):", [.. await SubjectButtonsAsync(turn, people, 10), cancel]);
            }
            case SlotKind.Rule:
            {
                var rules = await DeductionRulesAsync(turn, values["subject"]);
                var lines = string.Join("\n", rules.Select(r => $"· {r.Name(turn.Zh)} {Phrases.Delta(r.Delta)}"));
                return turn.Ask(lead + "按哪条规则扣分？\n" + lines, lead + "Under which rule?\n" + lines, [.. rules.Select(r => r.Name(turn.Zh)), cancel]);
            }
            case SlotKind.Id when verb == Verb.Revoke:
                return turn.Ask(lead + "请发送要撤销的记录编号（已通过的记录）：", lead + "Send the id of the approved record to revoke:", [cancel]);
            case SlotKind.Id:
            {
                var ids = turn.Staff is { } staff ? (await QueueOfAsync(turn, staff, PendingPageSize)).Value?.Items.Select(p => p.Event.Id) ?? [] : [];
                return turn.Ask(lead + "请发送要驳回的记录编号：", lead + "Send the id of the record to reject:", [.. ids, cancel]);
            }
            case SlotKind.Enrollee:
                return turn.Ask(lead + "为谁生成绑定码？请输入对方的姓名或电话：", lead + "Who is the code for? Type their name or phone number:", [cancel]);
            default:
                return turn.Ask(lead + "请发送绑定码（书记发给您的8位码）：", lead + "Send your code (8 characters, from your secretary):", [cancel]);
        }
    }

    /// <summary>The day (and part of it) whose hour was asked, with the instant a date alone counts from; null when none was.</summary>
    private static (DateOnly Day, string? Part, DateTimeOffset Counted)? AskedArrival(IReadOnlyDictionary<string, string> values, TimeZoneInfo zone, DateTimeOffset now)
    {
        if (values.GetValueOrDefault(ArrivalHourAsked) is not { } kept) return null;
        var space = kept.IndexOf(' ', StringComparison.Ordinal);
        if (!DateOnly.TryParseExact(space < 0 ? kept : kept[..space], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return null;
        var part = space < 0 ? null : kept[(space + 1)..];
        // Read as the question read it: noon of the day, the middle of its part.
        return ChatTime.Read($"{day.Year}年{day.Month}月{day.Day}日{part}", now, zone) is { } counted ? (day, part, counted.At) : null;
    }

    private static string AskedValue(ChatTimeReading reading, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(reading.At, zone).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return reading.Part is { } part ? $"{day} {part}" : day;
    }

    /// <summary>
    /// The question of a bare hour whose morning and afternoon readings come out differently — one late and the other
    /// in time, or the hour as written still ahead and the other not — with a button for each (11月17日 凌晨2点,
    /// 11月17日 下午2点); null when they come out alike, or only the reading not written is ahead (今天8点 said at 13:00:
    /// no arrival is still to come, so 08:00 as written).
    /// </summary>
    private static async Task<Fill?> HalvesDifferAsync(ChatTurn turn, Street street, IReadOnlyDictionary<string, string> values,
        DateTimeOffset written, DateTimeOffset morning, DateTimeOffset afternoon, TimeZoneInfo zone, string text)
    {
        var tenant = values.TryGetValue("tenant", out var tenantId) ? await turn.S.GetTenantAsync(tenantId) : null;
        async Task<(bool Ahead, bool Late, int Hours)> OutcomeAsync(DateTimeOffset at)
        {
            if (at > turn.Now + Reporting.MaxAhead) return (true, false, 0);
            var assessed = await Reporting.AssessArrivalAsync(turn.S, street, turn.Subject?.Id, at, turn.Now, tenant?.ListedAfter(at));
            return (false, assessed.IsLate, (int)assessed.Window.TotalHours);
        }
        var (early, late) = (await OutcomeAsync(morning), await OutcomeAsync(afternoon));
        if (early.Ahead == late.Ahead && early.Late == late.Late) return null;
        if ((written == morning ? late : early).Ahead && !(written == morning ? early : late).Ahead) return null;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(turn.Now, zone).DateTime);
        string Said((bool Ahead, bool Late, int Hours) o, bool zh) => o.Ahead ? (zh ? "还没到" : "is still ahead")
            : o.Late ? (zh ? $"已超过{o.Hours}小时，会记为未及时上报" : $"is over {o.Hours} h ago, a late report") : (zh ? "按时" : "is in time");
        var (am, pm) = (HalfOfDay(morning, zone, today, turn.Zh), HalfOfDay(afternoon, zone, today, turn.Zh));
        return Fill.Choose(
            $"「{Phrases.Quote(text)}」是{am.Clock}还是{pm.Clock}？按{am.Clock}算{Said(early, true)}，按{pm.Clock}算{Said(late, true)}。请点一个：",
            $"\"{Phrases.Quote(text)}\": {am.Clock} or {pm.Clock}? {am.Clock} {Said(early, false)}; {pm.Clock} {Said(late, false)}. Press one:",
            [am.Button, pm.Button]);
    }

    /// <summary>
    /// A reading of a bare hour as its button (11月17日 凌晨2点, 17 Nov 2am), which reads back as that instant, and its
    /// clock alone (凌晨2点) for the question.
    /// </summary>
    private static (string Button, string Clock) HalfOfDay(DateTimeOffset at, TimeZoneInfo zone, DateOnly today, bool zh)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var twelve = local.Hour % 12 == 0 ? 12 : local.Hour % 12;
        if (!zh)
        {
            var clock = (local.Minute == 0 ? $"{twelve}" : $"{twelve}:{local.Minute:00}") + (local.Hour < 12 ? "am" : "pm");
            return ($"{local.Day} {local.ToString(local.Year == today.Year ? "MMM" : "MMM yyyy", CultureInfo.InvariantCulture)} {clock}", clock);
        }
        var part = local.Hour switch { < 6 => "凌晨", < 9 => "早上", < 12 => "上午", 12 => "中午", < 18 => "下午", 18 => "傍晚", _ => "晚上" };
        // Midnight is 凌晨0点: 凌晨12点 would read as noon to some.
        var hour = local.Hour == 0 ? 0 : twelve;
        var zhClock = $"{part}{hour}点" + (local.Minute == 0 ? "" : $"{local.Minute}分");
        var day = local.Year == today.Year ? $"{local.Month}月{local.Day}日" : $"{local.Year}年{local.Month}月{local.Day}日";
        return ($"{day} {zhClock}", zhClock);
    }

    /// <summary>The button for "I don't know the hour": the arrival counts from noon (or the middle of the part of the day).</summary>
    private static string NotSure((DateOnly Day, string? Part, DateTimeOffset Counted) asked, TimeZoneInfo zone, bool zh)
    {
        var clock = TimeZoneInfo.ConvertTime(asked.Counted, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
        return zh ? $"记不清（按{clock}算）" : $"not sure (count from {clock})";
    }

    /// <summary>The not-sure button (记不清（按12:00算）), or those words typed.</summary>
    private static bool IsNotSure(string text) =>
        text.StartsWith("记不清", StringComparison.Ordinal) || text.StartsWith("不记得", StringComparison.Ordinal) || text.StartsWith("not sure", StringComparison.OrdinalIgnoreCase);

    /// <summary>The days before yesterday, back to a week ago, as buttons that read back as those days: 周一 11月16日, Mon 16 Nov.</summary>
    private static IEnumerable<string> LastDays(DateTimeOffset now, TimeZoneInfo zone, bool zh)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var back = 2; back <= 6; back++)
        {
            var day = today.AddDays(-back);
            yield return zh
                ? $"周{"日一二三四五六"[(int)day.DayOfWeek]} {(day.Year == today.Year ? "" : $"{day.Year}年")}{day.Month}月{day.Day}日"
                : day.ToString(day.Year == today.Year ? "ddd d MMM" : "ddd d MMM yyyy", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Hours offered as answers to the hour of a day, or of a part of one.</summary>
    private static TimeOnly[] HoursOf(string? part) => (part switch
    {
        "凌晨" => new[] { 1, 3, 5 },
        "早上" or "早晨" => [6, 7, 8],
        "上午" => [7, 9, 11],
        "中午" => [11, 12, 13],
        "下午" => [13, 15, 17],
        "傍晚" => [17, 18, 19],
        "晚上" or "夜里" => [19, 21, 23],
        _ => [9, 15, 21],
    }).Select(h => new TimeOnly(h, 0)).ToArray();

    private static async Task<string> TenantNameAsync(ChatTurn turn, string tenantId) => (await turn.S.GetTenantAsync(tenantId))?.Name ?? tenantId;

    /// <summary>The landlords and shop heads a staff member works with (or, not <paramref name="active"/>, worked with): their community, or the whole street.</summary>
    private static async Task<IReadOnlyList<Subject>> ScopeSubjectsAsync(ChatTurn turn, bool active = true)
    {
        var staff = turn.Staff!;
        var community = staff.Role is StaffRole.Officer or StaffRole.Admin ? null : staff.CommunityId;
        return (await turn.S.ListSubjectsAsync(staff.StreetId, community)).Where(x => x.Active == active && staff.Covers(x)).ToList();
    }

    /// <summary>
    /// The active shop of one of <paramref name="people"/> the text starts with, the text after it, and the heads with a
    /// shop of that name (several when heads share it: the grid worker is asked which); null when none.
    /// </summary>
    private static async Task<(Shop Shop, string After, IReadOnlyList<Subject> Heads)?> ShopOfAsync(ChatTurn turn, IReadOnlyList<Subject> people, string text)
    {
        var heads = people.Where(p => p.Kind == SubjectKind.ShopHead).ToDictionary(p => p.Id);
        if (heads.Count == 0) return null;
        var shops = (await turn.S.ShopsOfStreetAsync(turn.Staff!.StreetId)).Where(x => x.Active && heads.ContainsKey(x.SubjectId)).ToList();
        if (Names.Lead(shops, x => x.Name, text) is not { } found) return null;
        var theirs = shops.Where(x => x.Name.Trim() == found.Item.Name.Trim()).Select(x => heads[x.SubjectId]).Distinct().ToList();
        return (found.Item, found.After, theirs);
    }

    /// <summary>The deduction rules in force for the subject's kind that this person's role may report.</summary>
    private static async Task<IReadOnlyList<Rule>> DeductionRulesAsync(ChatTurn turn, string subjectId)
    {
        var subject = await turn.S.GetSubjectAsync(subjectId);
        if (subject is null) return [];
        var rules = await Reporting.RuleSetOfAsync(turn.S, subject.StreetId, turn.Now);
        var role = turn.Staff!.ReporterRole;
        return rules.For(subject.Kind).Where(r => r.IsDeduction && r.MayBeReportedBy(role)).ToList();
    }
}

/// <summary>Finds which known name a message starts with.</summary>
internal static class Names
{
    /// <summary>The item whose name the text starts with (the longest such name), and the text after it.</summary>
    public static (T Item, string After)? Lead<T>(IEnumerable<T> items, Func<T, string> name, string text)
    {
        (T, string)? best = null;
        int bestLength = 0;
        foreach (var item in items)
        {
            var n = name(item)?.Trim() ?? "";
            if (n.Length == 0 || n.Length <= bestLength || !text.StartsWith(n, StringComparison.OrdinalIgnoreCase)) continue;
            // Chinese names may run straight into what follows (王小明今天); Latin ones need a space.
            if (text.Length > n.Length && !char.IsWhiteSpace(text[n.Length]) && !IsCjk(n[^1]) && !IsCjk(text[n.Length])) continue;
            best = (item, AfterName(text[n.Length..]));
            bestLength = n.Length;
        }
        return best;
    }

    /// <summary>
    /// The person a line names, a name matched whole: the first word (or the longest name the line starts with), else the
    /// one name that is a whole word later in the line (违规 楼道吸烟 王小明), the other words then being the rest. Never a
    /// name that only holds the word (张伟 is not 张伟华: Chinese given names nest). Sure is false for a name of two
    /// characters run straight into a character that may continue it (张伟华在… with 张伟 on the list): a guess to confirm,
    /// with the line as typed as its rest.
    /// </summary>
    public static (T Item, string After, bool Sure)? Person<T>(IReadOnlyList<T> items, Func<T, string> name, string text)
    {
        if (Lead(items, name, text) is { } led)
        {
            var n = name(led.Item).Trim();
            var next = text.Length > n.Length ? text[n.Length] : ' ';
            var runOn = IsCjk(next) && Array.IndexOf(AfterNameMarks, next) < 0 && !char.IsPunctuation(next);
            return !runOn || n.Length >= 3 || FollowsName(text.AsSpan(n.Length)) ? (led.Item, led.After, true) : (led.Item, text.Trim(), false);
        }
        var words = CommandParser.SplitWords(text);
        (T Item, int At)? found = null;
        for (var i = 1; i < words.Count; i++)
        {
            var word = words[i].TrimEnd(AfterNameMarks).TrimEnd('。', '.');
            foreach (var item in items)
            {
                if (!string.Equals(name(item)?.Trim(), word, StringComparison.OrdinalIgnoreCase)) continue;
                if (found is { } other && !EqualityComparer<T>.Default.Equals(other.Item, item)) return null; // two named: neither alone
                found ??= (item, i);
            }
        }
        return found is { } f ? (f.Item, string.Join(' ', words.Where((_, i) => i != f.At)), true) : null;
    }

    /// <summary>What a name runs straight into when it ends there (王小明今天, 张伟在楼道…): a time or a verb, not a third character.</summary>
    internal static bool FollowsName(ReadOnlySpan<char> rest)
    {
        foreach (var start in NameFollowers)
            if (rest.StartsWith(start, StringComparison.Ordinal)) return true;
        return false;
    }

    // Times, and the words a report goes on with (what they did): rarely the last character of a given name.
    private static readonly string[] NameFollowers =
    [
        "今", "昨", "前天", "刚", "在", "于", "已", "上午", "下午", "晚上", "早上", "中午", "凌晨", "半夜", "夜里", "深夜",
        "回", "到", "从", "把", "被", "又", "也", "还", "就", "都", "和", "跟", "说", "的", "因", "要", "需", "去", "帮", "办",
        "乱", "私", "占", "堆", "吵", "打", "养", "违", "擅", "未", "没", "不", "偷", "抽", "吸", "喝", "酗", "大声", "随", "聚",
        "赌", "拒", "损", "放", "晾", "扔", "带", "搬", "复工", "代", "招", "买",
    ];

    /// <summary>
    /// The one item whose name holds the first word (饰品 for 饰品店, 二号店 for 汽配二号店), and the text after that word;
    /// null when none does, or several (汽配).
    /// </summary>
    public static (T Item, string After)? Within<T>(IEnumerable<T> items, Func<T, string> name, string text, string firstWord)
    {
        // The word ends at a comma or colon typed straight after it (饰品：未登记开门).
        var cut = firstWord.IndexOfAny(AfterNameMarks);
        var word = cut < 0 ? firstWord : firstWord[..cut];
        if (word.Length < 2) return null;
        var found = items.Where(item => name(item)?.Contains(word, StringComparison.OrdinalIgnoreCase) == true).Take(2).ToList();
        return found.Count == 1 ? (found[0], AfterName(text.TrimStart()[word.Length..])) : null;
    }

    /// <summary>The items whose names hold the first word when there are several (汽配 of 汽配一号店 and 汽配二号店); null otherwise.</summary>
    public static (IReadOnlyList<T> Items, string Word, int Count)? Sharing<T>(IEnumerable<T> items, Func<T, string> name, string firstWord)
    {
        var cut = firstWord.IndexOfAny(AfterNameMarks);
        var word = cut < 0 ? firstWord : firstWord[..cut];
        if (word.Length < 2) return null;
        var found = items.Where(item => name(item)?.Contains(word, StringComparison.OrdinalIgnoreCase) == true).ToList();
        return found.Count >= 2 ? (found, word, found.Count) : null;
    }

    private static readonly char[] AfterNameMarks = [',', '，', '、', ':', '：'];

    // Marks ending a sentence, which dictation puts after a name said alone (王小明。): no part of what follows it.
    private static readonly char[] SentenceMarks = ['。', '.', '！', '!', '？', '?'];

    /// <summary>
    /// What follows a name, without the comma or colon people put after it (王小明，昨天 21:00; 饰品店：未登记开门) or the full
    /// stop dictation adds (王小明。).
    /// </summary>
    internal static string AfterName(string rest) => rest.Trim().TrimStart(AfterNameMarks).TrimStart(SentenceMarks).Trim();

    /// <summary>A character of the CJK scripts and their punctuation (U+2E80 up), where words run on without spaces.</summary>
    internal static bool IsCjk(char c) => c >= '\u2E80';
}
