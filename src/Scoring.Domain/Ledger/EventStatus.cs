namespace Scoring.Domain.Ledger;

/// <summary>pending → approved | rejected; approved → revoked. Nothing else, ever.</summary>
public enum EventStatus { Pending, Approved, Rejected, Revoked }

public static class EventStatuses
{
    public static string ToWire(this EventStatus s) => s.ToString().ToLowerInvariant();

    public static EventStatus Parse(string text) => Enum.Parse<EventStatus>(text, ignoreCase: true);

    public static bool CanMove(EventStatus from, EventStatus to) => (from, to) switch
    {
        (EventStatus.Pending, EventStatus.Approved) => true,
        (EventStatus.Pending, EventStatus.Rejected) => true,
        (EventStatus.Approved, EventStatus.Revoked) => true,
        _ => false,
    };

    /// <summary>Rejecting and revoking must say why: the subject deserves to know.</summary>
    public static bool NeedsReason(EventStatus to) => to is EventStatus.Rejected or EventStatus.Revoked;

    public static string NameZh(this EventStatus s) => s switch
    {
        EventStatus.Pending => "待核查",
        EventStatus.Approved => "已通过",
        EventStatus.Rejected => "已驳回",
        _ => "已撤销",
    };
}

/// <summary>
/// What an audited transition of an event records: a change of status, or the escalation of a pending item to the
/// street's officers (the status stays pending; DESIGN: every transition of the verification loop is audited).
/// </summary>
public enum TransitionKind { Status, Escalation }
