
namespace Scoring.Storage.Outbox;

/// <summary>
/// The persisted queue of activities waiting to be sent to chat channels. Callers enqueue inside
/// the transaction of their own effect, so a reply exists exactly when its effect does; senders
/// claim due messages under a lease, so several service instances can share one database.
/// </summary>
public sealed class OutboxStore(Database database, TimeProvider time)
{
    private const int MaxErrorLength = 2000;

    private const string Columns =
        "seq AS Sequence, id AS Id, conversation_key AS ConversationKey, service_url AS ServiceUrl, channel_id AS ChannelId, " +
        "conversation_id AS ConversationId, reply_to_id AS ReplyToId, activity_json AS ActivityJson, created_at AS CreatedAt, " +
        "attempts AS Attempts, next_attempt_at AS NextAttemptAt, lease_owner AS LeaseOwner, lease_until AS LeaseUntil, " +
        "sent_at AS SentAt, dead_lettered_at AS DeadLetteredAt, last_error AS LastError, throttled_since AS ThrottledSince, paced_by AS PacedBy";

    private const string InsertedColumns =
        "inserted.seq AS Sequence, inserted.id AS Id, inserted.conversation_key AS ConversationKey, inserted.service_url AS ServiceUrl, inserted.channel_id AS ChannelId, " +
        "inserted.conversation_id AS ConversationId, inserted.reply_to_id AS ReplyToId, inserted.activity_json AS ActivityJson, inserted.created_at AS CreatedAt, " +
        "inserted.attempts AS Attempts, inserted.next_attempt_at AS NextAttemptAt, inserted.lease_owner AS LeaseOwner, inserted.lease_until AS LeaseUntil, " +
        "inserted.sent_at AS SentAt, inserted.dead_lettered_at AS DeadLetteredAt, inserted.last_error AS LastError, inserted.throttled_since AS ThrottledSince, inserted.paced_by AS PacedBy";

    // A message is waiting while neither sent nor dead-lettered; only the oldest waiting message
    // of a conversation (its head) may be claimed, which keeps order and one send at a time.
    // On SQL Server the look for an earlier message waits for one still being written (READCOMMITTEDLOCK): under
    // READ_COMMITTED_SNAPSHOT, Azure SQL's default, it would read past a turn not yet committed and send the later first.
    private static string IsClaimableHead(string earlierHint = "") =>
        "c.sent_at IS NULL AND c.dead_lettered_at IS NULL AND c.next_attempt_at <= @Now " +
        "AND (c.lease_until IS NULL OR c.lease_until <= @Now) " +
        $"AND NOT EXISTS (SELECT 1 FROM bot_outbox AS earlier{earlierHint} WHERE earlier.conversation_key = c.conversation_key " +
        "AND earlier.sent_at IS NULL AND earlier.dead_lettered_at IS NULL AND earlier.seq < c.seq)";

    private static readonly DialectSql Insert = DialectSql.Both(
        "INSERT INTO bot_outbox (id, conversation_key, service_url, channel_id, conversation_id, reply_to_id, activity_json, created_at, attempts, next_attempt_at) " +
        "VALUES (@Id, @ConversationKey, @ServiceUrl, @ChannelId, @ConversationId, @ReplyToId, @ActivityJson, @CreatedAt, 0, @CreatedAt)");

    // The outer WHERE repeats the lease test so that two instances racing for a row cannot both win.
    // SQLite is told to look among the waiting messages (the partial index of their due times): for the order by seq it
    // read the outbox from its first row, every message still kept since long sent, at every claim.
    private static readonly DialectSql Claim = new(
        Sqlite:
            "UPDATE bot_outbox SET lease_owner = @Owner, lease_until = @LeaseUntil, attempts = attempts + 1 " +
            $"WHERE seq IN (SELECT c.seq FROM bot_outbox AS c INDEXED BY ix_bot_outbox_due WHERE {IsClaimableHead()} ORDER BY c.seq LIMIT @Max) " +
            "AND sent_at IS NULL AND dead_lettered_at IS NULL AND (lease_until IS NULL OR lease_until <= @Now) " +
            $"RETURNING {Columns}",
        SqlServer:
            "UPDATE o SET lease_owner = @Owner, lease_until = @LeaseUntil, attempts = o.attempts + 1 " +
            $"OUTPUT {InsertedColumns} " +
            "FROM bot_outbox AS o " +
            $"WHERE o.seq IN (SELECT TOP (@Max) c.seq FROM bot_outbox AS c WITH (UPDLOCK, READPAST) WHERE {IsClaimableHead(" WITH (READCOMMITTEDLOCK)")} ORDER BY c.seq) " +
            "AND o.sent_at IS NULL AND o.dead_lettered_at IS NULL AND (o.lease_until IS NULL OR o.lease_until <= @Now)");

    private static readonly DialectSql NextDue = DialectSql.Both(
        "SELECT MIN(CASE WHEN c.lease_until IS NOT NULL AND c.lease_until > c.next_attempt_at THEN c.lease_until ELSE c.next_attempt_at END) " +
        "FROM bot_outbox AS c WHERE c.sent_at IS NULL AND c.dead_lettered_at IS NULL " +
        "AND NOT EXISTS (SELECT 1 FROM bot_outbox AS earlier WHERE earlier.conversation_key = c.conversation_key " +
        "AND earlier.sent_at IS NULL AND earlier.dead_lettered_at IS NULL AND earlier.seq < c.seq)");

    // Sent is a fact whoever holds the lease, so it is recorded even if the lease ran out meanwhile.
    private static readonly DialectSql MarkSent = DialectSql.Both(
        "UPDATE bot_outbox SET sent_at = @Now, lease_owner = NULL, lease_until = NULL, last_error = NULL, throttled_since = NULL " +
        "WHERE id = @Id AND sent_at IS NULL");

    private static readonly DialectSql Reschedule = DialectSql.Both(
        "UPDATE bot_outbox SET next_attempt_at = @NextAttemptAt, last_error = @Error, lease_owner = NULL, lease_until = NULL, throttled_since = NULL, paced_by = NULL " +
        "WHERE id = @Id AND lease_owner = @Owner AND sent_at IS NULL AND dead_lettered_at IS NULL");

    // Not a failure: the attempt the claim counted is given back, so waiting for a channel's pace never uses up MaxAttempts.
    // paced_by names the sender whose schedule gave the moment (and counted it); a retry's moment clears it (Reschedule).
    private static readonly DialectSql Defer = DialectSql.Both(
        "UPDATE bot_outbox SET next_attempt_at = @NextAttemptAt, attempts = attempts - 1, last_error = COALESCE(@Error, last_error), paced_by = @Owner, " +
        "lease_owner = NULL, lease_until = NULL " +
        "WHERE id = @Id AND lease_owner = @Owner AND sent_at IS NULL AND dead_lettered_at IS NULL");

    // A 429 puts the message off like a pace does, and notes when the throttling began (kept through later 429s and
    // pace holds; any other outcome clears it): the sender gives up on one throttled too long from then, not from its enqueue.
    private static readonly DialectSql Throttle = DialectSql.Both(
        "UPDATE bot_outbox SET next_attempt_at = @NextAttemptAt, attempts = attempts - 1, last_error = @Error, " +
        "throttled_since = COALESCE(throttled_since, @Now), paced_by = @Owner, lease_owner = NULL, lease_until = NULL " +
        "WHERE id = @Id AND lease_owner = @Owner AND sent_at IS NULL AND dead_lettered_at IS NULL");

    private static readonly DialectSql DeadLetter = DialectSql.Both(
        "UPDATE bot_outbox SET dead_lettered_at = @Now, last_error = @Error, lease_owner = NULL, lease_until = NULL, throttled_since = NULL " +
        "WHERE id = @Id AND lease_owner = @Owner AND sent_at IS NULL AND dead_lettered_at IS NULL");

    private static readonly DialectSql Release = DialectSql.Both(
        "UPDATE bot_outbox SET lease_owner = NULL, lease_until = NULL " +
        "WHERE id = @Id AND lease_owner = @Owner AND sent_at IS NULL AND dead_lettered_at IS NULL");

    private static readonly DialectSql Requeue = DialectSql.Both(
        "UPDATE bot_outbox SET dead_lettered_at = NULL, attempts = 0, next_attempt_at = @Now, last_error = NULL, throttled_since = NULL, paced_by = NULL " +
        "WHERE id = @Id AND dead_lettered_at IS NOT NULL AND sent_at IS NULL");

    private static readonly DialectSql ListDeadLetters = new(
        Sqlite: $"SELECT {Columns} FROM bot_outbox WHERE dead_lettered_at IS NOT NULL ORDER BY dead_lettered_at DESC, seq DESC LIMIT @Limit",
        SqlServer: $"SELECT TOP (@Limit) {Columns} FROM bot_outbox WHERE dead_lettered_at IS NOT NULL ORDER BY dead_lettered_at DESC, seq DESC");

    // The service's status in one statement, each part on its partial index (waiting: ix_bot_outbox_due; dead letters:
    // ix_bot_outbox_dead), so sent messages kept for their retention are never read.
    internal static readonly DialectSql FiguresSql = DialectSql.Both(
        "SELECT (SELECT COUNT(*) FROM bot_outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL) AS Waiting, " +
        "(SELECT MIN(created_at) FROM bot_outbox WHERE sent_at IS NULL AND dead_lettered_at IS NULL) AS OldestWaiting, " +
        "(SELECT COUNT(*) FROM bot_outbox WHERE dead_lettered_at IS NOT NULL) AS DeadLetters");

    private static readonly DialectSql FindById = DialectSql.Both($"SELECT {Columns} FROM bot_outbox WHERE id = @Id");

    private static readonly DialectSql PurgeSent = DialectSql.Both(
        "DELETE FROM bot_outbox WHERE sent_at IS NOT NULL AND sent_at < @Before");
    private static readonly DialectSql PurgeDead = DialectSql.Both(
        "DELETE FROM bot_outbox WHERE dead_lettered_at IS NOT NULL AND dead_lettered_at < @Before");

    /// <summary>
    /// Adds activities to the outbox inside the caller's transaction; they leave in list order
    /// after anything already waiting for the same conversation. Returns their ids.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnqueueAsync(Session session, IEnumerable<OutgoingActivity> activities)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(activities);
        var now = time.GetUtcNow();
        var ids = new List<string>();
        foreach (var activity in activities)
        {
            var id = Guid.CreateVersion7(now).ToString("N");
            await session.ExecuteAsync(Insert, new
            {
                Id = id,
                activity.ConversationKey,
                activity.ServiceUrl,
                activity.ChannelId,
                activity.ConversationId,
                activity.ReplyToId,
                activity.ActivityJson,
                CreatedAt = now,
            });
            ids.Add(id);
        }
        return ids;
    }


    /// <summary>
    /// Leases up to <paramref name="max"/> due messages to <paramref name="owner"/>, at most one per
    /// conversation (its oldest waiting one), and counts the attempt. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(string owner, int max, TimeSpan lease, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var rows = await database.WriteAsync(async session =>
        {
            var now = time.GetUtcNow();
            return (await session.QueryAsync<Row>(Claim, new { Owner = owner, Max = max, Now = now, LeaseUntil = now + lease })).ToList();
        }, ct);
        return rows.Select(row => row.ToMessage()).OrderBy(m => m.Sequence).ToList();
    }

    /// <summary>When the next waiting message becomes claimable (in the past if one already is); null when none waits.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken ct = default)
    {
        var value = await database.ReadAsync(session => session.ScalarAsync<object?>(NextDue), ct);
        return Instant(value);
    }

    public async Task<bool> MarkSentAsync(string id, CancellationToken ct = default) =>
        await WriteAsync(MarkSent, new { Id = id, Now = time.GetUtcNow() }, ct) == 1;

    /// <summary>Gives the message back for another attempt at <paramref name="nextAttemptAt"/>, keeping why this one failed.</summary>
    public async Task<bool> RescheduleAsync(string id, string owner, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default) =>
        await WriteAsync(Reschedule, new { Id = id, Owner = owner, NextAttemptAt = nextAttemptAt, Error = Truncate(error) }, ct) == 1;

    /// <summary>
    /// Puts the message off until <paramref name="nextAttemptAt"/> without counting the attempt: it was held back to keep
    /// a channel's pace, or the channel asked us to slow down (429). <paramref name="error"/>, when given, replaces the last one.
    /// </summary>
    public async Task<bool> DeferAsync(string id, string owner, DateTimeOffset nextAttemptAt, string? error, CancellationToken ct = default) =>
        await WriteAsync(Defer, new { Id = id, Owner = owner, NextAttemptAt = nextAttemptAt, Error = error is null ? null : Truncate(error) }, ct) == 1;

    /// <summary>
    /// The channel answered 429: the message is put off until <paramref name="nextAttemptAt"/> without counting the attempt,
    /// and the moment its throttling began is kept (<see cref="OutboxMessage.ThrottledSince"/>) unless already set.
    /// </summary>
    public async Task<bool> ThrottledAsync(string id, string owner, DateTimeOffset nextAttemptAt, string error, CancellationToken ct = default) =>
        await WriteAsync(Throttle, new { Id = id, Owner = owner, Now = time.GetUtcNow(), NextAttemptAt = nextAttemptAt, Error = Truncate(error) }, ct) == 1;

    /// <summary>Stops trying to send the message; the reason stays for the admin view.</summary>
    public async Task<bool> DeadLetterAsync(string id, string owner, string reason, CancellationToken ct = default) =>
        await WriteAsync(DeadLetter, new { Id = id, Owner = owner, Now = time.GetUtcNow(), Error = Truncate(reason) }, ct) == 1;

    /// <summary>Hands back a lease without counting it as a failure (the sender is stopping).</summary>
    public async Task<bool> ReleaseAsync(string id, string owner, CancellationToken ct = default) =>
        await WriteAsync(Release, new { Id = id, Owner = owner }, ct) == 1;

    /// <summary>Puts a dead letter back in the queue with a fresh attempt count.</summary>
    public async Task<bool> RequeueAsync(string id, CancellationToken ct = default) =>
        await WriteAsync(Requeue, new { Id = id, Now = time.GetUtcNow() }, ct) == 1;

    /// <summary>The most recent dead letters first.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListDeadLettersAsync(int limit = 100, CancellationToken ct = default)
    {
        var rows = await database.ReadAsync(async session => (await session.QueryAsync<Row>(ListDeadLetters, new { Limit = limit })).ToList(), ct);
        return rows.Select(row => row.ToMessage()).ToList();
    }

    /// <summary>How many messages wait to be sent, since when the oldest of them, and how many were dead-lettered: counts only, no message's contents.</summary>
    public async Task<OutboxFigures> FiguresAsync(CancellationToken ct = default)
    {
        var row = await database.ReadAsync(session => session.FirstOrDefaultAsync<FiguresRow>(FiguresSql), ct);
        return new OutboxFigures((int)(row?.Waiting ?? 0), Instant(row?.OldestWaiting), (int)(row?.DeadLetters ?? 0));
    }

    public async Task<OutboxMessage?> FindAsync(string id, CancellationToken ct = default)
    {
        var row = await database.ReadAsync(session => session.FirstOrDefaultAsync<Row>(FindById, new { Id = id }), ct);
        return row?.ToMessage();
    }

    /// <summary>Deletes sent messages older than <paramref name="before"/>; dead letters have their own retention.</summary>
    public Task<int> PurgeSentAsync(DateTimeOffset before, CancellationToken ct = default) =>
        WriteAsync(PurgeSent, new { Before = before }, ct);

    /// <summary>Deletes messages dead-lettered before <paramref name="before"/>.</summary>
    public Task<int> PurgeDeadLettersAsync(DateTimeOffset before, CancellationToken ct = default) =>
        WriteAsync(PurgeDead, new { Before = before }, ct);

    private Task<int> WriteAsync(DialectSql sql, object parameters, CancellationToken ct) =>
        database.WriteAsync(session => session.ExecuteAsync(sql, parameters), ct);

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    /// <summary>Aggregates come back untyped (text in SQLite), so no type handler sees them.</summary>
    private static DateTimeOffset? Instant(object? value) => value switch
    {
        null or DBNull => null,
        DateTimeOffset instant => instant,
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        string text => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal),
        _ => throw new InvalidCastException($"Cannot read an instant from {value.GetType().Name}."),
    };

    private sealed class FiguresRow
    {
        public long Waiting { get; set; }
        public object? OldestWaiting { get; set; }
        public long DeadLetters { get; set; }
    }

    private sealed class Row
    {
        public long Sequence { get; set; }
        public string Id { get; set; } = "";
        public string ConversationKey { get; set; } = "";
        public string ServiceUrl { get; set; } = "";
        public string ChannelId { get; set; } = "";
        public string ConversationId { get; set; } = "";
        public string? ReplyToId { get; set; }
        public string ActivityJson { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public int Attempts { get; set; }
        public DateTimeOffset NextAttemptAt { get; set; }
        public string? LeaseOwner { get; set; }
        public DateTimeOffset? LeaseUntil { get; set; }
        public DateTimeOffset? SentAt { get; set; }
        public DateTimeOffset? DeadLetteredAt { get; set; }
        public string? LastError { get; set; }
        public DateTimeOffset? ThrottledSince { get; set; }
        public string? PacedBy { get; set; }

        public OutboxMessage ToMessage() => new(
            Sequence, Id, ConversationKey, ServiceUrl, ChannelId, ConversationId, ReplyToId, ActivityJson,
            CreatedAt, Attempts, NextAttemptAt, LeaseOwner, LeaseUntil, SentAt, DeadLetteredAt, LastError, ThrottledSince, PacedBy);
    }
}
