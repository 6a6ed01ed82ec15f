using System.Data.Common;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Service.Features;

/// <summary>
/// <c>Idempotency-Key</c> on every staff POST, PUT, PATCH and DELETE: the first outcome (status, content type, body, Location, ETag) is stored and
/// replayed for the same key; the same key with a different request is 422; a retry while the first is still running
/// is 409. Keys are scoped per staff member and route. 5xx outcomes are not stored, so a failed request can be retried; nor
/// are a PUT's, PATCH's or DELETE's 409 and 412, refusals that depend on the data, which may be put right before the retry.
/// <para>
/// A first request still unfinished after <see cref="Abandoned"/> (its process died) may run again only if none of its
/// writes committed: its first write marks the key in the same transaction (<see cref="IdempotencyClaim"/>). If one
/// did, the retry gets 409 <c>idempotency-outcome-unknown</c>: the effect stands, its answer was lost.
/// </para>
/// <para>
/// Stored outcomes can carry secrets shown once (tokens, enrolment codes), so the key is kept only as a hash and the
/// outcome is sealed with AES-GCM under a key derived from the Idempotency-Key itself and, with an app password, from a
/// key derived from it (<see cref="AppSecret"/>): the database alone cannot read it, whatever key the client chose.
/// </para>
/// </summary>
public sealed class Idempotency(RequestDelegate next, Database db, TimeProvider time, ILogger<Idempotency> log, AppSecret secret)
{
    // Any 1–200 visible characters are taken as a key, and the key is kept as its plain hash: a short or numbered one is
    // found by trying guesses against it, and with it the seal of an answer that shows an enrolment code or a staff token
    // once. The app password, which no copy of the database holds, is what keeps that seal shut. The current password's
    // key seals; the previous one's (Bot:PreviousAppPassword, during a rotation) opens what was sealed before it.
    private readonly IReadOnlyList<byte[]> _outcomeKeys = secret.KeysFor("scoring idempotent outcomes sealed");

    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    /// <summary>A first request still unfinished after this long is taken as lost (its process died); the key may run again.</summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a key and its sealed answer are kept, from its first request: a client retries within minutes (a lost
    /// answer, a restart), at the latest days (a laptop back online), and the chat's activities are remembered as long
    /// (Bot:Outbox:ProcessedActivityRetention). The clockwork forgets older ones: the answer can hold phones and names.
    /// </summary>
    public static readonly TimeSpan KeepKeys = TimeSpan.FromDays(7);

    // Not async itself: every other request (each chat message) passes straight on, without a state machine, the
    // closures below or the empty user that reading HttpContext.User makes.
    public Task InvokeAsync(HttpContext context)
    {
        if (!Writes(context.Request.Method)) return next(context);
        if (context.Request.Headers.TryGetValue(Header, out var values))
            return context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } staffId ? RunOnceAsync(context, staffId, values.ToString()) : next(context);
        // Without a key: the user is read only where the route asks for one (a staff route, signed in before this runs).
        return context.GetEndpoint()?.Metadata.GetMetadata<KeyRequired>() is not null && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is not null
            ? KeyMissing().ExecuteAsync(context)
            : next(context);
    }

    /// <summary>
    /// A route that takes no request without a key: one outside the fixed contract whose effect a plain retry would
    /// repeat with nothing to tell the two apart (a report would be scored twice). Contract routes keep taking requests
    /// without one, and make a plain retry harmless in their own way.
    /// </summary>
    public sealed class KeyRequired
    {
        public static readonly KeyRequired Instance = new();
    }

    public const string KeyRequiredCode = "idempotency-key-required";

    private static IResult KeyMissing() => Problems.Of(StatusCodes.Status428PreconditionRequired, KeyRequiredCode,
        $"This request must carry an {Header} (a new UUID for each new request, the same one when sending it again): a retry without one would be done twice.",
        "此请求须带幂等键（Idempotency-Key）：每个新请求用一个新的 UUID，重发时用同一个；否则重试会被重复执行。");

    private async Task RunOnceAsync(HttpContext context, string staffId, string key)
    {
        // Sent twice (or as a list, "a, b"): one request has one key; read as "a,b" it would replay neither a's outcome nor b's.
        if (key.Contains(','))
        {
            await Problems.Invalid($"Send one {Header}: this request carries several (the header twice, or a list).",
                $"请只带一个幂等键（{Header}）：此请求带了多个（该请求头出现两次，或写成了列表）。", "bad-idempotency-key").ExecuteAsync(context);
            return;
        }
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            await Problems.Invalid($"{Header} must be 1–{MaxKeyLength} visible ASCII characters, such as a UUID.",
                $"幂等键（{Header}）须为1至{MaxKeyLength}个可见的 ASCII 字符，如 UUID。", "bad-idempotency-key").ExecuteAsync(context);
            return;
        }
        var ct = context.RequestAborted;
        var scope = ScopeOf(staffId, context.Request.Path, context.Request.Method);
        var keyHash = Sha256Hex(key);
        var requestHash = await RequestHashAsync(context.Request, ct);

        var claim = new IdempotencyClaim(scope, keyHash);
        for (int attempt = 0; ; attempt++)
        {
            var stored = await db.ReadAsync(s => s.GetIdempotencyAsync(scope, keyHash), ct);
            if (stored is not null)
            {
                if (stored.RequestHash != requestHash)
                {
                    await Problems.Of(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
                        $"This {Header} was used for a different request; use a new key for a new request.", "该幂等键已用于另一个请求，请为新请求使用新键。").ExecuteAsync(context);
                    return;
                }
                if (stored.CompletedAt is not null && stored.StatusCode is { } status)
                {
                    // An answer sealed under an app password changed since (and not kept as the previous one) cannot be
                    // opened: it took effect, its answer is lost.
                    if (Open(stored.ResponseBody ?? "", scope, key) is { } outcome) await ReplayAsync(context, (int)status, stored.ContentType, outcome);
                    else await OutcomeUnknown().ExecuteAsync(context);
                    return;
                }
                if (time.GetUtcNow() - stored.CreatedAt < Abandoned)
                {
                    await InFlightAsync(context);
                    return;
                }
                if (stored.TookEffect)
                {
                    // Its write committed but its answer was never recorded (the process died in between): running it
                    // again would do it twice, and there is no answer to replay.
                    await OutcomeUnknown().ExecuteAsync(context);
                    return;
                }
                await db.WriteAsync(s => s.ForgetIdempotencyAsync(scope, keyHash, stored.ClaimToken), ct);
            }
            try
            {
                await db.WriteAsync(s => s.InsertIdempotencyAsync(claim, requestHash, time.GetUtcNow()), ct);
                break;
            }
            catch (DbException e) when (TransientFaults.IsUniqueViolation(e))
            {
                if (attempt > 0)
                {
                    await InFlightAsync(context);
                    return;
                }
            }
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        IdempotencyClaim.Current = claim;
        try
        {
            await next(context);
        }
        catch (IdempotencyClaimLostException)
        {
            // This request ran past the abandonment window and a retry took the key over; it wrote nothing.
            context.Response.Body = original;
            context.Response.Clear();
            await InFlightAsync(context);
            return;
        }
        catch
        {
            context.Response.Body = original;
            IdempotencyClaim.Current = null; // before the finally: the release is a write, and under the claim it would mark it
            await ForgetAsync(claim);
            throw;
        }
        finally
        {
            IdempotencyClaim.Current = null;
        }
        context.Response.Body = original;

        var response = context.Response;
        if (response.StatusCode >= 500) await ForgetAsync(claim);
        // A PUT, PATCH or DELETE refused 409 or 412 was refused for the data (a shop limit below what someone holds, rules
        // read before another version), not for the request: kept, it would answer a retry sent once the data was put right.
        // It is forgotten even though its transaction marked the key (a refusal is an answer, committed like any): these
        // set a state, so running one again is what the retry asks. A POST's refusal stays kept, as before.
        else if (response.StatusCode is StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed && !HttpMethods.IsPost(context.Request.Method))
            await ForgetRefusedAsync(claim);
        else
        {
            var sealedOutcome = Seal(new StoredOutcome(response.Headers.Location.ToString() is { Length: > 0 } l ? l : null, buffer.ToArray(),
                response.Headers.ETag.ToString() is { Length: > 0 } etag ? etag : null), scope, key);
            try
            {
                await db.WriteAsync(s => s.CompleteIdempotencyAsync(claim, response.StatusCode, response.ContentType, sealedOutcome, time.GetUtcNow()), CancellationToken.None);
            }
            catch (DbException e)
            {
                // The effect happened and the key says so; the client still gets its answer, and a retry learns it took effect.
                log.LogWarning(e, "Could not record the outcome of an idempotent request");
            }
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    private static Task InFlightAsync(HttpContext context) =>
        Problems.Of(StatusCodes.Status409Conflict, "idempotency-key-in-flight",
            $"A request with this {Header} is still running; retry in a moment.", "相同幂等键的请求仍在处理中，请稍后重试。").ExecuteAsync(context);

    private static async Task ReplayAsync(HttpContext context, int status, string? contentType, StoredOutcome outcome)
    {
        context.Response.StatusCode = status;
        if (contentType is not null) context.Response.ContentType = contentType;
        if (outcome.Location is not null) context.Response.Headers.Location = outcome.Location;
        if (outcome.ETag is not null) context.Response.Headers.ETag = outcome.ETag;
        context.Response.Headers[ReplayedHeader] = "true";
        context.Response.ContentLength = outcome.Body.Length;
        await context.Response.Body.WriteAsync(outcome.Body, context.RequestAborted);
    }

    /// <summary>Releases the key of a PUT, PATCH or DELETE refused for the data, so that it runs again when retried.</summary>
    private async Task ForgetRefusedAsync(IdempotencyClaim claim)
    {
        try { await db.WriteAsync(s => s.ForgetRefusedIdempotencyAsync(claim.Scope, claim.Key, claim.Token), CancellationToken.None); }
        catch (DbException e) { log.LogWarning(e, "Could not release an idempotency key after a refusal"); }
    }

    /// <summary>Releases the key after a failure, so that the request can be sent again; a claim that took effect stays.</summary>
    private async Task ForgetAsync(IdempotencyClaim claim)
    {
        try { await db.WriteAsync(s => s.ForgetIdempotencyAsync(claim.Scope, claim.Key, claim.Token), CancellationToken.None); }
        catch (DbException e) { log.LogWarning(e, "Could not release an idempotency key after a failed request"); }
    }

    /// <summary>
    /// A write a key is kept for. A PUT too: rules A, then B, then A's retry must be answered as A was, not make A the
    /// newest again (a PUT is idempotent only while nothing else was written in between).
    /// </summary>
    internal static bool Writes(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>Per staff member, method and route; hashed so it fits the column whatever the path.</summary>
    internal static string ScopeOf(string staffId, PathString path, string method = "POST") =>
        Sha256Hex($"{staffId}\n{method.ToUpperInvariant()} {path.Value}");

    internal static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static async Task<string> RequestHashAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        // A precondition is part of the request: the same rules sent against another version read are another request.
        var query = request.Headers.IfMatch.Count == 0 ? request.QueryString.Value : $"{request.QueryString.Value}\nIf-Match: {request.Headers.IfMatch}";
        var hash = await RequestHashAsync(query, request.ContentType, request.Body, ct);
        request.Body.Position = 0;
        return hash;
    }

    /// <summary>
    /// The request's fingerprint: query, content type and body (the scope already holds the path). The body is
    /// hashed as it streams by: an import can be 50 MB. A multipart body is taken part by part (each part's headers
    /// and content): clients draw a new boundary for every request, their retries too.
    /// </summary>
    internal static async Task<string> RequestHashAsync(string? query, string? contentType, Stream body, CancellationToken ct = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (MultipartBoundary(contentType) is { } boundary && body.CanSeek)
        {
            try
            {
                hash.AppendData(Encoding.UTF8.GetBytes($"{query}\nmultipart\n"));
                var reader = new MultipartReader(boundary, body);
                while (await reader.ReadNextSectionAsync(ct) is { } section)
                {
                    foreach (var (name, value) in section.Headers ?? [])
                    {
                        hash.AppendData(Encoding.UTF8.GetBytes($"{name}: {value}\n"));
                    }
                    hash.AppendData("\n"u8);
                    await AppendAsync(hash, section.Body, ct);
                }
                return Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                // Not well-formed multipart: fingerprint the bytes as they are (the endpoint will refuse the body anyway).
                hash.GetHashAndReset();
                body.Position = 0;
            }
        }
        hash.AppendData(Encoding.UTF8.GetBytes($"{query}\n{contentType}\n"));
        await AppendAsync(hash, body, ct);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task AppendAsync(IncrementalHash hash, Stream body, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, read);
    }

    private static string? MultipartBoundary(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(media.Boundary).Value is { Length: > 0 } boundary
            ? boundary
            : null;

    // The ETag too: a replayed PUT of the rules names the version its first answer named (kept before: none, read as null).
    private sealed record StoredOutcome(string? Location, byte[] Body, string? ETag = null);

    private static ProblemHttpResult OutcomeUnknown() => Problems.Of(StatusCodes.Status409Conflict, "idempotency-outcome-unknown",
        $"The first request with this {Header} took effect, but its answer was lost. Look up the result instead of sending it again.",
        "使用该幂等键的第一个请求已经生效，但其答复丢失。请查询结果，不要重复发送。");

    private byte[] SealingKey(string scope, string key) => _outcomeKeys.Count == 0 ? PlainSealingKey(scope, key) : SealingKey(_outcomeKeys[0], scope, key);

    private static byte[] SealingKey(byte[] outcomeKey, string scope, string key) => HMACSHA256.HashData(outcomeKey, Encoding.UTF8.GetBytes($"{scope}\n{key}"));

    // Without an app password (Development, Testing), and answers sealed before it went into the seal: those are opened
    // with it till they are forgotten (KeepKeys, 7 days), so this fallback in Open can go a release after that.
    private static byte[] PlainSealingKey(string scope, string key) => SHA256.HashData(Encoding.UTF8.GetBytes($"scoring idempotent outcome\n{scope}\n{key}"));

    private string Seal(object outcome, string scope, string key)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(outcome);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(SealingKey(scope, key), tag.Length)) aes.Encrypt(nonce, plain, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    /// <summary>
    /// The stored answer, or null when it cannot be opened (sealed under an app password changed since and not kept as
    /// the previous one). Tried under the current password, then the previous one, then the plain key.
    /// </summary>
    private StoredOutcome? Open(string text, string scope, string key)
    {
        foreach (var outcomeKey in _outcomeKeys)
            if (OpenWith(text, SealingKey(outcomeKey, scope, key)) is { } outcome) return outcome;
        return OpenWith(text, PlainSealingKey(scope, key));
    }

    private static StoredOutcome? OpenWith(string text, byte[] sealingKey)
    {
        try
        {
            var bytes = Convert.FromBase64String(text);
            int n = AesGcm.NonceByteSizes.MaxSize, t = AesGcm.TagByteSizes.MaxSize;
            if (bytes.Length < n + t) return null;
            var plain = new byte[bytes.Length - n - t];
            using (var aes = new AesGcm(sealingKey, t)) aes.Decrypt(bytes.AsSpan(0, n), bytes.AsSpan(n + t), bytes.AsSpan(n, t), plain);
            return JsonSerializer.Deserialize<StoredOutcome>(plain)!;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}

public static class IdempotencyExtensions
{
    /// <summary>The route refuses a POST without an <c>Idempotency-Key</c> (428 <c>idempotency-key-required</c>).</summary>
    public static RouteHandlerBuilder RequireIdempotencyKey(this RouteHandlerBuilder route) =>
        route.WithMetadata(Idempotency.KeyRequired.Instance).ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>
    /// A write's answer: 201 with <paramref name="value"/>, or 200 with <c>Idempotent-Replayed: true</c> when the use case
    /// found this request to be one already done (a retry without a key, or whose key's answer was not kept) and answers the first.
    /// </summary>
    public static Results<Created<T>, Ok<T>, ProblemHttpResult> CreatedOrReplayed<T>(this HttpContext http, bool replayed, string? location, T value)
    {
        if (!replayed) return TypedResults.Created(location, value);
        http.Response.Headers[Idempotency.ReplayedHeader] = "true";
        return TypedResults.Ok(value);
    }

    /// <summary>After authentication (the key is scoped per staff member), before the endpoints.</summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app) => app.UseMiddleware<Idempotency>();
}
