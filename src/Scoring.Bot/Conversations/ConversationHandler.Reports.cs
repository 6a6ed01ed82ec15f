using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>Reports from landlords, shop heads and grid workers, and binding: each one call to a use case.</summary>
public sealed partial class ConversationHandler
{
    /// <summary>Kept once an account bound to one person has agreed to speak for the person a code names instead.</summary>
    private static readonly Slot Rebind = new("rebind", SlotKind.Confirm);

    /// <summary>
    /// Binding: the code, then, for an account whose binding it would move, a confirmation. A landlord's or shop head's code
    /// adds to the landlord/shop-head records an account speaks for (one person is often both, with one WeChat account);
    /// a staff member's code, or any code to a staff member's account, moves it: a secretary who lets rooms would stop
    /// reporting and being reminded as the one without knowing why. They are asked first, and told to bind the code from
    /// another account to keep both.
    /// </summary>
    private Flow BindingFlow() => new([Code, Rebind], (turn, v) => BindAsync(turn, v[Code.Name]))
    {
        Prepare = PrepareToBindAsync,
        Question = (turn, slot, _, lead) => slot != Rebind ? null : turn.Ask(lead + "确认改绑请点「确认改绑」，否则点「取消」。", lead + "Press \"confirm\" to move this account, or \"cancel\" to keep it as it is.",
            [turn.T("确认改绑", "confirm"), turn.T("取消", "cancel")]),
    };

    private async Task<(Activity? Settled, string? Lead)> PrepareToBindAsync(ChatTurn turn, Dictionary<string, string> values)
    {
        if (values.ContainsKey(Rebind.Name) || !values.TryGetValue(Code.Name, out var kept)) return (null, null);
        var codeHash = await enrolment.HashOfKeptInAsync(turn.S, kept);
        var row = turn.Who is null ? null : await turn.S.GetEnrolmentCodeAsync(codeHash);
        // Nobody to move the account from, the person it speaks for already, or a code that will not bind (binding says why).
        if (turn.Who is not { } before || row is null || row.UsedAt is not null || row.ReplacedAt is not null || row.ExpiresAt <= turn.Now
            || before.SpeaksFor(row.PersonId))
        {
            values[Rebind.Name] = "";
            return (null, null);
        }
        // A group reads the replies, and nothing is ever under way there: the question is asked in private, and a second
        // record is added in private too (the reply names every record the account speaks for).
        if (turn.InGroup)
            return (turn.Ask("此账号已绑定。另一人的绑定码，请私聊我发送。", "This account is linked already. Send a code of someone else to me in a private chat.", Menu(turn)), null);
        // A landlord's or shop head's code to an account of such records adds to them: nothing is moved, nothing to ask.
        if (Enrolment.Adds(before.PersonKind, row.PersonKind))
        {
            values[Rebind.Name] = "";
            return (null, null);
        }
        var next = row.PersonKind == "subject" ? new Enrollee(await turn.S.GetSubjectAsync(row.PersonId), null) : new Enrollee(null, await turn.S.GetStaffAsync(row.PersonId));
        string Other(bool zh) => next.Subject is { } x ? zh ? $"{x.Name}（{Phrases.Kind(x.Kind, true)}）" : $"{x.Name} ({Phrases.Kind(x.Kind, false)})"
            : next.Staff is { } st ? zh ? $"{st.Name}（{Phrases.Role(st.Role, true)}）" : $"{st.Name} ({Phrases.Role(st.Role, false)})" : zh ? "另一人" : "someone else";
        return (null, turn.T(
            $"此账号现在代表{Describe(before, true)}，这个绑定码是{Other(true)}的。一个聊天账号可以同时代表几个房东/铺长身份，但工作人员的身份只能单独使用一个账号：改绑后，{Describe(before, true)}的上报、积分查询和提醒都不再经过此账号。\n"
                + "如果两个身份您都要用，请保留现在的绑定，用另一个聊天账号（例如另一个微信号）私聊我发送这个绑定码。\n",
            $"This account now speaks for {Describe(before, false)}; this code is {Other(false)}'s. A chat account may speak for several landlords and shop heads, but a staff post needs an account of its own: once moved, {Describe(before, false)}'s reports, score and reminders no longer go through this account.\n"
                + "If you need both, keep this link and send the code to me from another chat account.\n"));
    }

    private static Fill ReadRebind(string text) =>
        text.Trim().TrimEnd('。', '.', '!', '！') is "确认改绑" || ReadConfirmation(text).Value is not null
            ? Fill.Of("yes", "")
            : Fill.Complaint("请点「确认改绑」，或发送「取消」保留现在的绑定。", "Press \"confirm\", or send \"cancel\" to keep the account as it is.");

    /// <param name="kept">The code as the dialog keeps it (<see cref="Enrolment.KeptHashInAsync"/>; as typed, from an older instance).</param>
    private async Task<Activity> BindAsync(ChatTurn turn, string kept)
    {
        var codeHash = await enrolment.HashOfKeptInAsync(turn.S, kept);
        var channel = turn.Inbound.ChannelId!;
        var userId = turn.Inbound.From!.Id!;
        // Pressing "bind" again with the code already used by this very account is no mistake.
        if (turn.Who is { } already && await turn.S.GetEnrolmentCodeAsync(codeHash) is { UsedAt: not null } used
            && already.SpeaksFor(used.PersonId))
        {
            if (already.Records.FirstOrDefault(r => r.Id == used.PersonId) is { } record) turn.SpeakAs(record);
            return turn.Ask($"您已绑定为{Describe(turn.Who!, true)}。", $"You are already linked as {Describe(turn.Who!, false)}.", Menu(turn));
        }
        var bound = await enrolment.BindHashInAsync(turn.S, channel, userId, codeHash);
        if (bound.Failure is { } failure)
            return turn.Ask(failure.Chinese, failure.English, [turn.T("绑定", "bind"), turn.T("帮助", "help")]);
        var before = turn.Who;
        turn.Who = bound.Value!;
        // A code is the person's to give; whoever holds it may move the account, but never without being told.
        var greeting = before is null
            ? turn.T($"绑定成功！您好，{Describe(turn.Who, true)}。", $"Linked! Hello, {Describe(turn.Who, false)}.")
            : before.SpeaksFor(turn.Who.Subject?.Id ?? turn.Who.Staff!.Id)
                ? turn.T($"您已绑定为{Describe(turn.Who, true)}，新的绑定码也已用于此账号。", $"You are already linked as {Describe(turn.Who, false)}; the new code is now used for this account.")
            // A landlord's or shop head's code adds to the records the account speaks for: the reply names them all.
            : turn.Who.Several
                ? turn.T($"绑定成功：此账号现在也代表{Describe(turn.Who, true)}。", $"Linked: this account now also speaks for {Describe(turn.Who, false)}.") + "\n" + await RecordsLineAsync(turn)
                    + turn.T("上报时我会按租客或店铺找到对应的身份，分不清时会问您；「解绑 姓名」可以让此账号不再代表其中一个。",
                        " Reports go to the record whose tenant or shop they name, and I ask when that leaves a choice; \"unbind <name>\" stops speaking for one.")
            : turn.T($"改绑成功：此账号不再代表{Describe(before, true)}，现在代表{Describe(turn.Who, true)}。",
                $"Linked anew: this account no longer speaks for {Describe(before, false)}; it now speaks for {Describe(turn.Who, false)}.");
        // A code adds an account and takes none away: an old phone, sold or lost, would go on speaking for them unheard of.
        if (turn.Who.OtherAccounts is > 0 and var others)
            greeting += turn.T($"\n另有{others}个聊天账号也代表您（如旧手机上的）。不再是您本人在用的，请在那个账号上发送「解绑」，或请社区书记解绑。",
                $"\n{others} other chat account{(others == 1 ? "" : "s")} also speak{(others == 1 ? "s" : "")} for you (an old phone's, say). One no longer yours: send \"unbind\" from it, or ask your community's secretary to unbind it.");
        return await HelpAsync(turn, greeting);
    }

    private static string Describe(ChatIdentity who, bool zh)
    {
        if (who.Subject is { } s) return zh ? $"{s.Name}（{Phrases.Kind(s.Kind, true)}）" : $"{s.Name} ({Phrases.Kind(s.Kind, false)})";
        var staff = who.Staff!;
        return zh ? $"{staff.Name}（{Phrases.Role(staff.Role, true)}）" : $"{staff.Name} ({Phrases.Role(staff.Role, false)})";
    }

    private async Task<Activity> ReturnAsync(ChatTurn turn, string tenantId, DateTimeOffset arrival)
    {
        var landlord = turn.Who!.Actor;
        var outcome = await turn.AttemptAsync(() => reporting.ReportReturnInAsync(turn.S, landlord, tenantId, arrival, turn.Source));
        if (outcome.Failure is { } failure)
        {
            if (failure.Code is "in-future" or "too-old")
            {
                // A bad date: keep the tenant and ask for the time again.
                var values = new Dictionary<string, string> { ["tenant"] = tenantId };
                if (turn.Who is { Several: true, Subject: { } record }) values[AsRecord] = record.Id;
                turn.Next = new DialogState(Verb.Return, Arrival.Name, values);
                return await AskAsync(turn, Verb.Return, Arrival, values, failure.Text(turn.Zh));
            }
            return turn.Ask(failure.Chinese, failure.English, Menu(turn));
        }
        var r = outcome.Value!;
        var zone = await turn.ZoneAsync();
        // A late return charged where it fell due: in January that may be a cycle already over (2026-W53).
        var earlier = r.Deduction is { } d ? await Reporting.EarlierCycleOfAsync(turn.S, d.Event, d.Subject, turn.Now) : null;
        var (zh, en) = r.Corrects is { } first && r.Deduction is { } charge ? CorrectionAnswer(turn, r, first, charge, zone) : ReturnAnswer(turn, r, zone, earlier);
        (zh, en) = (zh + UndoHint.Zh, en + UndoHint.En);
        if (!r.AlreadyRecorded) return turn.Ask(zh, en, Menu(turn));
        var at = Phrases.When(r.RecordedAt, zone, turn.Now, turn.Zh);
        return turn.Ask($"这次返回已在 {at} 登记过，不重复记录。\n" + zh, $"This return was reported already, at {at}; nothing is recorded twice.\n" + en, Menu(turn));
    }

    private static (string Zh, string En) ReturnAnswer(ChatTurn turn, ReturnReceipt r, TimeZoneInfo zone, EarlierCycle? earlier)
    {
        var when = Phrases.When(r.ArrivalAt, zone, turn.Now, turn.Zh);
        if (!r.Late)
        {
            return ($"已登记：{r.Tenant.Name} {when} 到达，按时上报，不扣分。\n分值：0\n当前积分：{r.Balance}",
                $"Recorded: {r.Tenant.Name} arrived {when}, reported in time; no points at stake.\nPoints: 0\nBalance now: {r.Balance}");
        }
        var due = Phrases.When(r.DueAt, zone, turn.Now, turn.Zh);
        // When the report came in, to the second: late by seconds past the due minute reads as such, not as a clock's whim.
        var received = $"{Phrases.When(r.RecordedAt, zone, turn.Now, turn.Zh)}:{TimeZoneInfo.ConvertTime(r.RecordedAt, zone).Second:00}";
        if (r.Deduction is not { } late)
        {
            // Late, but the street's rules record nothing for it (no such rule, or the week's cap reached).
            return ($"已登记：{r.Tenant.Name} {when} 到达。{received} 收到，应在 {due} 前上报，已超时，按本街道规则此次不扣分。\n分值：0\n当前积分：{r.Balance}",
                $"Recorded: {r.Tenant.Name} arrived {when}. It was due by {due} and received {received}; it is late, but the street's rules deduct nothing for it this time.\nPoints: 0\nBalance now: {r.Balance}");
        }
        var of = earlier is null ? ("", "") : ($"\n该扣分{Phrases.CountedIn(earlier, true)}，不影响本周期。", $"\nThe deduction {Phrases.CountedIn(earlier, false)}, not in this cycle.");
        return ($"已登记：{r.Tenant.Name} {when} 到达。{received} 收到，应在 {due} 前上报，已超时，系统记为「{late.Rule.NameZh}」：\n{Phrases.Receipt(late.Event, r.Balance, true, late.Reason)}{of.Item1}\n{Phrases.Next(late.Event.Status, late.Event.Delta, true)}",
            $"Recorded: {r.Tenant.Name} arrived {when}. It was due by {due} and received {received}, so the system records \"{late.Rule.NameEn}\":\n{Phrases.Receipt(late.Event, r.Balance, false, late.Reason)}{of.Item2}\n{Phrases.Next(late.Event.Status, late.Event.Delta, false)}");
    }

    /// <summary>
    /// A late return told again with another arrival (a mistyped time corrected): the one charge is the first report's,
    /// which the landlord reads with how to have it waived when the first arrival was wrong.
    /// </summary>
    private static (string Zh, string En) CorrectionAnswer(ChatTurn turn, ReturnReceipt r, CorrectedReturn first, ReportReceipt charge, TimeZoneInfo zone)
    {
        string When(DateTimeOffset at, bool zh) => Phrases.When(at, zone, turn.Now, zh);
        // Corrected to an arrival in time: the first report's charge is not undone by it, which the landlord must hear.
        if (!r.Late)
            return ($"{r.Tenant.Name}的返回已在 {When(first.ReportedAt, true)} 登记（到达 {When(first.ArrivalAt, true)}），这次改为 {When(r.ArrivalAt, true)} 到达，按时，本次不扣分；原扣分仍在，请联系书记免除。\n" +
                    $"{Phrases.Receipt(charge.Event, r.Balance, true, charge.Reason)}\n{Phrases.Next(charge.Event.Status, charge.Event.Delta, true)}",
                $"{r.Tenant.Name}'s return was reported at {When(first.ReportedAt, false)} (arrived {When(first.ArrivalAt, false)}); now {When(r.ArrivalAt, false)}, in time: nothing is deducted for this one, but the first charge stands. Ask your secretary to waive it.\n" +
                    $"{Phrases.Receipt(charge.Event, r.Balance, false, charge.Reason)}\n{Phrases.Next(charge.Event.Status, charge.Event.Delta, false)}");
        return ($"{r.Tenant.Name}的返回已在 {When(first.ReportedAt, true)} 登记（到达 {When(first.ArrivalAt, true)}），这次改为 {When(r.ArrivalAt, true)} 到达，仍已超时，未再扣分；原到达时间有误请联系书记免除。\n" +
                $"{Phrases.Receipt(charge.Event, r.Balance, true, charge.Reason)}\n{Phrases.Next(charge.Event.Status, charge.Event.Delta, true)}",
            $"{r.Tenant.Name}'s return was reported at {When(first.ReportedAt, false)} (arrived {When(first.ArrivalAt, false)}); now {When(r.ArrivalAt, false)}, still late: nothing more is deducted. If the first arrival was wrong, ask your secretary to waive it.\n" +
                $"{Phrases.Receipt(charge.Event, r.Balance, false, charge.Reason)}\n{Phrases.Next(charge.Event.Status, charge.Event.Delta, false)}");
    }

    /// <summary>A subject's own report under one of their rules; the evidence names what it is about.</summary>
    private async Task<Activity> ReportAsync(ChatTurn turn, string ruleCode, string? about, string? what)
    {
        var subject = turn.Subject!;
        var evidence = (about, what) switch
        {
            ({ } a, { } w) => turn.T($"{a}：{w}", $"{a}: {w}"),
            ({ } a, null) => a,
            (null, { } w) => w,
            _ => "",
        };
        // A message sent again (no answer came quickly) is an activity of its own: the same line is the same report.
        var outcome = await turn.AttemptAsync(() => reporting.ReportInAsync(turn.S,
            new ReportRequest(Actor.Of(subject), subject.Id, ruleCode, turn.Source, evidence, turn.Now) { SameRecentlyIsRetry = true }));
        // The street dropped the rule behind the command: said in the rule's words, not by its code, which the person never saw.
        if (outcome.Failure is { Code: "unknown-rule" } && DefaultRules.All.FirstOrDefault(r => r.Code == ruleCode) is { } dropped)
            return turn.Ask($"本街道现行规则中已没有「{dropped.NameZh}」这一项，这条没有记录。发「帮助」可查看现在可以上报的事项。",
                $"The street's rules in force no longer have \"{dropped.NameEn}\"; nothing was recorded. Send \"help\" for what you can report now.", Menu(turn));
        if (outcome.Failure is { } failure) return turn.Ask(failure.Chinese, failure.English, Menu(turn));
        var r = outcome.Value!;
        var quoted = evidence.Length == 0 ? "" : $"（{Phrases.Quote(evidence)}）";
        var quotedEn = evidence.Length == 0 ? "" : $" ({Phrases.Quote(evidence)})";
        var at = r.AlreadyRecorded ? ClockOf(r.Event.ReportedAt, await turn.ZoneAsync()) : "";
        var (headZh, headEn) = r.AlreadyRecorded
            ? ($"「{r.Rule.NameZh}」{quoted}已在 {at} 上报过，不重复记录", $"\"{r.Rule.NameEn}\"{quotedEn} was already reported at {at}; nothing is recorded twice")
            : ($"已上报「{r.Rule.NameZh}」{quoted}", $"Reported \"{r.Rule.NameEn}\"{quotedEn}");
        return turn.Ask(
            $"{headZh}。\n{Phrases.Receipt(r.Event, r.Balance, true, r.Reason)}\n{Phrases.Next(r.Event.Status, r.Event.Delta, true)}{UndoHint.Zh}",
            $"{headEn}.\n{Phrases.Receipt(r.Event, r.Balance, false, r.Reason)}\n{Phrases.Next(r.Event.Status, r.Event.Delta, false)}{UndoHint.En}",
            Menu(turn));
    }

    /// <summary>An instant as the street's clock shows it (HH:mm).</summary>
    private static string ClockOf(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Activity> DeductAsync(ChatTurn turn, string subjectId, string ruleCode, string note, string? shop)
    {
        var evidence = note.Trim() is "无" or "none" or "-" or "没有" ? "" : note.Trim();
        // A shop named for its head: the secretary checking it, and the head reading it, see which shop it was about.
        if (shop is not null) evidence = evidence.Length == 0 ? shop : turn.T($"{shop}：{evidence}", $"{shop}: {evidence}");
        var outcome = await turn.AttemptAsync(() => reporting.ReportInAsync(turn.S,
            new ReportRequest(turn.Who!.Actor, subjectId, ruleCode, turn.Source, evidence, turn.Now) { SameRecentlyIsRetry = true }));
        if (outcome.Failure is { } failure) return turn.Ask(failure.Chinese, failure.English, Menu(turn));
        var r = outcome.Value!;
        if (r.AlreadyRecorded)
        {
            var at = ClockOf(r.Event.ReportedAt, await turn.ZoneAsync());
            return turn.Ask(
                $"{r.Subject.Name}「{r.Rule.NameZh}」已在 {at} 上报过，不重复记录。\n{Phrases.Receipt(r.Event, r.Balance, true, r.Reason, staff: true).Replace("当前积分", $"{r.Subject.Name}当前积分")}",
                $"{r.Subject.Name}, \"{r.Rule.NameEn}\" was already reported at {at}; nothing is recorded twice.\n{Phrases.Receipt(r.Event, r.Balance, false, r.Reason, staff: true).Replace("Balance now", $"{r.Subject.Name}'s balance now")}",
                Menu(turn));
        }
        // Counted at once in a cycle already over, or in weeks already published: said as an approval says it.
        var (ofZh, ofEn) = r.Earlier is { } earlier && r.Event.Status == Domain.Ledger.EventStatus.Approved
            ? ($"\n该记录{Phrases.CountedIn(earlier, true)}，不影响本周期。", $"\nThe record {Phrases.CountedIn(earlier, false)}, not in this cycle.")
            : ("", "");
        // The same failure already on record that day (another grid worker's, the secretary's): the reporter hears it at once.
        var same = r.SameDay is { } o
            ? turn.T($"\n同一天已有记录 {o.Id}（{Phrases.Status(o.Status, true)}），请核对是否重复上报。", $"\nAnother record the same day: {o.Id} ({Phrases.Status(o.Status, false)}); check it is not the same thing reported twice.")
            : "";
        // A report about themselves waits for someone else's check (OwnRecords), where their own about others counts at once.
        var own = r.Event.Status == Domain.Ledger.EventStatus.Pending && turn.Staff is { } me && OwnRecords.IsOwn(me, r.Subject);
        var (nextZh, nextEn) = r.Event.Status != Domain.Ledger.EventStatus.Pending ? ("已计入积分。", "It already counts.")
            : !own ? ("等待书记核查。", "A secretary will check it.")
            : turn.Staff!.Role is StaffRole.Officer or StaffRole.Admin
                ? ("这是关于您本人的记录，等待街道其他干部或管理员核查。", "It is about you: another officer of the street or an admin checks it.")
                : ("这是关于您本人的记录，等待街道干部（或本社区其他书记）核查。", "It is about you: a street officer (or another secretary of your community) checks it.");
        return turn.Ask(
            $"已上报：{r.Subject.Name}「{r.Rule.NameZh}」。\n{Phrases.Receipt(r.Event, r.Balance, true, r.Reason, staff: true).Replace("当前积分", $"{r.Subject.Name}当前积分")}\n{nextZh}{ofZh}{Phrases.StaleLists(r.PublishedWeeksAffected, true)}{same}",
            $"Reported: {r.Subject.Name}, \"{r.Rule.NameEn}\".\n{Phrases.Receipt(r.Event, r.Balance, false, r.Reason, staff: true).Replace("Balance now", $"{r.Subject.Name}'s balance now")}\n{nextEn}{ofEn}{Phrases.StaleLists(r.PublishedWeeksAffected, false)}{same}",
            Menu(turn));
    }

    /// <summary>Today, when the words after 巡查 name an earlier day; null when they name none (a note) or today.</summary>
    private static async Task<DateOnly?> EarlierDayAsync(ChatTurn turn, string rest)
    {
        var settings = (await turn.StreetAsync()).Settings;
        var today = VerificationClock.LocalDay(turn.Now, settings);
        // A time of day alone (巡查 8:30) is today's, even when later than now: only words naming a day name another.
        if (ChatTime.Read("今天 " + rest, turn.Now, settings.TimeZone) is not null) return null;
        return ChatTime.Read(rest, turn.Now, settings.TimeZone) is { } said && VerificationClock.LocalDay(said.At, settings) < today ? today : null;
    }

    private async Task<Activity> RoundAsync(ChatTurn turn, string rest)
    {
        var subject = turn.Subject!;
        // A round is the day's own: 巡查 昨天 recorded as today's would spare today without a round today.
        if (rest.Length > 0 && await EarlierDayAsync(turn, rest) is { } today)
            return turn.Ask(
                $"巡查只能记当天的（今天是{today.Month}月{today.Day}日），过去的日子不能补记。今天巡查完了，发「巡查」即可；对已记的未巡查有异议，请联系书记。",
                $"A round is recorded for the day it is done (today is {today:yyyy-MM-dd}); an earlier day cannot be added later. Once today's round is done, send \"round\"; if a missed round recorded for you is wrong, ask your secretary.",
                Menu(turn));
        var outcome = await reporting.ReportRoundInAsync(turn.S, turn.Who!.Actor, turn.Source);
        if (outcome.Failure is { } failure) return turn.Ask(failure.Chinese, failure.English, Menu(turn));
        var street = await turn.StreetAsync();
        var missed = (await Reporting.RuleSetOfAsync(turn.S, street.Id, turn.Now)).Find(ChatBindings.MissedRound.Code);
        var balance = await Reporting.CurrentBalanceAsync(turn.S, subject, turn.Now);
        var (day, late, recorded, already, dayDeadline, chargeToCome) = outcome.Value!;
        var zone = street.Settings.TimeZone;
        string Clock(DateTimeOffset at) => ClockOf(at, zone);
        // A second 巡查 the same day is told so, with the time of the first: otherwise it reads as a second round counted.
        var headZh = already is { } first ? $"今天（{day.Month}月{day.Day}日）的巡查 {Clock(first)} 已经记录过，不重复记录" : $"今天（{day.Month}月{day.Day}日）的巡查已记录";
        var headEn = already is { } earlier ? $"Today's round ({day:yyyy-MM-dd}) was already recorded at {Clock(earlier)}; nothing is recorded twice" : $"Today's round ({day:yyyy-MM-dd}) is recorded";
        var daily = street.Settings.DailyDeadline.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        // A late round is told the deadline its day kept: the system's missed round's time once recorded (the day's row is
        // gone once checked), else the day's (a grid worker's report is dated when it was made).
        var deadline = Clock(recorded is { ReporterRole: ReporterRole.System } ? recorded.OccurredAt : dayDeadline);
        if (late && recorded is { } e)
        {
            var bySystem = e.ReporterRole == ReporterRole.System; // or a grid worker's or secretary's report of the day
            return turn.Ask(
                $"{headZh}，但已过 {deadline} 的截止时间，{(bySystem ? "系统" : "")}已记「{missed?.NameZh ?? e.RuleCode}」：\n{Phrases.Receipt(e, balance, true)}\n{Phrases.Next(e.Status, e.Delta, true)}",
                $"{headEn}, but after the {deadline} deadline; {(bySystem ? "the system has" : "it was")} recorded \"{missed?.NameEn ?? e.RuleCode}\":\n{Phrases.Receipt(e, balance, false)}\n{Phrases.Next(e.Status, e.Delta, false)}",
                Menu(turn));
        }
        if (missed is null)
            return turn.Ask($"{headZh}，不加分也不扣分。\n分值：0\n当前积分：{balance}",
                $"{headEn}; it neither adds nor costs points.\nPoints: 0\nBalance now: {balance}", Menu(turn));
        var cost = Phrases.Delta(missed.Delta);
        // A day checked already (its charge by hand withdrawn since) will not be charged, and is not promised one.
        if (late && !chargeToCome)
            return turn.Ask($"{headZh}，已过 {deadline} 的截止时间；今天没有记「{missed.NameZh}」。\n分值：0\n当前积分：{balance}",
                $"{headEn}, after the {deadline} deadline; no \"{missed.NameEn}\" is recorded for today.\nPoints: 0\nBalance now: {balance}", Menu(turn));
        if (late)
            return turn.Ask(
                $"{headZh}，但已过 {deadline} 的截止时间，系统仍会记「{missed.NameZh}」{cost}，由书记核查。\n分值：{cost}\n当前积分：{balance}",
                $"{headEn}, but after the {deadline} deadline: the system still records \"{missed.NameEn}\" {cost}, for the secretary to check.\nPoints: {cost}\nBalance now: {balance}",
                Menu(turn));
        // On a holiday the street lets off nothing is owed: the usual warning of the missed round would be untrue.
        if (!street.Settings.OwesRoundOn(day))
            return turn.Ask($"{headZh}，不加分也不扣分。\n分值：0\n当前积分：{balance}\n今天是节假日，不巡查也不扣分。",
                $"{headEn}; it neither adds nor costs points.\nPoints: 0\nBalance now: {balance}\nToday is a holiday: no round is owed, and none is charged.", Menu(turn));
        // A head with no shops left in their charge owes no round (Rounds charges none): no warning either.
        if (!(await turn.S.ListShopsAsync(subject.Id)).Any(x => x.Active))
            return turn.Ask($"{headZh}，不加分也不扣分。\n分值：0\n当前积分：{balance}\n您名下现在没有店铺，不需要巡查，也不会记「{missed.NameZh}」。",
                $"{headEn}; it neither adds nor costs points.\nPoints: 0\nBalance now: {balance}\nYou have no shops in your charge now: no round is owed, and no \"{missed.NameEn}\" is recorded.", Menu(turn));
        return turn.Ask(
            $"{headZh}，不加分也不扣分。\n分值：0\n当前积分：{balance}\n每天 {daily} 前未上报巡查，系统会记「{missed.NameZh}」{cost}。",
            $"{headEn}; it neither adds nor costs points.\nPoints: 0\nBalance now: {balance}\nWithout a round reported by {daily}, the system records \"{missed.NameEn}\" {cost}.",
            Menu(turn));
    }
}
