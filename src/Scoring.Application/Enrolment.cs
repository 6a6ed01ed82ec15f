using System.Security.Cryptography;
using System.Text;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Application;

public sealed record EnrolmentCode(string Code, DateTimeOffset ExpiresAt, string PersonKind, string PersonId)
{
    /// <summary>The code issued a moment ago, asked for again (<see cref="Enrolment.IssueInAsync"/>'s retry secret): nothing new was issued.</summary>
    public bool Replayed { get; init; }

    /// <summary>The chat message that binds with this code: what is printed beside it and what its QR picture carries.</summary>
    public string BindCommand => Enrolment.BindCommand(Code);

    /// <summary>When it was issued (a code lasts <see cref="Enrolment.CodeLifetime"/> from then).</summary>
    public DateTimeOffset IssuedAt => ExpiresAt - Enrolment.CodeLifetime;
}

/// <summary>Someone a staff member may issue an enrolment code for: a subject or a staff member.</summary>
public sealed record Enrollee(Subject? Subject, StaffMember? Staff)
{
    public string PersonKind => Subject is not null ? "subject" : "staff";
    public string Id => Subject?.Id ?? Staff!.Id;
    public string Name => Subject?.Name ?? Staff!.Name;
    public string? CommunityId => Subject?.CommunityId ?? Staff!.CommunityId;
    public string? Phone => Subject?.Phone ?? Staff!.Phone;
    public bool Active => Subject?.Active ?? Staff!.Active;
}

/// <summary>Who a chat account belongs to, once bound.</summary>
/// <remarks>
/// An account may speak for several landlord/shop-head records (a landlord who is also a shop head, in one street or two):
/// <see cref="Subject"/> is then the record the turn is about, and <see cref="Records"/> names them all.
/// </remarks>
public sealed record ChatIdentity(string ChannelId, string UserId, Subject? Subject, StaffMember? Staff)
{
    public Actor Actor => Subject is not null ? Actor.Of(Subject) : Actor.Of(Staff!);
    public string Name => Subject?.Name ?? Staff!.Name;

    /// <summary>Every record on the roster the account speaks for, when more than one; empty when it speaks for one.</summary>
    public IReadOnlyList<Subject> Records { get; init; } = [];

    public bool Several => Records.Count > 1;

    /// <summary>
    /// Set by a binding: how many other chat accounts speak for the landlord or shop head just bound (an old phone, a
    /// relative's), which stay bound: the reply says so, and how to cut one off. Zero otherwise.
    /// </summary>
    public int OtherAccounts { get; init; }

    /// <summary>The same account, speaking for <paramref name="record"/> (one of <see cref="Records"/>).</summary>
    public ChatIdentity As(Subject record) => this with { Subject = record };

    /// <summary><c>subject</c> or <c>staff</c>, as chat accounts and enrolment codes name the kind of person.</summary>
    public string PersonKind => Subject is null ? "staff" : "subject";

    /// <summary>Whether the account speaks for that person already (the record the turn is about, or one of its others).</summary>
    public bool SpeaksFor(string personId) => (Subject?.Id ?? Staff!.Id) == personId || Records.Any(r => r.Id == personId);
}

/// <summary>
/// Enrolment: staff issue one-time, expiring codes; a person binds their chat account with one.
/// Codes are stored only as hashes (<see cref="HashOf"/>); a new code for a person voids their earlier unused ones; failed
/// attempts are limited per chat account, and per channel across its accounts (<see cref="ChannelBindBudget"/>).
/// </summary>
/// <param name="secret">The app password (<see cref="AppSecret"/>) the codes' hashes are keyed with; none: plain hashes.</param>
/// <param name="bindBudget">This instance's budget of wrong codes per channel; none given: one with the default limits.</param>
public sealed class Enrolment(Database db, TimeProvider time, AppSecret? secret = null, ChannelBindBudget? bindBudget = null)
{
    private readonly ChannelBindBudget _bindBudget = bindBudget ?? new ChannelBindBudget(time);

    // Derived once per instance: a sheet of hundreds of codes hashes each with it, one HMAC apiece. The current
    // password's key first (new codes are kept under it), then the previous one's while a rotation is under way.
    private readonly IReadOnlyList<byte[]> _codeKeys = (secret ?? AppSecret.None).KeysFor("scoring enrolment codes kept hashed");

    // This instance's own secret for the chat's retries (ChatRetrySecret): made at start, never written anywhere.
    private readonly string _instanceSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static readonly TimeSpan CodeLifetime = TimeSpan.FromDays(7);
    public const int MaxFailuresPerHour = 5;
    /// <summary>How long a wrong code counts against its chat account; older ones are forgotten (ChatNoticeWork).</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a code is kept once it expired (used, replaced or never): till then one typed again is told what became of
    /// it (used, replaced, expired) rather than that it is wrong; past it the slip is long stale, and the row (which
    /// names the chat account that used it) is forgotten (ChatNoticeWork). Who issued it and which account took it stay in
    /// the staff actions; a lockout counts wrong codes (bind_failures), not these.
    /// </summary>
    public static readonly TimeSpan KeepCodes = TimeSpan.FromDays(30);

    /// <summary>
    /// The chat message that binds an account with <paramref name="code"/>. Written here once because every door hands it
    /// out (the code's API answer, the printed sheet and its QR pictures, the terminal chat) and a scan sends it as it is.
    /// </summary>
    public static string BindCommand(string code) => $"绑定 {code}";

    /// <param name="retrySecret">See <see cref="IssueInAsync"/>.</param>
    public async Task<Outcome<EnrolmentCode>> IssueAsync(StaffMember actor, string personKind, string personId, CancellationToken ct = default, string? retrySecret = null)
    {
        try
        {
            return await db.WriteAsync<Outcome<EnrolmentCode>>(async s => await IssueInAsync(s, actor, personKind, personId, retrySecret), ct);
        }
        catch (System.Data.Common.DbException e) when (TransientFaults.IsUniqueViolation(e))
        {
            return IssuedMeanwhile;
        }
    }

    /// <summary>
    /// Another request issued a code for the same person at the same moment, and the database kept it: a person holds
    /// one valid code (the unique index ux_enrolment_codes_valid), and on SQL Server the request that voided the codes it
    /// could see before the other one committed its own cannot add a second. The other request's code stands.
    /// </summary>
    public static readonly Failure IssuedMeanwhile = Failure.Conflict("code-issued-meanwhile",
        "Another code was issued for this person at the same moment, and that one stands. Issue again to replace it.",
        "刚刚已为此人生成了另一个绑定码，以该码为准。如需换新码，请重新生成。");

    /// <summary>
    /// Someone taken off the roster: a code could never bind (binding refuses them), and issuing it would void the code
    /// of nobody active. Said only to whoever may issue for them, after the scope check.
    /// </summary>
    public static readonly Failure PersonInactive = Failure.Conflict("person-inactive",
        "This person is no longer on the roster; bring them back on it before issuing a code.",
        "此人已停用（不在名册上），不能生成绑定码；如需恢复，请先更新名册。");

    /// <summary>Codes are handed out by those who answer for the subject: its secretary or the street's officers.</summary>
    public static bool MayIssueFor(StaffMember actor, Subject subject) => actor.CanVerifyIn(subject.StreetId, subject.CommunityId);

    /// <summary>
    /// The people of <paramref name="actor"/>'s street they may issue codes for (inactive ones too, to be told why not),
    /// themselves left out: what a chat lists and searches, so it offers nobody the issue would refuse and reveals
    /// nobody outside the actor's scope.
    /// </summary>
    public async Task<IReadOnlyList<Enrollee>> EnrolleesInAsync(Session s, StaffMember actor)
    {
        var community = actor.Role is StaffRole.Secretary or StaffRole.GridWorker ? actor.CommunityId : null;
        var subjects = (await s.ListSubjectsAsync(actor.StreetId, community)).Where(x => MayIssueFor(actor, x)).Select(x => new Enrollee(x, null));
        var staff = (await s.ListStaffAsync(actor.StreetId)).Where(x => x.Id != actor.Id && actor.CanIssueCredentialsFor(x)).Select(x => new Enrollee(null, x));
        return [.. subjects, .. staff];
    }

    /// <summary>
    /// The chat's <see cref="IssueInAsync"/> retry secret for a chat account: a chat message carries nothing only its
    /// sender holds (the account's ids are in the database in clear), so the code is sealed with a secret this instance
    /// made at start and keeps in memory only, and the account. 发码 typed again within <see cref="PlainRetry.Window"/>
    /// and answered by this instance gets the same code; answered by another instance, or after a restart, the seal
    /// cannot be opened and a new code is issued (voiding the first, as the reply then says).
    /// </summary>
    public string ChatRetrySecret(string channelId, string userId) => $"chat\n{_instanceSecret}\n{channelId}\n{userId}";

    /// <param name="retrySecret">
    /// Something only the caller holds (the HTTP door's bearer token, the chat's <see cref="ChatRetrySecret"/>), given when the request carries nothing that tells
    /// a copy from a new request (no Idempotency-Key). The same staff member asking for the same person within
    /// <see cref="PlainRetry.Window"/>, the code still unused, gets that code again rather than a new one that would void
    /// the one the first answer carried (lost on its way, or already printed). The code is kept for that sealed with the
    /// secret, so the database alone cannot read it.
    /// </param>
    public async Task<Outcome<EnrolmentCode>> IssueInAsync(Session s, StaffMember actor, string personKind, string personId, string? retrySecret = null)
    {
        string street, role;
        if (personKind == "subject")
        {
            var subject = await s.GetSubjectAsync(personId);
            if (subject is null) return Failure.NotFound("subject-not-found", $"No subject '{personId}'.", $"找不到「{personId}」。");
            if (!MayIssueFor(actor, subject)) return Failure.Forbidden();
            if (!subject.Active) return PersonInactive;
            // The id as stored, not as asked for: SQL Server's case-insensitive collation finds LANDLORD-1 for landlord-1,
            // and the code (then the chat account) would name the person in a form nothing else compares equal to.
            personId = subject.Id;
            (street, role) = (subject.StreetId, subject.Kind.ToWire());
        }
        else if (personKind == "staff")
        {
            var staff = await s.GetStaffAsync(personId);
            if (staff is null) return Failure.NotFound("staff-not-found", $"No staff member '{personId}'.", $"找不到工作人员「{personId}」。");
            // A staff member's code is a credential like their token: the same rule (StaffMember.CanIssueCredentialsFor).
            if (StaffTokens.RefusedCredentials(actor, staff) is { } refused) return refused;
            if (!staff.Active) return PersonInactive;
            personId = staff.Id;
            (street, role) = (staff.StreetId, staff.Role.ToWire());
        }
        else return Failure.Invalid("bad-person-kind", "Enrol a 'subject' or a 'staff' member.", "只能为房东/铺长或工作人员生成绑定码。");

        var now = time.GetUtcNow();
        if (retrySecret is not null && await s.GetValidEnrolmentCodeAsync(personKind, personId) is { RetryAnswer: { } sealedCode } valid
            && valid.IssuedBy == actor.Id && PlainRetry.Covers(valid.IssuedAt, now) && valid.ExpiresAt > now
            && RetrySeal.Open(sealedCode, retrySecret, personKind, personId) is { } same && IsKeptAs(same, valid.Hash))
        {
            return new EnrolmentCode(same, valid.ExpiresAt, personKind, personId) { Replayed = true };
        }
        var code = Ids.EnrolmentCode();
        // One valid code per person: a slip lost or handed to the wrong person stops working once it is issued again. The
        // database holds to it (ux_enrolment_codes_valid): a code another transaction inserted meanwhile, unseen here,
        // makes this insert a unique violation (IssuedMeanwhile), never a second valid code.
        await s.ReplaceEnrolmentCodesAsync(personKind, personId, now);
        await s.InsertEnrolmentCodeAsync(new EnrolmentCodeRow
        {
            Hash = HashOf(code), PersonKind = personKind, PersonId = personId, IssuedBy = actor.Id, IssuedAt = now, ExpiresAt = now + CodeLifetime,
            RetryAnswer = retrySecret is null ? null : RetrySeal.Seal(code, retrySecret, personKind, personId),
        });
        await StaffActions.RecordAsync(s, now, street, actor.Id, StaffActions.CodeIssued, personKind, personId, role);
        return new EnrolmentCode(code, now + CodeLifetime, personKind, personId);
    }

    /// <summary>Binds a chat account with a code. Refuses after too many wrong codes from one account within an hour.</summary>
    public Task<Outcome<ChatIdentity>> BindAsync(string channelId, string userId, string code, CancellationToken ct = default) =>
        db.WriteAsync(s => BindInAsync(s, channelId, userId, code), ct);

    /// <summary>The binding inside a caller's unit of work; a wrong code is recorded in it (so commit it even on failure).</summary>
    public async Task<Outcome<ChatIdentity>> BindInAsync(Session s, string channelId, string userId, string code) =>
        await BindHashInAsync(s, channelId, userId, await KeptHashInAsync(s, code));

    /// <summary>
    /// What a code is kept as (case and look-alikes forgiven): HMAC-SHA256 of the code as issued under a key derived from
    /// the app password, which the database does not hold. A code is 8 letters of 32, 2^40 in all: its plain hash, in a
    /// backup or a support dump, is reversed offline by one GPU in about a minute, and the live codes with it. Without a
    /// password (Development, Testing) it is that plain hash (<see cref="PlainHashOf"/>), so the demo's slips outlive a
    /// restart. Changing the password voids every unused slip (its code no longer matches: a wrong code, to the binding)
    /// unless the one before is kept as <c>Bot:PreviousAppPassword</c>, which <see cref="FindCodeInAsync"/> also looks under.
    /// </summary>
    public string HashOf(string typedCode) => _codeKeys.Count == 0 ? PlainHashOf(typedCode) : KeyedHashOf(_codeKeys[0], typedCode);

    // Whether a code is the one kept as hash: kept under the current password, or under the previous one by an instance
    // not yet rotated (the first answer of a retry that reaches a rotated instance).
    private bool IsKeptAs(string code, string hash) =>
        _codeKeys.Count == 0 ? PlainHashOf(code) == hash : _codeKeys.Any(key => KeyedHashOf(key, code) == hash);

    private static string KeyedHashOf(byte[] key, string typedCode) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Ids.Normalize(typedCode))));

    /// <summary>The code's plain SHA-256: how codes were kept before their hashes were keyed, and still are without an app password.</summary>
    public static string PlainHashOf(string typedCode) => Ids.Hash(Ids.Normalize(typedCode));

    /// <summary>The code row a typed code names, whether used, replaced, expired or live; null when none.</summary>
    public async Task<EnrolmentCodeRow?> FindCodeInAsync(Session s, string typedCode)
    {
        // Keyed under the current password, then under the previous one: a slip issued before a rotation (or by an
        // instance not yet rotated) binds as long as the previous password is kept (CodeLifetime at least).
        foreach (var key in _codeKeys)
            if (await s.GetEnrolmentCodeAsync(KeyedHashOf(key, typedCode)) is { } row) return row;
        // Codes issued before their hashes were keyed are kept as their plain hash and bind till they expire
        // (CodeLifetime): this last look-up can go in a release made once every instance has run the keyed HashOf for
        // CodeLifetime (7 days). Those rows cannot be hashed again: the codes themselves were never kept.
        return await s.GetEnrolmentCodeAsync(PlainHashOf(typedCode));
    }

    /// <summary>
    /// The hash a typed code is kept as while a chat asks the account to confirm a move (and bound with,
    /// <see cref="BindHashInAsync"/>): its row's, if it names one (a code issued before hashes were keyed is kept as its plain hash, in
    /// enrolment_codes already), else <see cref="HashOf"/>. Either way the dialog row holds nothing a copy of the database
    /// does not hold already.
    /// </summary>
    public async Task<string> KeptHashInAsync(Session s, string typedCode) => (await FindCodeInAsync(s, typedCode))?.Hash ?? HashOf(typedCode);

    /// <summary>
    /// A code as a chat dialog kept it: its kept hash (64 hex digits), or, written by an instance from before codes were
    /// kept hashed (a rolling upgrade), as typed — then hashed here (<see cref="KeptHashInAsync"/>), not taken for a wrong code.
    /// </summary>
    public async Task<string> HashOfKeptInAsync(Session s, string kept) =>
        kept.Length == 64 && IsHex(kept) ? kept : await KeptHashInAsync(s, kept);

    private static bool IsHex(string text)
    {
        foreach (var c in text) if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    /// <summary>
    /// <see cref="BindInAsync"/> with the code's <see cref="KeptHashInAsync"/>: what a chat keeps while it asks the account to
    /// confirm a move, so its dialog row holds no live code in clear.
    /// </summary>
    public async Task<Outcome<ChatIdentity>> BindHashInAsync(Session s, string channelId, string userId, string codeHash)
    {
        var now = time.GetUtcNow();
        // Before the code is looked at: someone guessing from account after account (a fresh user id per conversation on
        // Web Chat and Direct Line) is bounded by the channel's budget. An account linked already is not: its id is
        // stable and the lockout below bounds it. Asked of the database only while the budget is spent.
        if (_bindBudget.SpentFor(channelId) is { } wait && await s.GetChatPersonAsync(channelId, userId) is null)
            return ChannelBusy(wait);
        if (await s.CountBindFailuresAsync(channelId, userId, now - FailureWindow) >= MaxFailuresPerHour)
            return Failure.Conflict("too-many-attempts", "Too many wrong codes. Try again in an hour, or ask your secretary for a new code.", "绑定码错误次数过多，请一小时后再试，或向书记索取新码。");
        var row = await s.GetEnrolmentCodeAsync(codeHash);
        if (row is null)
        {
            // A slip issued before the app password was changed lands here too: its code no longer matches, and nothing
            // tells it from a wrong code, so it counts as one (a lockout that spared it would spare guessing); the reply
            // says what to do when the code is right as printed.
            await s.RecordBindFailureAsync(channelId, userId, now);
            _bindBudget.RecordFailure(channelId);
            return Failure.NotFound("code-unknown", "That code is not right. Check it and try again; if it is exactly as printed, ask your secretary for a new code.",
                "绑定码不正确，请核对后重试；如与纸条上的一致仍不行，请向书记索取新码。");
        }
        if (row.UsedAt is not null) return CodeUsed();
        if (row.ReplacedAt is not null) return CodeReplaced();
        if (row.ExpiresAt <= now)
            return Failure.Conflict("code-expired", "That code has expired. Ask your secretary for a new one.", "该绑定码已过期，请向书记索取新码。");
        // Someone taken off the roster since the code was printed: the account that typed it keeps the binding it has, and
        // the slip stays unused for when they come back (while it lasts).
        if (!await IsActiveAsync(s, row.PersonKind, row.PersonId)) return PersonNoLongerActive;
        // Only one account may take a code: on SQL Server two binds can both read it unused, and only one update wins;
        // nor may it be taken once a newer code replaced it after it was read.
        if (await s.UseEnrolmentCodeAsync(row.Hash, UsedBy(channelId, userId), now) == 0)
            return (await s.GetEnrolmentCodeAsync(row.Hash))?.ReplacedAt is not null ? CodeReplaced() : CodeUsed();
        var account = new ChatAccount { ChannelId = channelId, UserId = userId, PersonKind = row.PersonKind, PersonId = row.PersonId, BoundAt = now };
        var current = await s.GetChatPersonAsync(channelId, userId);
        if (current is null || !Adds(current.PersonKind, row.PersonKind))
        {
            await s.BindChatAccountAsync(account);
            // Each person the account spoke for loses it, on their own street's record too (another street's code may
            // have taken it): their officers see why their landlord or secretary no longer answers in chat.
            foreach (var before in current is null ? [] : (IEnumerable<ChatPerson>)[current, .. current.More])
                if (before.PersonId != row.PersonId && (before.Subject?.StreetId ?? before.Staff?.StreetId) is { } street)
                    await StaffActions.RecordAsync(s, now, street, StaffActions.ChatAccount(channelId, userId), StaffActions.AccountUnbound,
                        before.PersonKind, before.PersonId, $"moved by a code of {row.IssuedBy}");
        }
        else if (current.RecordOf(row.PersonKind, row.PersonId) is null) await s.AddChatRecordAsync(account);
        var identity = await IdentifyInAsync(s, channelId, userId);
        if (identity is null) return PersonNoLongerActive;
        // The record just bound is the one the reply is about.
        if (identity.Records.FirstOrDefault(r => r.Id == row.PersonId) is { } bound) identity = identity.As(bound);
        // A code adds an account and takes none away: the person hears of the others, which may be in other hands.
        if (row.PersonKind == "subject")
            identity = identity with { OtherAccounts = (await s.ChatAccountsOfAsync("subject", row.PersonId)).Count(a => a.ChannelId != channelId || a.UserId != userId) };
        // Whoever issued the code, the account that took it is on record: a code handed to the wrong person shows here.
        await StaffActions.RecordAsync(s, now, identity.Subject?.StreetId ?? identity.Staff!.StreetId, StaffActions.ChatAccount(channelId, userId), StaffActions.AccountBound,
            row.PersonKind, row.PersonId, $"code of {row.IssuedBy}");
        return identity;
    }

    /// <summary>The channel's budget of wrong codes is spent (<see cref="ChannelBindBudget"/>): said without looking at the code.</summary>
    private static Failure ChannelBusy(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return Failure.Conflict("too-many-attempts-on-channel",
            $"Too many wrong codes on this channel just now. Try again in {minutes} minutes; your code was not checked, and still works.",
            $"此渠道刚才错误的绑定码过多，请 {minutes} 分钟后再试；您的绑定码尚未核对，仍然有效。");
    }

    private static readonly Failure PersonNoLongerActive = Failure.NotFound("person-inactive", "This person is no longer active.", "该人员已停用。");

    private static async Task<bool> IsActiveAsync(Session s, string personKind, string personId) => personKind == "subject"
        ? (await s.GetSubjectAsync(personId))?.Active == true
        : (await s.GetStaffAsync(personId))?.Active == true;

    /// <summary>
    /// Whether a code of <paramref name="personKind"/> adds to what an account speaking for a <paramref name="currentKind"/> speaks
    /// for, rather than moving it: landlord and shop-head records add up (one person is often both, in one street or two,
    /// with one chat account). Staff posts do not mix with them, nor with each other: a staff member's commands and
    /// notices are their post's, and a secretary who also lets rooms binds one from another account (or moves it).
    /// </summary>
    public static bool Adds(string currentKind, string personKind) => currentKind == "subject" && personKind == "subject";

    /// <summary>
    /// The account stops speaking for <paramref name="record"/> (one of those it speaks for, on the roster or not); the
    /// others stay. False when it did not speak for it.
    /// </summary>
    public async Task<bool> UnbindInAsync(Session s, string channelId, string userId, string personKind, string personId)
    {
        var now = time.GetUtcNow();
        if (await s.StopSpeakingForAsync(channelId, userId, personKind, personId) is not { Record: var gone }) return false;
        var street = gone.Subject?.StreetId ?? gone.Staff?.StreetId;
        if (street is not null)
            await StaffActions.RecordAsync(s, now, street, StaffActions.ChatAccount(channelId, userId), StaffActions.AccountUnbound, personKind, personId, "by the account");
        return true;
    }

    /// <summary>Who used a code, as enrolment_codes.used_by keeps it: the chat account, channel and user.</summary>
    internal static string UsedBy(string channelId, string userId) => $"{channelId}:{userId}";

    private static Failure CodeReplaced() =>
        Failure.Conflict("code-replaced", "A newer code has been issued for you since this one. Use the newer code, or ask your secretary.", "此后已为您生成了新的绑定码，本码已作废。请使用新码，或联系书记。");

    private static Failure CodeUsed() =>
        Failure.Conflict("code-used", "That code has been used already. Ask your secretary for a new one.", "该绑定码已被使用，请向书记索取新码。");

    public Task<ChatIdentity?> IdentifyAsync(string channelId, string userId, CancellationToken ct = default) =>
        db.ReadAsync(s => IdentifyInAsync(s, channelId, userId), ct);

    public static async Task<ChatIdentity?> IdentifyInAsync(Session s, string channelId, string userId) =>
        IdentityOf(channelId, userId, await s.GetChatPersonAsync(channelId, userId));

    /// <summary>Who writes from a chat account bound to <paramref name="person"/>: nobody if unbound or no longer active.</summary>
    /// <remarks>
    /// An account of several records is who each of them on the roster is: one taken off leaves the others as they were.
    /// </remarks>
    public static ChatIdentity? IdentityOf(string channelId, string userId, ChatPerson? person) => person switch
    {
        { More.Count: > 0 } => SeveralOf(channelId, userId, person),
        { PersonKind: "subject", Subject: { Active: true } subject } => new ChatIdentity(channelId, userId, subject, null),
        { PersonKind: not "subject", Staff: { Active: true } staff } => new ChatIdentity(channelId, userId, null, staff),
        _ => null,
    };

    private static ChatIdentity? SeveralOf(string channelId, string userId, ChatPerson person)
    {
        var records = new List<Subject>(person.More.Count + 1);
        foreach (var p in (IEnumerable<ChatPerson>)[person, .. person.More])
            if (p is { PersonKind: "subject", Subject: { Active: true } subject }) records.Add(subject);
        return records.Count switch
        {
            0 => IdentityOf(channelId, userId, person with { More = [] }),
            1 => new ChatIdentity(channelId, userId, records[0], null),
            _ => new ChatIdentity(channelId, userId, records[0], null) { Records = records },
        };
    }
}

/// <summary>
/// An enrolment code kept for a plain retry (<see cref="Enrolment.IssueInAsync"/>): AES-GCM under a key derived from the
/// caller's secret and the person, so neither the database nor another caller's retry can read it.
/// </summary>
internal static class RetrySeal
{
    private static byte[] KeyOf(string secret, string personKind, string personId) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"scoring enrolment code retry\n{personKind}\n{personId}\n{secret}"));

    public static string Seal(string code, string secret, string personKind, string personId)
    {
        var plain = Encoding.UTF8.GetBytes(code);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(KeyOf(secret, personKind, personId), tag.Length)) aes.Encrypt(nonce, plain, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    /// <summary>The code, or null when it was sealed with another secret (another token of the same staff member) or is unreadable.</summary>
    public static string? Open(string text, string secret, string personKind, string personId)
    {
        try
        {
            var bytes = Convert.FromBase64String(text);
            int n = AesGcm.NonceByteSizes.MaxSize, t = AesGcm.TagByteSizes.MaxSize;
            if (bytes.Length <= n + t) return null;
            var plain = new byte[bytes.Length - n - t];
            using var aes = new AesGcm(KeyOf(secret, personKind, personId), t);
            aes.Decrypt(bytes.AsSpan(0, n), bytes.AsSpan(n + t), bytes.AsSpan(n, t), plain);
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
