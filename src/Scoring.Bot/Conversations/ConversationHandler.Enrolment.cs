using System.Data.Common;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Storage;

namespace Scoring.Bot.Conversations;

/// <summary>
/// Secretaries and officers issue enrolment codes in chat (发码 姓名或电话), for someone standing in front of them whose
/// code was lost or ran out: the person is found among <see cref="Enrolment.EnrolleesInAsync"/> and the code issued by
/// <see cref="Enrolment.IssueInAsync"/>, the scope and rules of POST /api/enrolments. A replay of the activity gets the
/// recorded answer (the same code), as every turn does; 发码 for the same person typed again from the same account within
/// <see cref="PlainRetry.Window"/> gets the same code too (<see cref="Enrolment.ChatRetrySecret"/>), as a plain retry of
/// the HTTP door does.
/// </summary>
public sealed partial class ConversationHandler
{
    private static readonly Slot EnrolleeSlot = new("person", SlotKind.Enrollee);

    private static string KeyOf(Enrollee e) => $"{e.PersonKind}:{e.Id}";

    /// <summary>
    /// Who the text names: a choice's button, a phone number written any usual way, a name or an id, among those the
    /// speaker may issue codes for. Nobody found reads the same whether the person is elsewhere or nowhere; several are
    /// offered as buttons, labelled from the same read of the street's people.
    /// </summary>
    private async Task<Fill> ResolveEnrolleeAsync(ChatTurn turn, string text)
    {
        if (text.Length == 0) return Fill.Complaint("请输入姓名或电话。", "Please type a name or a phone number.");
        var people = await enrolment.EnrolleesInAsync(turn.S, turn.Staff!);
        var label = await LabellerAsync(turn);
        var phone = RosterText.Phone(text) is { Succeeded: true, Value: { } typed } ? typed : null;
        var matches = people.Where(e => CommandParser.Clean(label(e)) == text).ToList();
        if (matches.Count == 0)
            matches = phone is not null
                ? people.Where(e => e.Phone is { } p && RosterText.Phone(p).Value == phone).ToList()
                : people.Where(e => string.Equals(CommandParser.Clean(e.Name), text, StringComparison.OrdinalIgnoreCase) || e.Id == text).ToList();
        // Someone off the roster is taken only when nobody active answers: the issue then says why there is no code.
        var active = matches.Where(e => e.Active).ToList();
        var candidates = active.Count > 0 ? active : matches;
        if (candidates.Count == 1) return Fill.Of(KeyOf(candidates[0]), "");
        if (candidates.Count == 0)
            return phone is not null // a phone number is not echoed back
                ? Fill.Complaint("在您负责的范围内找不到这个电话号码。", "Nobody in your area has that phone number.")
                : Fill.Complaint($"在您负责的范围内找不到「{Phrases.Quote(text)}」。", $"There is nobody called \"{Phrases.Quote(text)}\" in your area.");
        // A whole phone matching several is one person with several records (a landlord who heads shops too).
        if (phone is not null)
            return Fill.Choose($"这个电话号码登记了 {candidates.Count} 个身份，请选择：",
                $"That phone number is on {candidates.Count} records (one person, as a landlord and a shop head). Pick one:", [.. candidates.Select(label)]);
        var quoted = Phrases.Quote(text);
        return Fill.Choose($"「{quoted}」对应 {candidates.Count} 人，请选择（或发送完整电话号码）：",
            $"\"{quoted}\" matches {candidates.Count} people. Pick one (or send the full phone number):", [.. candidates.Select(label)]);
    }

    /// <summary>
    /// How a person is told apart from others of their name: community, kind or role, and the last four digits of the
    /// phone — never the whole number (buttons and replies are stored and may be read over a shoulder).
    /// </summary>
    private static async Task<Func<Enrollee, string>> LabellerAsync(ChatTurn turn)
    {
        var details = await DetailerAsync(turn);
        return e => $"{e.Name} · {details(e)}";
    }

    /// <summary>A label's part after the name.</summary>
    private static async Task<Func<Enrollee, string>> DetailerAsync(ChatTurn turn)
    {
        var communities = (await turn.S.ListCommunitiesAsync(turn.Staff!.StreetId)).ToDictionary(c => c.Id, c => c.Name);
        return e => string.Join(" · ", new[]
        {
            e.CommunityId is { } c ? communities.GetValueOrDefault(c, c) : null,
            e.Subject is { } s ? Phrases.Kind(s.Kind, turn.Zh) : Phrases.Role(e.Staff!.Role, turn.Zh),
            e.Phone is { Length: >= 4 } p ? turn.T($"尾号{p[^4..]}", $"phone …{p[^4..]}") : null,
        }.OfType<string>());
    }

    private async Task<Activity> IssueCodeAsync(ChatTurn turn, string key)
    {
        var (kind, id) = key.Split(':', 2) is [var k, var i] ? (k, i) : ("", key);
        var issued = await turn.AttemptAsync(async () =>
        {
            Outcome<EnrolmentCode> outcome;
            try
            {
                // 发码 typed again a moment later (no answer came quickly) is the same request: the same code, not a new
                // one voiding the slip already written out or sent.
                outcome = await enrolment.IssueInAsync(turn.S, turn.Staff!, kind, id, enrolment.ChatRetrySecret(turn.Who!.ChannelId, turn.Who.UserId));
            }
            catch (DbException e) when (TransientFaults.IsUniqueViolation(e))
            {
                // SQL Server: another request's code for the person committed meanwhile; the savepoint keeps the turn.
                throw new RefusedException(Enrolment.IssuedMeanwhile);
            }
            return outcome.Failure is { } failure ? throw new RefusedException(failure) : outcome.Value!;
        });
        if (issued.Failure is { } refused) return turn.Ask(refused.Chinese, refused.English, Menu(turn));

        var code = issued.Value!;
        var person = kind == "subject" ? new Enrollee(await turn.S.GetSubjectAsync(id), null) : new Enrollee(null, await turn.S.GetStaffAsync(id));
        var details = (await DetailerAsync(turn))(person);
        var zone = await turn.ZoneAsync();
        var until = Phrases.When(code.ExpiresAt, zone, turn.Now, turn.Zh);
        var days = (int)Enrolment.CodeLifetime.TotalDays;
        // The command to pass on in the officer's own language: either works for anyone (DESIGN.md's chat commands).
        // The HTTP door issues for a bound person too (a new phone, a second channel): binding adds an account, it takes none away.
        var bound = (await turn.S.ChatAccountsOfAsync(kind, id)).Count > 0;
        var (boundZh, boundEn) = bound
            ? ("\n此人已绑定过聊天账号：用新码绑定的账号也代表此人，原来的账号仍然有效。", "\nThey already have a bound chat account: the account bound with this code speaks for them too, and the old one stays.")
            : ("", "");
        // The reply is kept (for a redelivery, in the outbox) only sealed: where it cannot be opened, or an admin reads
        // it, this stands instead — the code went out in the answer at the time, and how to get one if it never came.
        var withheld = new Withheld(code.Code, turn.T(
            $"已为{person.Name}（{details}）生成绑定码。绑定码只在当时的回复中发出，服务器不保存明文，这里不能再显示。\n如果没有收到那条回复，请再发「发码 {person.Name}」：两分钟内由同一台服务器回答时仍是同一个码，否则会生成新码，之前的码作废。",
            $"An enrolment code for {person.Name} ({details}) went out in the answer at the time; the server keeps no copy it can show here.\nIf that answer never came, send \"code {person.Name}\" again: within two minutes, answered by the same server, it is the same code; otherwise a new one, and the earlier one no longer works."));
        if (code.Replayed)
        {
            // The same code again: say so, and how to get a new one on purpose (a slip handed to the wrong person).
            var (at, after) = (ClockOf(code.IssuedAt, zone), ClockOf(code.IssuedAt + PlainRetry.Window, zone));
            return Withholding(withheld, turn.Ask(
                $"{at} 已为{person.Name}（{details}）生成过绑定码，这个码仍然有效，没有另发新码：{code.Code}\n有效期至 {until}（{days}天），只能绑定一个聊天账号。\n请对方私聊我发送「{code.BindCommand}」完成绑定。如需作废此码另发新码（如码条给错了人），请在 {after} 后再发「发码」。" + boundZh,
                $"An enrolment code for {person.Name} ({details}) was issued at {at} and still works; no new one was issued: {code.Code}\nValid until {until} ({days} days), for one chat account.\nAsk them to send me \"bind {code.Code}\" in a private chat. To void it for a new one (a slip handed to the wrong person), ask again after {after}." + boundEn,
                Menu(turn)));
        }
        return Withholding(withheld, turn.Ask(
            $"已为{person.Name}（{details}）生成绑定码：{code.Code}\n有效期至 {until}（{days}天），只能绑定一个聊天账号。此人之前未使用的绑定码（包括打印的绑定码表上的）已作废。\n请对方私聊我发送「{code.BindCommand}」完成绑定。" + boundZh,
            $"Enrolment code for {person.Name} ({details}): {code.Code}\nValid until {until} ({days} days), for one chat account. Any earlier unused code of theirs (a printed sheet's too) no longer works.\nAsk them to send me \"bind {code.Code}\" in a private chat." + boundEn,
            Menu(turn)));
    }

    private static Activity Withholding(Withheld withheld, Activity reply)
    {
        reply.Withheld = withheld;
        return reply;
    }
}
