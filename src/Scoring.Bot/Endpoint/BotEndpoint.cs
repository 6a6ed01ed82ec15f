using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scoring.Bot.Auth;
using Scoring.Bot.Conversations;
using Scoring.Bot.Outbox;
using Scoring.Bot.Protocol;
using Scoring.Bot.Turns;
using Scoring.Storage;

namespace Scoring.Bot.Endpoint;

/// <summary>
/// <c>POST /api/messages</c>: the door channels deliver activities to. It refuses what is too
/// big, malformed, incomplete or unauthenticated with a 4xx; hands messages, card submits,
/// conversation updates and edits or deletions of messages to the <see cref="IActivityHandler"/>; and never answers 500 for input.
/// </summary>
public static class BotEndpoint
{
    public const string Route = "/api/messages";

    // What the bot answers at most, and so what its tables hold in each dialect (a test reads SQL Server's columns).
    public const int MaxChannelIdLength = 64;
    public const int MaxIdLength = 1024;
    public const int MaxServiceUrlLength = 2048;

    public static RouteHandlerBuilder MapBotEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Route, (Delegate)HandleAsync)
            .WithName("BotMessages")
            .WithTags("Bot")
            .WithSummary("Bot Framework activities from chat channels")
            .Accepts<Activity>("application/json");

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<BotOptions>>().Value;
        var ct = context.RequestAborted;

        var (body, refusal) = await ReadBodyAsync(context.Request, options.MaxActivityBytes, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        Activity? activity;
        string authorization;
        using (body)
        {
            // Cheap refusals first, so an anonymous caller learns nothing about the body's parsing.
            authorization = context.Request.Headers.Authorization.ToString();
            var unauthenticated = Precheck(options, authorization);
            if (unauthenticated is not null)
            {
                return Unauthorized(context, unauthenticated);
            }

            try
            {
                // The activity keeps nothing of the buffer (a JsonElement value is a copy).
                activity = ActivityJson.Parse(body.Json);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException or OverflowException)
            {
                return Malformed();
            }
        }
        if (activity is null)
        {
            return Malformed();
        }
        if (Incomplete(activity) is { } missing)
        {
            return Problem(StatusCodes.Status400BadRequest, "activity-incomplete", "Incomplete activity", missing);
        }

        var authentication = await services.GetRequiredService<ChannelAuthentication>().AuthenticateAsync(authorization, activity, ct);
        switch (authentication.Verdict)
        {
            case AuthenticationVerdict.Unauthorized:
                return Unauthorized(context, authentication);
            case AuthenticationVerdict.Forbidden:
                return Problem(StatusCodes.Status403Forbidden, authentication.Code!, "Forbidden", authentication.Problem!);
            case AuthenticationVerdict.Unavailable:
                return Problem(StatusCodes.Status503ServiceUnavailable, authentication.Code!, "Cannot check the token now", authentication.Problem!);
        }

        // The bot removed from someone's own chat: nothing to answer, and their notices have nowhere to go. From a group or
        // a team it says nothing of their own chat with the bot, where their notices go.
        if (activity.SaysBotLeft)
        {
            if (!activity.InSharedConversation) await MarkUnreachableAsync(services, activity, ct);
            return Results.Ok();
        }
        // A turn keeps its sender's conversation reference current in its own transaction; other activities here.
        if (Is(activity.Type, ActivityTypes.Message) || Is(activity.Type, ActivityTypes.ConversationUpdate))
        {
            return await DispatchAsync(context, services, activity, ct);
        }
        // An edit or deletion of a message is the handler's to answer (of one it acted on, that the record stands).
        if (Is(activity.Type, ActivityTypes.MessageUpdate) || Is(activity.Type, ActivityTypes.MessageDelete))
        {
            return await DispatchAsync(context, services, activity, ct, refreshIfSilent: true);
        }
        // The app added again (its removal is handled above): the reference is written at once, whatever the tracker wrote
        // before, which clears the mark the removal left.
        if (Is(activity.Type, ActivityTypes.InstallationUpdate))
        {
            services.GetRequiredService<ConversationReferenceTracker>().Forget(activity.ChannelId!, activity.From!.Id!);
        }
        await RefreshReferenceAsync(services, activity, ct);
        return Is(activity.Type, ActivityTypes.Invoke)
            ? Problem(StatusCodes.Status501NotImplemented, "invoke-not-supported", "Unknown invoke", "This bot handles no invoke activities; cards use Action.Submit.")
            // typing, event, messageReaction, installationUpdate… are ignored (A2014).
            : Results.Ok();
    }

    /// <param name="refreshIfSilent">The activity is no turn of its own unless answered: unanswered, its reference is refreshed here.</param>
    private static async Task<IResult> DispatchAsync(HttpContext context, IServiceProvider services, Activity activity, CancellationToken ct,
        bool refreshIfSilent = false)
    {
        var expectReplies = activity.ExpectsReplies;
        var isUpdate = Is(activity.Type, ActivityTypes.ConversationUpdate);
        TurnOutcome outcome;
        try
        {
            // A re-delivered activity is recognised by the handler's turn recorder, inside the writer.
            outcome = await services.GetRequiredService<IActivityHandler>().HandleAsync(activity, expectReplies, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception e) when (TransientFaults.UnavailableIn(e) is not null)
        {
            // Not the input's fault and nothing was done: say so, and the channel or the user can send it again.
            Log(services).LogWarning("The database is unavailable for a {ActivityType} activity: {ExceptionType}", activity.Type, e.GetType().FullName);
            context.Response.Headers.RetryAfter = TransientFaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture); // channels and clients pace their re-send by it
            return Problem(StatusCodes.Status503ServiceUnavailable, "database-unavailable", "Try again shortly", "The service cannot reach its database right now.");
        }
        catch (Exception e)
        {
            // Type and stack only: exception messages can quote what the user typed.
            Log(services).LogError("The activity handler failed on a {ActivityType} activity from channel {ChannelId}: {ExceptionType}{NewLine}{StackTrace}",
                activity.Type, activity.ChannelId, e.GetType().FullName, Environment.NewLine, e.StackTrace);
            // The failed turn took its conversation reference down with it.
            await RefreshReferenceAsync(services, activity, CancellationToken.None);
            if (isUpdate)
            {
                // Clients cannot start a conversation whose update failed; there is no one to apologise to yet.
                return Results.Ok();
            }
            return await ApologiseAsync(services, activity, expectReplies);
        }

        if (refreshIfSilent && outcome.Replies.Count == 0)
        {
            await RefreshReferenceAsync(services, activity, ct);
        }
        if (expectReplies)
        {
            return Replies(outcome);
        }
        services.GetRequiredService<OutboxSignal>().Nudge();
        return Results.Ok();
    }

    private static async Task<IResult> ApologiseAsync(IServiceProvider services, Activity activity, bool expectReplies)
    {
        var apology = Reply.To(activity, !Phrases.IsChinese(activity.Locale)
            ? "Sorry, something went wrong on our side. Please try again in a moment, or send \"help\"."
            : "抱歉，处理你的消息时出了问题。请稍后再试，或发送“帮助”。");
        if (expectReplies)
        {
            return Replies(TurnOutcome.Of(apology));
        }
        try
        {
            var recorder = services.GetRequiredService<TurnRecorder>();
            await services.GetRequiredService<Database>().WriteAsync(session => recorder.EnqueueAsync(session, [apology]), CancellationToken.None);
            services.GetRequiredService<OutboxSignal>().Nudge();
        }
        catch (Exception e)
        {
            Log(services).LogError("Could not enqueue the apology either: {ExceptionType}", e.GetType().FullName);
        }
        return Results.Ok();
    }

    /// <summary>Marks the sender's reference unreachable (notices skip it and are not counted as told) until they write again.</summary>
    private static async Task MarkUnreachableAsync(IServiceProvider services, Activity activity, CancellationToken ct)
    {
        try
        {
            await services.GetRequiredService<ConversationReferenceTracker>().UnreachableAsync(activity.ChannelId!, activity.From!.Id!, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log(services).LogWarning("Could not mark a conversation reference unreachable: {ExceptionType}", e.GetType().FullName);
        }
    }

    private static async Task RefreshReferenceAsync(IServiceProvider services, Activity activity, CancellationToken ct)
    {
        try
        {
            await services.GetRequiredService<ConversationReferenceTracker>().RefreshAsync(activity, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Answering the user matters more than remembering where to reach them.
            Log(services).LogWarning("Could not refresh a conversation reference: {ExceptionType}", e.GetType().FullName);
        }
    }

    // Only failures are logged: the logger is looked up then, not on every request.
    private static ILogger Log(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotEndpoint).FullName!);

    // Written in one piece from the replies' JSON (recorded by the turn, or made here): cheaper than serialising
    // them again asynchronously into the response.
    private static IResult Replies(TurnOutcome outcome) =>
        outcome.RepliesJson is { } json ? new RecordedReplies(json) : new JsonBody(ActivityJson.ExpectedReplies(outcome.Replies));

    /// <summary>
    /// A UTF-8 JSON body written as it is. <c>Results.Bytes</c> serves a file's bytes: it looks for range and
    /// conditional headers on every answer, which a bot's replies never honour.
    /// </summary>
    private sealed class JsonBody(byte[] utf8) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = utf8.Length;
            // No cancellation token: Kestrel drops writes to a connection that went away, so nothing throws over it.
            return context.Response.Body.WriteAsync(utf8, 0, utf8.Length);
        }
    }

    /// <summary>Replies as the turn recorded them, encoded straight into the response's buffer (no array of their own).</summary>
    private sealed class RecordedReplies(byte[] activitiesJson) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            var length = ActivityJson.ExpectedRepliesLength(activitiesJson);
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = length;
            var body = context.Response.BodyWriter;
            ActivityJson.WriteExpectedReplies(activitiesJson, body.GetSpan(length)[..length]);
            body.Advance(length);
            return body.FlushAsync().AsTask();
        }
    }

    private static AuthenticationResult? Precheck(BotOptions options, string authorization)
    {
        if (!options.HasAppId)
        {
            return options.AllowUnauthenticated ? null : ChannelAuthentication.NotConfigured;
        }
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > "Bearer ".Length
            ? null
            : ChannelAuthentication.TokenRequired;
    }

    /// <summary>What the protocol requires a channel to send (offline Direct Line's omissions are all optional fields).</summary>
    private static string? Incomplete(Activity activity)
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(activity.Type)) missing.Add("type");
        if (string.IsNullOrWhiteSpace(activity.ChannelId)) missing.Add("channelId");
        if (string.IsNullOrWhiteSpace(activity.From?.Id)) missing.Add("from.id");
        if (string.IsNullOrWhiteSpace(activity.Conversation?.Id)) missing.Add("conversation.id");
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl)) missing.Add("serviceUrl");
        if (missing.Count > 0)
        {
            return $"Missing required field(s): {string.Join(", ", missing)}.";
        }
        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var service) || (service.Scheme != Uri.UriSchemeHttps && service.Scheme != Uri.UriSchemeHttp))
        {
            return "serviceUrl must be an absolute http(s) URL.";
        }
        if (activity.ServiceUrl!.Length > MaxServiceUrlLength || activity.ChannelId!.Length > MaxChannelIdLength
            || activity.From!.Id!.Length > MaxIdLength || activity.Conversation!.Id!.Length > MaxIdLength
            || activity.Id?.Length > MaxIdLength || activity.ReplyToId?.Length > MaxIdLength)
        {
            return $"Ids are limited to {MaxIdLength} characters, channelId to {MaxChannelIdLength}, serviceUrl to {MaxServiceUrlLength}.";
        }
        return null;
    }

    /// <summary>
    /// Reads the body into a buffer from the shared pool (a fresh, growing one per request was a quarter of all the bytes
    /// the service allocated under load); the caller gives it back once the activity is parsed.
    /// </summary>
    private static async Task<(PooledBody Body, IResult? Refusal)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return (default, TooLarge(limit));
        }
        // One byte past the limit is room enough to tell a body that is too large.
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, (int?)request.ContentLength ?? 4096) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(limit + 1, buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit + 1) - length), ct);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (default, TooLarge(limit));
                }
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException || (e is OperationCanceledException && ct.IsCancellationRequested))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (default, Problem(StatusCodes.Status400BadRequest, "body-unreadable", "Unreadable body", "The request body could not be read."));
        }
        return (new PooledBody(buffer, length), null);
    }

    /// <summary>A request body in a pooled buffer; <see cref="Dispose"/> gives the buffer back (a default one holds none).</summary>
    private readonly struct PooledBody(byte[]? buffer, int length) : IDisposable
    {
        /// <summary>The JSON, without the UTF-8 byte order mark some clients put first.</summary>
        public ReadOnlySpan<byte> Json
        {
            get
            {
                var body = buffer.AsSpan(0, length);
                return body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? body[3..] : body;
            }
        }

        public void Dispose()
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult TooLarge(int limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "activity-too-large", "Activity too large", $"Activities are limited to {limit / 1024} KB.");

    private static IResult Malformed() =>
        Problem(StatusCodes.Status400BadRequest, "activity-malformed", "Malformed activity", "The body is not a JSON activity object.");

    private static IResult Unauthorized(HttpContext context, AuthenticationResult refusal)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problem(StatusCodes.Status401Unauthorized, refusal.Code!, "Unauthorized", refusal.Problem!);
    }

    // Every refusal carries a stable code, as the API's problems do: clients branch on it, not on the wording.
    private static IResult Problem(int status, string code, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static bool Is(string? type, string expected) => string.Equals(type, expected, StringComparison.OrdinalIgnoreCase);
}
