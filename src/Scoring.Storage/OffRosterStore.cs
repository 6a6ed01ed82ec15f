using Scoring.Domain.Lists;

namespace Scoring.Storage;

/// <summary>
/// The erasure of the personal data of landlords and shop heads long off the roster (0660; the rule is
/// Scoring.Domain.OffRoster). The subject's row stays, masked, because the ledger and the published lists name them by id.
/// </summary>
public static class OffRosterStore
{
    // Off the roster now (an open span) since before @before; a span with no left_at (off since before anyone recorded
    // it, or entered off the roster) counts from when they were entered, the earliest they can have left.
    private const string LeftBefore =
        "EXISTS (SELECT 1 FROM subject_absences a WHERE a.subject_id = subjects.id AND a.back_at IS NULL AND COALESCE(a.left_at, subjects.created_at) < @before)";

    private static readonly DialectSql SelectErasable = DialectSql.Both(
        $"SELECT id FROM subjects WHERE street_id = @street AND active = 0 AND erased_at IS NULL AND {LeftBefore} ORDER BY id");

    // Checked again as the row is written (and so held to the commit on SQL Server): someone brought back since the round
    // read them is kept.
    private static readonly DialectSql EraseSubjectSql = DialectSql.Both(
        $"UPDATE subjects SET name = @name, phone = NULL, erased_at = @at WHERE id = @id AND active = 0 AND erased_at IS NULL AND {LeftBefore}");

    private static readonly DialectSql DeleteIdentityCardSql = DialectSql.Both("DELETE FROM identity_cards WHERE subject_id = @id");
    // A tenant is made anonymous in place, not deleted: deleting them and their returns read the whole of tenant_returns
    // (not indexed by tenant or landlord, on purpose: 0460), and SQLite's foreign-key check read it again per tenant. The
    // returns stay, with their arrival times, naming only this anonymous tenant; the late-return points stay in the ledger.
    private static readonly DialectSql EraseTenantSql = DialectSql.Both(
        "UPDATE tenants SET name = @name, room = NULL, phone = NULL, origin = NULL, expected_return = NULL, active = 0 WHERE id = @id");
    private static readonly DialectSql DeleteCodesSql = DialectSql.Both("DELETE FROM enrolment_codes WHERE person_kind = 'subject' AND person_id = @id");
    private static readonly DialectSql DeleteReferenceSql = DialectSql.Both("DELETE FROM bot_conversation_reference WHERE reference_key = @key");
    private static readonly DialectSql DeleteDialogSql = DialectSql.Both("DELETE FROM chat_dialogs WHERE dialog_key = @key");

    // One row (0710), replaced by each round: how the last went.
    private static readonly DialectSql UpdateRoundSql = DialectSql.Both(
        "UPDATE erasure_rounds SET ran_at = @RanAt, erased = @Erased, failed = @Failed, failures = @Failures, still_due = @StillDue, " +
        "succeeded_at = CASE WHEN @Failed = 0 THEN @RanAt ELSE succeeded_at END, failed_ids = @FailedIds WHERE name = 'off-roster'");
    private static readonly DialectSql InsertRoundSql = DialectSql.Both(
        "INSERT INTO erasure_rounds (name, ran_at, erased, failed, failures, still_due, succeeded_at, failed_ids) " +
        "VALUES ('off-roster', @RanAt, @Erased, @Failed, @Failures, @StillDue, CASE WHEN @Failed = 0 THEN @RanAt END, @FailedIds)");
    private static readonly DialectSql SelectFailedIdsSql = DialectSql.Both("SELECT failed_ids FROM erasure_rounds WHERE name = 'off-roster'");
    private static readonly DialectSql SelectRoundSql = DialectSql.Both(
        "SELECT ran_at AS RanAt, erased AS Erased, failed AS Failed, failures AS Failures, still_due AS StillDue, succeeded_at AS SucceededAt FROM erasure_rounds WHERE name = 'off-roster'");

    private static readonly DialectSql ForgetCodesSql = DialectSql.Both("DELETE FROM enrolment_codes WHERE expires_at < @before");

    /// <summary>The street's subjects off the roster since before <paramref name="before"/> and not yet erased, by id.</summary>
    public static async Task<IReadOnlyList<string>> ErasableSubjectsAsync(this Session s, string street, DateTimeOffset before) =>
        (await s.QueryAsync<string>(SelectErasable, new { street, before })).ToList();

    /// <summary>
    /// What one erasure took away, in counts (the street's record of it names nothing more): the tenants made anonymous,
    /// the chat accounts that stopped speaking for the person, and how many of those then spoke for nobody and were unbound.
    /// </summary>
    public sealed record Erased(int Tenants, int AccountsStoppedSpeaking, int AccountsUnbound);

    /// <summary>
    /// Erases one subject still off the roster since before <paramref name="before"/>: their name becomes
    /// <paramref name="maskedName"/>, their phone, identity card and enrolment codes are deleted, and their tenants are made
    /// anonymous (name masked the same way, room, phone, origin and expected return cleared, off the list) so that their
    /// returns point at a masked name (a late return's note in the ledger keeps what it said). Each chat account speaking
    /// for them stops speaking for this record (<see cref="PeopleStore.StopSpeakingForAsync"/>); an account that speaks for other records too (0680) keeps them and
    /// where to reach it, and only one left speaking for nobody is forgotten with where to reach it and its dialog. Null when
    /// they are no longer to be erased (brought back meanwhile, or erased already): then nothing is changed.
    /// </summary>
    public static async Task<Erased?> EraseSubjectAsync(this Session s, string id, string maskedName, DateTimeOffset before, DateTimeOffset at)
    {
        if (await s.ExecuteAsync(EraseSubjectSql, new { id, name = maskedName, before, at }) == 0) return null;
        await s.ExecuteAsync(DeleteIdentityCardSql, new { id });
        var tenants = await s.ListTenantsAsync(id);
        foreach (var t in tenants)
            await s.ExecuteAsync(EraseTenantSql, new { id = t.Id, name = Masking.Name(t.Name) });
        await s.ExecuteAsync(DeleteCodesSql, new { id });
        var accounts = await s.ChatAccountsOfAsync("subject", id);
        var stopped = 0;
        var unbound = 0;
        foreach (var a in accounts)
        {
            if (await s.StopSpeakingForAsync(a.ChannelId, a.UserId, "subject", id) is not { } dropped) continue;
            stopped++;
            if (!dropped.Unbound) continue;
            unbound++;
            // Where to reach it and its dialog are keyed by the chat user as the bot keys them.
            var key = CompositeKey.Of(a.ChannelId, a.UserId);
            await s.ExecuteAsync(DeleteReferenceSql, new { key });
            await s.ExecuteAsync(DeleteDialogSql, new { key });
        }
        return new Erased(tenants.Count, stopped, unbound);
    }

    /// <summary>
    /// How a round of erasure went, for the service's status: when it ran, how many were erased, how many could not be
    /// (and of which exception types, "SqliteException ×3"), and how many were still due when it ended (a backlog drained
    /// over the rounds, or people whose erasure keeps failing). Counts and types only for the status: no id, name or
    /// message. <paramref name="TriedLast"/> is kept beside it, not shown: the record ids (random, no name or phone) the next
    /// round is to try after everyone else, on whichever instance (at most <see cref="MostTriedLast"/>).
    /// </summary>
    public sealed record ErasureRound(DateTimeOffset RanAt, int Erased, int Failed, string? Failures, int StillDue, IReadOnlyCollection<string>? TriedLast = null)
    {
        public string? FailedIds => TriedLast is { Count: > 0 } ids ? System.Text.Json.JsonSerializer.Serialize(ids.Take(MostTriedLast)) : null;
    }

    /// <summary>How many ids a round keeps for the next to try last: far more than a round can try (it gives up after a few failures in a row).</summary>
    public const int MostTriedLast = 1000;

    /// <summary>The last round as <see cref="RecordErasureRoundAsync"/> kept it, and when a round last went without a failure.</summary>
    public sealed class LastErasureRound
    {
        public DateTimeOffset RanAt { get; init; }
        public int Erased { get; init; }
        public int Failed { get; init; }
        public string? Failures { get; init; }
        public int StillDue { get; init; }
        public DateTimeOffset? SucceededAt { get; init; }
    }

    /// <summary>Keeps how this round went in place of the last one; a round without a failure is the last that succeeded.</summary>
    public static async Task RecordErasureRoundAsync(this Session s, ErasureRound round)
    {
        if (await s.ExecuteAsync(UpdateRoundSql, round) == 0) await s.ExecuteAsync(InsertRoundSql, round);
    }

    /// <summary>
    /// Those the last round left for the next to try after everyone else (<see cref="ErasureRound.TriedLast"/>); null when
    /// what was kept cannot be read (a hand edit, a cut write): a list that only orders the round must not stop it, every
    /// round, for good. The round records a new list.
    /// </summary>
    public static async Task<IReadOnlySet<string>?> ErasureTriedLastAsync(this Session s)
    {
        if (await s.FirstOrDefaultAsync<string?>(SelectFailedIdsSql) is not { } json) return new HashSet<string>(StringComparer.Ordinal);
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<List<string?>>(json) is { } ids
                ? ids.OfType<string>().ToHashSet(StringComparer.Ordinal)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The last round of erasure, or null before the first.</summary>
    public static Task<LastErasureRound?> LastErasureRoundAsync(this Session s) => s.FirstOrDefaultAsync<LastErasureRound>(SelectRoundSql);

    /// <summary>Enrolment codes that expired before <paramref name="before"/>, used, replaced or never: see Enrolment.KeepCodes.</summary>
    public static Task<int> ForgetEnrolmentCodesAsync(this Session s, DateTimeOffset before) => s.ExecuteAsync(ForgetCodesSql, new { before });
}
