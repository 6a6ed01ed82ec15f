using Scoring.Bot.Protocol;

namespace Scoring.Bot.Turns;

/// <summary>
/// Answers one inbound activity (a message, a card submit, a conversationUpdate, or an edit or deletion of a message) — the
/// conversation layer implements it.
/// </summary>
/// <remarks>
/// The contract, so a re-delivered activity changes nothing and gets the same answer: in ONE
/// database transaction the handler does its effect, records the activity with its replies and,
/// unless <c>expectReplies</c>, enqueues the replies into the outbox.
/// <see cref="TurnRecorder.RunOnceAsync"/> does exactly this around a function that does the
/// effect and returns the replies. The endpoint then nudges the outbox sender, or with
/// <c>expectReplies</c> puts <see cref="TurnOutcome.Replies"/> in the HTTP response. Exceptions
/// become an apology to the user and an error in the log (type and stack, never the message);
/// an unavailable database becomes a 503.
/// </remarks>
public interface IActivityHandler
{
    Task<TurnOutcome> HandleAsync(Activity activity, bool expectReplies, CancellationToken ct);
}

/// <summary>What a turn answered.</summary>
public sealed record TurnOutcome(IReadOnlyList<Activity> Replies)
{
    /// <summary>
    /// <see cref="Replies"/> as the JSON array (UTF-8) recorded with the activity, when the turn recorded it: the HTTP
    /// answer reuses it instead of serialising the same replies a second time.
    /// </summary>
    public byte[]? RepliesJson { get; init; }

    public static TurnOutcome Silent { get; } = new([]);

    public static TurnOutcome Of(params Activity[] replies) => new(replies);
}
