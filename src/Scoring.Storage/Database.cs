using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Polly;
using Polly.Retry;

namespace Scoring.Storage;

/// <summary>
/// Opens connections to the configured database and runs units of work on them. Every write is one
/// unit of work: it commits if it returns and leaves nothing behind if it throws, and the whole unit is
/// retried on transient faults (SQLite busy/locked, SQL Server deadlocks and failovers).
/// <para>
/// On SQLite, writes go through a single writer with group commit: units of work queued at the same
/// moment run one after another in one transaction, each inside its own savepoint, and are acknowledged
/// together after one durable commit. SQLite has one write lock anyway; this turns many fsyncs into one
/// and avoids Microsoft.Data.Sqlite's ~150 ms sleep-and-retry on a locked database.
/// </para>
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private const int MaxKeptReaders = 32;

    // WAL lets readers run beside the writer; FULL makes acknowledged writes survive power loss; busy_timeout
    // waits for another process's lock instead of failing at once. The checkpointer thread copies the WAL into
    // the database after commits (at most every 50 ms), and once a pass finds the log past RestartLogAtFrames the
    // writer makes it start over (RestartLog). The writer's own auto-checkpoint (at twice that) is only a backstop for a
    // checkpointer that has stopped: at 2,000 frames it ran after about one commit in ten under load, each a copy and a
    // flush of the database file inside the serial section, and most of them could not start the log over anyway. A
    // burst that outran the copying (seeding, a bulk import, a starved checkpointer) leaves a long log file behind;
    // journal_size_limit cuts it back to RestartLogAtFrames when the log starts over, so the disk is given back (both
    // lengths follow the instance's RestartLogAtFrames: LogPragmas). The writer's page cache (64 MB) keeps the pages
    // its turns look up: its own writes never invalidate it, and a miss is a system call inside the serial section.
    // Each unit of work in a batch runs in a savepoint, whose journal of original pages would otherwise spill to a
    // temporary file (a write system call per page) once it passes 64 KB; temp_store=MEMORY keeps it in memory.
    private const string WriterPragmas =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; " + WaitForLocks +
        "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; ";
    private const string ReaderPragmas = WaitForLocks;
    private const string WaitForLocks = "PRAGMA busy_timeout=5000; ";
    private const int SqliteQueryPlannerStabilityGuarantee = 1007; // SQLITE_DBCONFIG_ENABLE_QPSG
    private static readonly TimeSpan CheckpointPause = TimeSpan.FromMilliseconds(50);
    private const int PageSize = 4096; // SQLite's default, which Scoring keeps

    // Readers that overlap without a gap keep the log from starting over however often it is copied (SQLite's
    // "checkpoint starvation"); past this many frames (64 MB) the writer makes it start over itself (see RestartLog).
    // Each restart holds the writer for the copy the checkpointer has not made yet and a flush of the database file
    // (~15 ms under load): at 16 MB that was 3-4 times a second under the benchmark's load, and 64 MB made it ~10%
    // faster (docs/benchmarks.md, twelfth session).
    internal const int DefaultRestartLogAtFrames = 16384;

    /// <summary>The log's length in frames (pages) past which the writer makes it start over; tests use shorter logs.</summary>
    internal int RestartLogAtFrames { get; init; } = DefaultRestartLogAtFrames;

    private readonly ResiliencePipeline _retry;
    private readonly Channel<WriteItem>? _writes;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _checkpointDue = new(0);
    private volatile bool _logTooLong; // set by the checkpointer's passes, cleared by the writer's restart
    // The writer's commits so far; their number when it last restarted the log (the log starts over at the first
    // commit after a restart, so until then a pass still finds it long, and must not ask for another restart); and
    // their number when the checkpointer's latest pass began (what it copied).
    private long _commits, _commitsAtRestart = -1, _copiedThroughCommits;
    // The writer's commits when it first deferred the restart now due (-1: none deferred); only the writer's thread uses it.
    private long _restartDeferredAt = -1;
    // Set by the writer when it wants the log restarted but the checkpointer has copies to make first: the checkpointer
    // skips its pause, so that the restart is left a batch or two to copy and flush instead of ~50 ms of commits.
    private readonly AutoResetEvent _checkpointSoon = new(false);
    // SQLite runs one checkpoint at a time and refuses a second at once (it does not wait for that lock): held by the
    // checkpointer's passes, so that the writer's restart can see a pass under way and try again after its next batch.
    private readonly Lock _copying = new();
    private readonly TaskCompletionSource _checkpointerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly ConcurrentBag<KeptReader>? _readers;

    // Set before SQLite is first used in the process (sqlite3_config is refused afterwards, harmlessly). Memory
    // statistics take one process-wide mutex on every allocation, which the writer, the readers and the
    // checkpointer contended for (futex waits in the profile); nothing here reads them.
    //
    // Connections have no mutex of their own (multi-thread mode): SQLite otherwise locks and unlocks each connection's
    // mutex around every call into it — every bind, step, column read and reset, dozens per statement — and here a
    // connection is only ever used by one caller at a time (the writer's by its thread, the checkpointer's by its
    // thread, a kept reader by the one read that took it from the pool), which is what that mode asks. SQLite's own
    // shared state (the log's shared memory, the page caches, the open files) keeps its mutexes.
    static Database()
    {
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SqliteConfigMultiThread);
        SQLitePCL.raw.sqlite3_config(SqliteConfigMemoryStatistics, 0);
        SqlitePageCache.Install();
    }

    private const int SqliteConfigMultiThread = 2; // SQLITE_CONFIG_MULTITHREAD
    private const int SqliteConfigMemoryStatistics = 9; // SQLITE_CONFIG_MEMSTATUS

    public Database(StorageProvider provider, string connectionString, TimeProvider? time = null)
    {
        Provider = provider;
        ConnectionString = provider == StorageProvider.Sqlite ? WithoutDriverRetries(connectionString) : connectionString;
        Cache = new ReferenceCache(time ?? TimeProvider.System);
        DateTimeOffsetHandler.Register();
        _retry = new ResiliencePipelineBuilder { TimeProvider = time ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<DbException>(TransientFaults.IsTransient),
                // Each attempt already waits up to busy_timeout (5 s) for another process's lock, and no longer (the driver's
                // own retries are cut to one: WithoutDriverRetries): three attempts bound a write at ~15 s, after which the
                // caller answers 503 + Retry-After instead of outwaiting the client.
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
            })
            .Build();
        if (provider == StorageProvider.Sqlite)
        {
            _readers = [];
            _writes = Channel.CreateUnbounded<WriteItem>(new UnboundedChannelOptions { SingleReader = true });
            // A thread of its own: the writer blocks in SQLite (and in fsync at every commit), which on a
            // thread-pool thread would take one of the few workers a small machine has from the requests.
            new Thread(WriteLoop) { IsBackground = true, Name = "SQLite writer" }.Start();
            new Thread(CheckpointLoop) { IsBackground = true, Name = "SQLite checkpointer" }.Start();
            // A log left by a process that stopped before folding it in (seeding, a crash) is copied now, beside
            // the service, rather than by whichever write commits first.
            _checkpointDue.Release();
        }
        else
        {
            _writerPriority.SetResult(false);
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite tries a statement SQLite answered busy again itself, until the command's timeout has passed (30 s
    /// unless the connection string sets Default Timeout), each try waiting a whole busy_timeout: a write behind another
    /// process's lock took minutes, not ~15 s, and held the single writer meanwhile. A second gives each statement one
    /// busy_timeout and no more (0 would try for ever), so busy_timeout and the retry pipeline are the only waits.
    /// </summary>
    private static string WithoutDriverRetries(string connectionString) =>
        new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 1 }.ToString();

    /// <summary>
    /// Whether the SQLite writer's thread runs ahead of request threads (see <see cref="WriterPriority"/>), known once the
    /// thread has started; false on SQL Server, which has no writer of ours. Operators see it in the start-up log.
    /// </summary>
    public Task<bool> WriterPriorityRaised => _writerPriority.Task;

    /// <summary>
    /// Whether SQLite runs with <see cref="SqlitePageCache"/> in this process; false when something used SQLite before this
    /// class did (SQLite then refuses the setting, and the writer walks its whole page cache at most commits).
    /// </summary>
    public static bool PageCacheInstalled => SqlitePageCache.Installed;

    private readonly TaskCompletionSource<bool> _writerPriority = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StorageProvider Provider { get; }
    public string ConnectionString { get; }
    public ReferenceCache Cache { get; }

    public string Sql(DialectSql sql) => sql.For(Provider);

    /// <summary>A new open connection; for SQLite, set up for writing (WAL, durable commits, foreign keys, lock wait).</summary>
    public Task<DbConnection> OpenAsync(CancellationToken ct = default) => OpenAsync(forWriting: true, ct);

    /// <summary>A new open connection; for SQLite, <paramref name="forWriting"/> sets it up as the writer's (see WriterPragmas), else it only waits for locks.</summary>
    internal async Task<DbConnection> OpenAsync(bool forWriting, CancellationToken ct)
    {
        DbConnection connection = Provider == StorageProvider.SqlServer
            ? new SqlConnection(ConnectionString)
            : new SqliteConnection(ConnectionString);
        await connection.OpenAsync(ct);
        if (Provider == StorageProvider.Sqlite)
        {
            // Plans must not depend on bound values: otherwise SQLite plans a statement with a bound LIMIT (or other
            // values it can use) afresh every time its parameters are bound, which undoes preparing it once.
            SQLitePCL.raw.sqlite3_db_config(((SqliteConnection)connection).Handle, SqliteQueryPlannerStabilityGuarantee, 1, out _);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = forWriting ? WriterPragmas + LogPragmas : ReaderPragmas;
            await pragma.ExecuteNonQueryAsync(ct);
        }
        return connection;
    }

    /// <summary>
    /// Runs a read on its own connection. On SQLite the whole read is one read transaction, so it sees one snapshot
    /// (readers in WAL mode never wait for the writer); keep it short and do not wait on anything else inside it, since
    /// the log cannot start over while an older snapshot is still read.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<Session, Task<T>> work, CancellationToken ct = default) =>
        WithRetriesAsync(async token =>
        {
            if (_readers is null)
            {
                await using var connection = await OpenAsync(forWriting: false, token);
                return await work(new Session(connection, null, Provider, token) { Cache = Cache });
            }
            // SQLite: a kept reader connection with its prepared statements; one that failed is not kept.
            var reader = _readers.TryTake(out var kept) ? kept : new KeptReader((SqliteConnection)await OpenAsync(forWriting: false, token));
            T result;
            try
            {
                // One read transaction instead of one per statement: shared-memory locks (system calls) and emptying
                // the page cache after the writer's latest commit once per read. Ended before the reader is kept.
                reader.Statements.Execute(BeginRead, null, null);
                result = await work(new Session(reader.Connection, null, Provider, token) { Cache = Cache, Statements = reader.Statements });
                reader.Statements.Execute(EndRead, null, null);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
            if (Volatile.Read(ref _disposed) == 0 && _readers.Count < MaxKeptReaders) _readers.Add(reader);
            else reader.Dispose();
            return result;
        }, ct);

    /// <summary>Runs a unit of work in one transaction; commits if it returns, rolls back if it throws.</summary>
    public Task<T> WriteAsync<T>(Func<Session, Task<T>> work, CancellationToken ct = default) =>
        IdempotencyClaim.Current is { TookEffect: false } claim ? claim.WriteFirstAsync(this, work, ct) : WriteUnitAsync(work, ct);

    internal Task<T> WriteUnitAsync<T>(Func<Session, Task<T>> work, CancellationToken ct) =>
        WithRetriesAsync(async token =>
        {
            if (_writes is not null)
            {
                var item = new WriteItem<T>(work, token);
                if (!_writes.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(Database));
                return await item.Result;
            }
            await using var connection = await OpenAsync(forWriting: true, token);
            await using var tx = await connection.BeginTransactionAsync(token);
            try
            {
                var result = await work(new Session(connection, tx, Provider, token) { Cache = Cache });
                await tx.CommitAsync(token);
                return result;
            }
            finally
            {
                Cache.Settle();
            }
        }, ct);

    /// <summary>
    /// Runs <paramref name="attempt"/> with the retry pipeline's rules, entering the pipeline only after a transient fault:
    /// the fault is handed to it as its first attempt's outcome, so the attempts and waits are the pipeline's own. Almost
    /// every read and write succeeds at once, and the pipeline's asynchronous layers cost each of them four objects and
    /// their continuations (~3% of a chat message's allocations, docs/benchmarks.md, fourteenth session).
    /// </summary>
    private async Task<T> WithRetriesAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken ct)
    {
        try
        {
            return await attempt(ct);
        }
        catch (DbException e) when (TransientFaults.IsTransient(e))
        {
            var first = ExceptionDispatchInfo.Capture(e);
            var attempts = 0;
            return await _retry.ExecuteAsync(token =>
            {
                if (attempts++ == 0) first.Throw();
                return attempt(token);
            }, ct);
        }
    }

    public Task WriteAsync(Func<Session, Task> work, CancellationToken ct = default) =>
        WriteAsync(async s => { await work(s); return true; }, ct);

    private void WriteLoop()
    {
        _writerPriority.TrySetResult(WriterPriority.TryRaiseCurrentThread());
        var reader = _writes!.Reader;
        var batch = new List<WriteItem>(MaxBatch);
        SqliteConnection? connection = null;
        PreparedStatements? statements = null;
        try
        {
            while (WaitForWrites(reader))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                    if (!item.CancellationToken.IsCancellationRequested) batch.Add(item);
                    else item.Cancel();
                if (batch.Count == 0) continue;
                try
                {
                    connection ??= (SqliteConnection)OpenAsync(forWriting: true, _stopping.Token).GetAwaiter().GetResult();
                    statements ??= new PreparedStatements(connection);
                    RunBatch(connection, statements, batch);
                }
                catch (Exception e)
                {
                    // BEGIN or COMMIT failed: nothing of this batch is durable. Everyone hears it (a transient
                    // fault is retried by the caller's pipeline) and the next batch starts on a fresh connection.
                    foreach (var item in batch) item.Fail(e);
                    // Another process held the lock through a whole busy_timeout: what was queued meanwhile would now wait
                    // it out again, one busy_timeout after another (a request's attempts each waited behind the outbox's
                    // claims, and it was answered after ~25-30 s, not ~15 s). It hears the same; its retries wait the rest.
                    if (e is SqliteException { SqliteErrorCode: 5 or 6 })
                        while (reader.TryRead(out var queued)) queued.Fail(e);
                    statements?.Dispose();
                    statements = null;
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
        finally
        {
            statements?.Dispose();
            connection?.Dispose();
            while (reader.TryRead(out var left)) left.Fail(new ObjectDisposedException(nameof(Database)));
            _writerStopped.TrySetResult();
        }
    }

    /// <summary>Blocks the writer's thread until a unit of work is queued; false once the queue is closed.</summary>
    private bool WaitForWrites(ChannelReader<WriteItem> reader)
    {
        var waiting = reader.WaitToReadAsync(_stopping.Token);
        return waiting.IsCompletedSuccessfully ? waiting.Result : waiting.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Copies committed WAL frames into the database file beside the writer (a passive checkpoint never
    /// blocks the writer or readers), so the writer's commits no longer carry that I/O. Other instances on
    /// the same file run their own; SQLite lets one checkpoint at a time proceed and the others skip.
    /// </summary>
    private void CheckpointLoop()
    {
        SqliteConnection? connection = null;
        try
        {
            while (true)
            {
                _checkpointDue.Wait(_stopping.Token);
                try
                {
                    connection ??= (SqliteConnection)OpenAsync(forWriting: false, _stopping.Token).GetAwaiter().GetResult();
                    using (var command = connection.CreateCommand())
                    {
                        // A connection learns that the database is in WAL mode only by reading it; until then a
                        // checkpoint is a silent no-op (it reports -1 frames).
                        command.CommandText = "SELECT 1 FROM sqlite_schema LIMIT 1";
                        command.ExecuteScalar();
                        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                        lock (_copying)
                        {
                            var commits = Interlocked.Read(ref _commits);
                            var restarted = Interlocked.Read(ref _commitsAtRestart);
                            using var result = command.ExecuteReader(); // busy, frames in the log, frames copied
                            if (result.Read())
                            {
                                if (RestartDue(result.GetInt64(1), commits, restarted, RestartLogAtFrames)) _logTooLong = true;
                                // Busy: another instance's checkpoint was running, and this pass copied nothing.
                                if (result.GetInt64(0) == 0) Interlocked.Exchange(ref _copiedThroughCommits, commits);
                            }
                        }
                    }
                    // Let commits gather: one checkpoint (two fsyncs) per ~50 ms instead of one per commit.
                    WaitHandle.WaitAny([_stopping.Token.WaitHandle, _checkpointSoon], CheckpointPause);
                }
                catch (Exception)
                {
                    // An unhandled exception on this thread would end the process, also while stopping (the files
                    // may be going away); the writer's own auto-checkpoint still bounds the log meanwhile. Start
                    // afresh after a pause.
                    if (_stopping.IsCancellationRequested) return;
                    connection?.Dispose();
                    connection = null;
                    _stopping.Token.WaitHandle.WaitOne(CheckpointPause);
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            connection?.Dispose();
            _checkpointerStopped.TrySetResult();
        }
    }

    // Units of work finish synchronously on SQLite (Microsoft.Data.Sqlite does no asynchronous I/O); one that
    // awaits something else just holds the writer's own thread meanwhile.
    private void RunBatch(SqliteConnection connection, PreparedStatements statements, List<WriteItem> batch)
    {
        using var tx = connection.BeginTransaction();
        var session = new Session(connection, tx, Provider, _stopping.Token) { Cache = Cache, Statements = statements };
        bool single = batch.Count == 1;
        try
        {
            foreach (var item in batch)
            {
                if (!single) Finish(session.SaveAsync("unit"));
                try
                {
                    Finish(item.RunAsync(session with { CancellationToken = item.CancellationToken }));
                    if (!single) Finish(session.ReleaseAsync("unit"));
                }
                catch (Exception e)
                {
                    if (single) { tx.Rollback(); item.Fail(e); return; }
                    Finish(session.RollbackToAsync("unit"));
                    Finish(session.ReleaseAsync("unit"));
                    item.Fail(e);
                }
            }
            tx.Commit();
            Interlocked.Increment(ref _commits);
        }
        finally
        {
            // Before anyone hears of the commit: what it changed is read afresh from now on.
            Cache.Settle();
        }
        if (_checkpointDue.CurrentCount == 0) _checkpointDue.Release();
        foreach (var item in batch) item.Complete();
        if (_logTooLong) RestartLog(connection);
    }

    /// <summary>
    /// Whether a pass that found <paramref name="framesInLog"/> frames in the log, begun after <paramref name="commits"/>
    /// commits, asks the writer for a restart. Not until a commit after the last restart (at
    /// <paramref name="commitsAtRestart"/>): only that commit starts the log over, and before it a pass still finds the
    /// old, long log (asking again then made every restart a pair, the second one copying and flushing for nothing).
    /// </summary>
    internal static bool RestartDue(long framesInLog, long commits, long commitsAtRestart, int restartAt) =>
        framesInLog >= restartAt && commits > commitsAtRestart;

    /// <summary>
    /// Whether a restart due after <paramref name="commits"/> commits waits for the checkpointer, which has copied the log
    /// as it stood after <paramref name="copiedThroughCommits"/>: while more than two batches are left to copy, the restart
    /// would copy them inside the serial section. Not for more than <see cref="RestartPatience"/> batches since it was first
    /// deferred (at <paramref name="deferredAt"/>): a checkpointer slower than three batches (a busy machine), or refused
    /// by the writer's own auto-checkpoint once the log is twice too long, would otherwise defer it for ever, and the log
    /// grew to 68 MB in a test (thirteenth session).
    /// </summary>
    internal static bool RestartWaitsForCopies(long commits, long copiedThroughCommits, long deferredAt) =>
        commits - copiedThroughCommits > 2 && commits - deferredAt < RestartPatience;

    private const int RestartPatience = 8;

    /// <summary>The log's lengths for this instance: the file is cut back to RestartLogAtFrames, and the writer's own
    /// auto-checkpoint (the backstop) waits for twice that.</summary>
    private string LogPragmas => $"PRAGMA journal_size_limit={RestartLogAtFrames * (long)PageSize}; PRAGMA wal_autocheckpoint={2 * RestartLogAtFrames};";

    /// <summary>
    /// Copies the whole log and waits (briefly) for the readers still inside it, so the next commit starts the
    /// log over (and cuts the file back). New readers are not held up; the writer is, for what the checkpointer has
    /// not copied yet, its flush and the wait, which is why this runs only once the log is long, and only once the
    /// checkpointer has copied all but the last two batches (if not, it is woken and the restart waits for a later
    /// batch, up to RestartPatience batches: RestartWaitsForCopies). While the checkpointer is copying, the restart
    /// waits for the writer's next batch too: SQLite would refuse it at once (one checkpoint at a time), and waiting for
    /// that pass held the writer for two copies and flushes instead of one.
    /// </summary>
    private void RestartLog(SqliteConnection connection)
    {
        var commits = Interlocked.Read(ref _commits);
        if (_restartDeferredAt < 0) _restartDeferredAt = commits;
        if (RestartWaitsForCopies(commits, Interlocked.Read(ref _copiedThroughCommits), _restartDeferredAt))
        {
            _checkpointSoon.Set();
            return;
        }
        using var command = connection.CreateCommand();
        if (!_copying.TryEnter()) return;
        _logTooLong = false;
        _restartDeferredAt = -1;
        try
        {
            // Readers or another instance's writer that outlast the wait make the pragma report busy (as a row, not an
            // error) after copying what it could; the checkpointer's next pass asks again.
            WaitBrieflyForReaders(connection);
            command.CommandText = "PRAGMA wal_checkpoint(RESTART)"; // busy, frames in the log, frames copied
            if (Convert.ToInt64(command.ExecuteScalar()) == 0) Interlocked.Exchange(ref _commitsAtRestart, commits);
        }
        catch (SqliteException) { } // as busy: the checkpointer asks again
        finally
        {
            _copying.Exit();
            command.CommandText = WaitForLocks;
            command.ExecuteNonQuery();
        }
    }

    // SQLite's own wait sleeps 1, 2, 5, 10, 15 ms… between tries: a reader held up for a few milliseconds made a restart
    // wait 18 or 33 ms (docs/benchmarks.md, twelfth session). This one yields the core a few times, then tries every
    // millisecond, for at most 250 ms; busy_timeout puts SQLite's back afterwards.
    private static readonly TimeSpan ReaderWait = TimeSpan.FromMilliseconds(250);
    [ThreadStatic] private static long t_waitUntil;

    private static unsafe void WaitBrieflyForReaders(SqliteConnection connection)
    {
        if (SqliteLibrary.BusyHandler is not null && connection.Handle is { } handle)
        {
            t_waitUntil = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(ReaderWait.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            SqliteLibrary.BusyHandler(handle.DangerousGetHandle(), &TryAgain, 0);
            return;
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout={(int)ReaderWait.TotalMilliseconds}";
        command.ExecuteNonQuery();
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly]
    private static int TryAgain(nint context, int tries)
    {
        if (System.Diagnostics.Stopwatch.GetTimestamp() > t_waitUntil) return 0;
        Thread.Sleep(tries < 20 ? 0 : 1);
        return 1;
    }

    private static void Finish(Task task) => task.GetAwaiter().GetResult();

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_readers is not null)
            while (_readers.TryTake(out var reader)) reader.Dispose();
        if (_writes is null) return;
        _writes.Writer.TryComplete();
        try { await _writerStopped.Task.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (TimeoutException) { }
        // The writer has stopped (or is stuck): stop it for good and the checkpointer with it.
        await _stopping.CancelAsync();
        try
        {
            await _checkpointerStopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
            _checkpointSoon.Dispose();
        }
        catch (TimeoutException) { }
        _stopping.Dispose();
    }

    // A read's transaction on a kept SQLite reader, as SQL prepared with its statements (a Microsoft.Data.Sqlite
    // transaction object would prepare BEGIN and COMMIT anew each time). Only ever run on SQLite; the T-SQL is what it
    // would be there.
    private static readonly DialectSql BeginRead = new("BEGIN", "BEGIN TRANSACTION");
    private static readonly DialectSql EndRead = DialectSql.Both("COMMIT");
    private static readonly DialectSql AbandonRead = DialectSql.Both("ROLLBACK");

    /// <summary>
    /// A reader connection kept open between reads, with the statements it has prepared. One transaction per read
    /// collapsed under load/idle cycles in the third session, while every question that found the week's ranks expired
    /// recomputed them inside its read; since they are recomputed one at a time (on a reader of their own),
    /// <c>bench/run --cycles 6</c> shows no collapse (docs/benchmarks.md, seventh session).
    /// </summary>
    private sealed class KeptReader(SqliteConnection connection) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;
        public PreparedStatements Statements { get; } = new(connection);

        public void Dispose()
        {
            // A read that failed left its transaction open, and the connection pool would hand the connection out so.
            if (Connection.Handle is { } handle && SQLitePCL.raw.sqlite3_get_autocommit(handle) == 0)
            {
                try { Statements.Execute(AbandonRead, null, null); }
                catch (SqliteException) { } // refused only by a broken connection
            }
            Statements.Dispose();
            Connection.Dispose();
        }
    }

    private abstract class WriteItem(CancellationToken ct)
    {
        public CancellationToken CancellationToken { get; } = ct;
        public abstract Task RunAsync(Session session);
        public abstract void Complete();
        public abstract void Fail(Exception e);
        public abstract void Cancel();
    }

    private sealed class WriteItem<T>(Func<Session, Task<T>> work, CancellationToken ct) : WriteItem(ct)
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private bool _failed;
        public Task<T> Result => _done.Task;
        public override async Task RunAsync(Session session) => _result = await work(session);
        public override void Complete() { if (!_failed) _done.TrySetResult(_result!); }
        public override void Fail(Exception e) { _failed = true; _done.TrySetException(e); }
        public override void Cancel() => _done.TrySetCanceled(CancellationToken);
    }
}

/// <summary>Which database errors are worth retrying the whole unit of work for.</summary>
public static class TransientFaults
{
    // SQL Server: deadlock victim, lock timeout, failover / resource limits, connection drops.
    private static readonly HashSet<int> SqlServerNumbers = [1205, 1222, 40197, 40501, 40613, 49918, 49919, 49920, 4060, 4221, 10928, 10929, 233, 64, -2];

    public static bool IsTransient(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        SqlException s => SqlServerNumbers.Contains(s.Number),
        _ => false,
    };

    /// <summary>What a caller is told to wait (Retry-After) before trying an unavailable database again.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>The database fault behind <paramref name="e"/> (looking through wrapping exceptions) when it means the database cannot be used now.</summary>
    public static DbException? UnavailableIn(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DbException db) return IsUnavailable(db) ? db : null;
        return null;
    }

    /// <summary>SQLite's disk-full / I/O errors and SQL Server's log-full: the write cannot happen now, try later.</summary>
    public static bool IsUnavailable(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode is 5 or 6 or 10 or 13 or 14, // BUSY, LOCKED, IOERR, FULL, CANTOPEN
        SqlException s => s.Number is 9002 or 1105 || SqlServerNumbers.Contains(s.Number),
        _ => false,
    };

    public static bool IsUniqueViolation(DbException e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        SqlException s => s.Number is 2601 or 2627,
        _ => false,
    };
}
