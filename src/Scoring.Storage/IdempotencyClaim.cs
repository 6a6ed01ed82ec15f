namespace Scoring.Storage;

/// <summary>
/// The <c>Idempotency-Key</c> a request holds while it runs. While it is <see cref="Current"/>, the request's first
/// write also marks the key as having taken effect, in the same transaction, and only if the claim is still this
/// request's: a retry after the first request's process died runs the effect again only when nothing of it was
/// committed, and a first request that outlived its claim cannot commit after another took over.
/// </summary>
public sealed class IdempotencyClaim(string scope, string key)
{
    private static readonly AsyncLocal<IdempotencyClaim?> current = new();

    /// <summary>The claim of the request running on this async flow; null for everything else (every chat message).</summary>
    public static IdempotencyClaim? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public string Scope { get; } = scope;
    public string Key { get; } = key;
    public string Token { get; } = Guid.NewGuid().ToString("N");

    /// <summary>A write of this request has committed (with the mark).</summary>
    public bool TookEffect { get; private set; }

    internal async Task<T> WriteFirstAsync<T>(Database db, Func<Session, Task<T>> work, CancellationToken ct)
    {
        var result = await db.WriteUnitAsync(async s =>
        {
            if (await s.ExecuteAsync(RecordStore.MarkIdempotencyEffectSql, new { scope = Scope, key = Key, token = Token }) == 0)
            {
                throw new IdempotencyClaimLostException();
            }
            return await work(s);
        }, ct);
        TookEffect = true;
        return result;
    }
}

/// <summary>The request's <see cref="IdempotencyClaim"/> was taken over by a retry (it ran past the abandonment window); its write was not committed.</summary>
public sealed class IdempotencyClaimLostException() : InvalidOperationException("The Idempotency-Key was taken over by a later request; nothing was written.");
