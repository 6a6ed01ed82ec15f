using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Scoring.Bot.Connector;

public enum DeliveryOutcome
{
    Sent,
    /// <summary>Worth trying again later (throttled, server trouble, timeout, unreachable).</summary>
    Retry,
    /// <summary>The channel refused the activity itself; trying again will not help.</summary>
    Rejected,
}

/// <param name="RetryAfter">How long the channel asked us to wait, when it said.</param>
/// <param name="Problem">Why it failed, without tokens or message contents.</param>
/// <param name="ErrorCode">The code of the connector's ErrorResponse (ConversationNotFound…), when it gave one.</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, int? StatusCode = null, TimeSpan? RetryAfter = null, string? Problem = null, string? ErrorCode = null)
{
    public static DeliveryResult Sent(int statusCode) => new(DeliveryOutcome.Sent, statusCode);

    /// <summary>
    /// The channel refused because nobody is there to receive: the user blocked the bot, removed it (it is no longer in the
    /// conversation's roster) or the conversation is gone. Other refusals are about the message.
    /// </summary>
    public bool RecipientGone => this is { Outcome: DeliveryOutcome.Rejected, StatusCode: 403 or 404 }
        && ErrorCode is "ConversationBlockedByUser" or "BotNotInConversationRoster" or "ConversationNotFound";
}

/// <summary>
/// Posts activities to a channel's connector (<c>{serviceUrl}/v3/conversations/…</c>). The HTTP
/// pipeline under it retries briefly; this class only turns the final answer into a verdict.
/// </summary>
public sealed class ConnectorClient(HttpClient http, IOutboundTokenSource tokens, TimeProvider time, IHostEnvironment environment, ILogger<ConnectorClient> logger)
{
    private readonly bool loopbackHttpAllowed = Auth.BotOptionsValidation.IsRelaxedEnvironment(environment);

    public const string ResiliencePipelineName = "bot-connector";

    /// <summary>
    /// The reply-to-activity address when <paramref name="replyToId"/> is given, otherwise the
    /// send-to-conversation one; ids are escaped since real channels put ':' and '|' in them.
    /// </summary>
    public static Uri ActivitiesUri(string serviceUrl, string conversationId, string? replyToId)
    {
        var path = new StringBuilder(serviceUrl.TrimEnd('/'))
            .Append("/v3/conversations/").Append(Uri.EscapeDataString(conversationId)).Append("/activities");
        if (!string.IsNullOrEmpty(replyToId))
        {
            path.Append('/').Append(Uri.EscapeDataString(replyToId));
        }
        return new Uri(path.ToString(), UriKind.Absolute);
    }

    public async Task<DeliveryResult> SendAsync(string serviceUrl, string conversationId, string? replyToId, string activityJson, CancellationToken ct)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var service) || (service.Scheme != Uri.UriSchemeHttps && service.Scheme != Uri.UriSchemeHttp))
        {
            return new DeliveryResult(DeliveryOutcome.Rejected, Problem: "The serviceUrl is not an absolute http(s) URL.");
        }
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, ActivitiesUri(serviceUrl, conversationId, replyToId))
            {
                Content = new StringContent(activityJson, Encoding.UTF8, "application/json"),
            };
            if (await tokens.GetTokenAsync(ct) is { } token)
            {
                // Anyone on the path reads a token sent in clear: channels speak https; the Emulator and tests use loopback
                // http, in Development/Testing only (a reference kept from such a run must not give the token to a local port).
                if (service.Scheme != Uri.UriSchemeHttps && !(loopbackHttpAllowed && service.IsLoopback))
                {
                    return new DeliveryResult(DeliveryOutcome.Rejected, Problem: "The serviceUrl is plain http; the bot's token goes only over https (loopback http in Development/Testing).");
                }
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                // Any 2xx counts, with or without a ResourceResponse body (offline Direct Line sends none).
                return DeliveryResult.Sent(status);
            }
            var code = await ErrorCodeAsync(response, ct);
            var problem = $"HTTP {status} {response.ReasonPhrase}{(code is null ? "" : $" ({code})")}".Trim();
            return IsWorthRetrying(response.StatusCode)
                ? new DeliveryResult(DeliveryOutcome.Retry, status, RetryAfter(response, time), problem, code)
                : new DeliveryResult(DeliveryOutcome.Rejected, status, null, problem, code);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or OperationCanceledException or IOException)
        {
            logger.LogInformation("Connector send failed: {Failure}", e.GetType().Name);
            var problem = e is TimeoutRejectedException or OperationCanceledException
                ? "The connector did not answer in time."
                : $"The connector could not be reached ({(e as HttpRequestException)?.HttpRequestError.ToString() ?? e.GetType().Name}).";
            return new DeliveryResult(DeliveryOutcome.Retry, Problem: problem);
        }
        catch (Microsoft.Identity.Client.MsalException e)
        {
            // The credentials or the login service failed; the message itself is fine.
            logger.LogWarning("Could not get an outbound bot token: {ErrorCode}", e.ErrorCode);
            return new DeliveryResult(DeliveryOutcome.Retry, Problem: $"No outbound token ({e.ErrorCode}).");
        }
    }

    /// <summary>Throttling, precondition races and server trouble pass; other refusals are about the activity.</summary>
    public static bool IsWorthRetrying(HttpStatusCode status) => status switch
    {
        HttpStatusCode.RequestTimeout or HttpStatusCode.PreconditionFailed or HttpStatusCode.TooManyRequests
            or HttpStatusCode.Unauthorized => true,
        _ => (int)status >= 500,
    };

    /// <summary>Retry-After as seconds or as a date, read against our clock.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    // The connector's ErrorResponse names a code (e.g. ConversationNotFound); its message may quote user data, so only the code is kept.
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            if (body.Length is 0 or > 64 * 1024)
            {
                return null;
            }
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String
                ? Shorten(code.GetString()!)
                : null;
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100];
}
