using System.Globalization;
using Scoring.Application;
using Scoring.Bot.Protocol;
using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Storage;
using Scoring.Storage.Activities;

namespace Scoring.Bot.Conversations;

/// <summary>
/// One inbound message being answered: the unit of work it runs in, who sent it (if bound), the
/// language of the reply, the clock reading of the turn, and the dialog state to keep afterwards.
/// </summary>
internal sealed class ChatTurn(Session session, Activity inbound, ChatIdentity? who, DateTimeOffset now, ProcessedActivityKey? key = null)
{
    public Session S { get; } = session;
    public Activity Inbound { get; } = inbound;
    public ChatIdentity? Who { get; set; } = who;
    /// <summary>The account is bound to someone the office has taken off the roster (or whose staff post ended).</summary>
    public bool OffRoster { get; init; }
    /// <summary>Of <see cref="OffRoster"/>, a staff member taken off duty: told so in a staff member's words, not a landlord's.</summary>
    public bool OffDuty { get; init; }
    public DateTimeOffset Now { get; } = now;
    /// <summary>The reply's language: the activity's, or (for a join that carries none) the one the person's notices are written in.</summary>
    public bool Zh { get; init; } = Phrases.IsChinese(inbound.Locale);
    /// <summary>Said in a group chat or channel, where everyone reads the replies (<see cref="Activity.InSharedConversation"/>).</summary>
    public bool InGroup { get; } = inbound.InSharedConversation;

    /// <summary>The dialog to keep after this turn; null when nothing is under way.</summary>
    public DialogState? Next { get; set; }

    public Subject? Subject => Who?.Subject;

    /// <summary>The turn goes on as <paramref name="record"/>, one of the records the account speaks for.</summary>
    public void SpeakAs(Subject record)
    {
        if (Who is not { } who || who.Subject == record) return;
        if (who.Subject?.StreetId != record.StreetId) street = null; // a landlord in two streets
        Who = who.As(record);
    }
    public StaffMember? Staff => Who?.Staff;

    // The streets of the records the account speaks for, each with the bindings its rules in force keep working (a bit per
    // ChatBindings.All), read before the turn's replies are built.
    private (string Street, int Works)[]? rulesInForce;

    /// <summary>
    /// Reads the rules in force for the menu's buttons (<see cref="Offers"/>). No read of the database per message: the
    /// street's versions are kept in the reference cache, as every report, score and help of the turn reads them too; and
    /// what a version offers is worked out once per version read (<see cref="WorksOf"/>), not per reply.
    /// </summary>
    public async Task LoadRulesInForceAsync()
    {
        if (InGroup || Who is not { } who) return; // staff and strangers are offered no report buttons
        if (!who.Several)
        {
            if (Subject is { } one) rulesInForce = [(one.StreetId, WorksOf(await Reporting.RuleSetOfAsync(S, one.StreetId, Now)))];
            return;
        }
        var streets = new List<(string Street, int Works)>(who.Records.Count);
        foreach (var record in who.Records)
            if (!Loaded(streets, record.StreetId))
                streets.Add((record.StreetId, WorksOf(await Reporting.RuleSetOfAsync(S, record.StreetId, Now))));
        rulesInForce = [.. streets];
    }

    private static bool Loaded(List<(string Street, int Works)> streets, string street)
    {
        foreach (var (id, _) in streets) if (id == street) return true;
        return false;
    }

    // A rule set's versions are kept (the reference cache hands out the same instance for its lifetime), so each is asked once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RuleSet, System.Runtime.CompilerServices.StrongBox<int>> Works = [];

    /// <summary>The bindings <paramref name="rules"/> keep working, a bit per <see cref="ChatBindings.All"/>.</summary>
    internal static int WorksOf(RuleSet rules)
    {
        if (Works.TryGetValue(rules, out var known)) return known.Value;
        var works = 0;
        foreach (var binding in ChatBindings.All)
            if (binding.WorksUnder(rules.Rules)) works |= Bit(binding);
        Works.AddOrUpdate(rules, new(works));
        return works;
    }

    /// <summary>
    /// Whether a command bound to a rule has a rule in force to report under, for a record of the account of that kind;
    /// true when the rules were not read (someone who bound in this very turn gets every button once), and for a record in
    /// a street not read (one moved to in this turn, in another street).
    /// </summary>
    public bool Offers(ChatBinding binding)
    {
        if (rulesInForce is null) return true;
        if (Who is { Several: true } who)
        {
            foreach (var record in who.Records) if (Offers(record, binding)) return true;
            return false;
        }
        return Subject is { } one && Offers(one, binding);
    }

    private bool Offers(Subject record, ChatBinding binding)
    {
        if (record.Kind != binding.Kind) return false;
        foreach (var (street, works) in rulesInForce!)
            if (street == record.StreetId) return (works & Bit(binding)) != 0;
        return true;
    }

    private static int Bit(ChatBinding binding) => 1 << binding.Index;

    private Street? street;

    /// <summary>The street of whoever is speaking (bound users only).</summary>
    public async Task<Street> StreetAsync()
    {
        if (street is not null) return street;
        var id = Subject?.StreetId ?? Staff?.StreetId ?? throw new InvalidOperationException("The speaker is not bound.");
        return street = (await S.GetStreetAsync(id))!;
    }

    public async Task<TimeZoneInfo> ZoneAsync() => (await StreetAsync()).Settings.TimeZone;

    public string T(string zh, string en) => Zh ? zh : en;

    public Activity Say(string zh, string en) => Reply.To(Inbound, T(zh, en));

    /// <summary>A reply with buttons; each button sends its own title back as if typed.</summary>
    public Activity Ask(string zh, string en, IEnumerable<string> buttons) => Ask(T(zh, en), buttons);

    /// <summary>A reply already in the turn's language, with buttons.</summary>
    public Activity Ask(string text, IEnumerable<string> buttons)
    {
        // At most 12, blank and repeated titles left out; a loop rather than Where/Distinct/Take, whose set and list
        // growth were most of what a reply's buttons cost (each chat answer has some).
        var actions = new List<CardAction>(MaxButtons);
        foreach (var title in buttons)
        {
            if (string.IsNullOrWhiteSpace(title) || Shown(actions, title)) continue;
            actions.Add(Reply.ImBack(title));
            if (actions.Count == MaxButtons) break;
        }
        return Reply.To(Inbound, text).WithOwnSuggestedActions(actions);
    }

    private const int MaxButtons = 12;

    private static bool Shown(List<CardAction> actions, string title)
    {
        foreach (var action in actions) if (action.Title == title) return true;
        return false;
    }

    /// <summary>
    /// The ledger source of this turn's effect: the channel's timestamp of the activity, when it has one, and a
    /// hash of channel, conversation and activity id. A re-delivered activity carries the same of both, so it can
    /// never score twice. An activity without an id cannot be recognised again.
    /// </summary>
    /// <remarks>
    /// Sources are unique keys, and a hash alone would put each report's key on a random page of the index,
    /// every page written again at every commit. Led by the time, a batch's new sources lie side by side.
    /// </remarks>
    public string Source => SourceOf(Inbound, key);

    /// <summary>The ledger source of <paramref name="a"/>; <paramref name="key"/>, when given, must be its <see cref="Turns.TurnRecorder.KeyOf"/>, whose hash is the same.</summary>
    public static string SourceOf(Activity a, ProcessedActivityKey? key = null)
    {
        var id = a.Id is { Length: > 0 } activityId ? activityId : "no-id:" + Ids.New(20);
        var hash = key?.Hash ?? Convert.ToHexStringLower(CompositeKey.Hash(a.ChannelId, a.Conversation?.Id, id));
        return a.Timestamp is { } sent
            ? "chat:" + sent.UtcDateTime.ToString("yyyyMMddHHmmssfffffff", CultureInfo.InvariantCulture) + ":" + hash
            : "chat:" + hash;
    }

    /// <summary>
    /// Runs a use case that refuses by throwing (<see cref="RefusedException"/>) inside a savepoint, so a
    /// refusal leaves nothing of the effect behind while the turn still records its answer.
    /// </summary>
    public async Task<Outcome<T>> AttemptAsync<T>(Func<Task<T>> work)
    {
        const string savepoint = "chat_effect";
        if (S.Transaction is null) throw new InvalidOperationException("A chat turn writes inside a transaction.");
        await S.SaveAsync(savepoint);
        try
        {
            var value = await work();
            await S.ReleaseAsync(savepoint);
            return value;
        }
        catch (RefusedException refused)
        {
            await S.RollbackToAsync(savepoint);
            await S.ReleaseAsync(savepoint);
            return refused.Failure;
        }
    }
}
