using Scoring.Domain;
using Scoring.Domain.Ledger;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// What people should hear about, written in the same transaction as the effect (the chat layer turns
/// these into outbox messages). The default does nothing, so the use cases work without a chat front end.
/// </summary>
public interface INotices
{
    /// <summary>A new item landed in a community's verification queue.</summary>
    Task NewPendingAsync(Session s, ScoreEvent e, Subject subject) => Task.CompletedTask;

    /// <summary>An event counted as soon as it was recorded (a secretary's or officer's own report in their scope): no decision follows it.</summary>
    Task RecordedAsync(Session s, ScoreEvent e, Subject subject) => Task.CompletedTask;

    /// <summary>
    /// A secretary decided on an event (approved, rejected or revoked); <paramref name="rewardsOverdrawn"/> is how far a
    /// revoked addition left the reward account overdrawn (its points already redeemed), 0 when it did not;
    /// <paramref name="deciderId"/> who decided (their answer is their word: they are not told of it again).
    /// </summary>
    Task DecidedAsync(Session s, ScoreEvent e, Subject subject, EventStatus to, string? reason, int rewardsOverdrawn = 0, string? deciderId = null) => Task.CompletedTask;

    /// <summary>
    /// An event's move to <paramref name="to"/> took points and left its subject's balance of the cycle the event counts
    /// in at <paramref name="balance"/>, at or below 0: the subject's community secretaries are alerted. That cycle is the
    /// current one, or <paramref name="closed"/> (its week, cycle and balance) when it is over: a January decision about a
    /// report of late December sinks December's balance, which a week's list of that cycle still ranks.
    /// </summary>
    Task BalanceAlertAsync(Session s, ScoreEvent e, Subject subject, EventStatus to, int balance, EarlierCycle? closed) => Task.CompletedTask;

    /// <summary>
    /// A change by <paramref name="actorId"/> — an approval, a revocation, or a report counted as it was recorded — changed
    /// <paramref name="weeks"/>, already published, of <paramref name="subject"/>'s kind
    /// (<see cref="Decision.PublishedWeeksAffected"/>): their public lists stand as they were ranked, so the street's
    /// officers, who publish corrections, are told (not whoever made the change).
    /// </summary>
    Task PublishedWeeksChangedAsync(Session s, ScoreEvent e, Subject subject, IReadOnlyList<string> weeks, string actorId) => Task.CompletedTask;

    /// <summary>
    /// Pending items of a street were escalated to its officers (one call per street per escalation run, with the items
    /// this run escalated), in the transaction that escalates them.
    /// </summary>
    Task EscalatedAsync(Session s, Street street, IReadOnlyList<string> eventIds) => Task.CompletedTask;

    /// <summary>
    /// A weekly list was published; the subjects named on it may be told, and on a correction those named on the revision it
    /// <paramref name="replaced"/> (null for a first publication) whom it no longer names.
    /// </summary>
    Task PublishedAsync(Session s, PublishedList list, PublishedList? replaced) => Task.CompletedTask;
}

public sealed class NoNotices : INotices;
