using Scoring.Domain;

namespace Scoring.Application;

/// <summary>
/// Nobody decides on a record about themselves: a staff member who is a landlord or shop head of their street (one
/// phone, as the roster normalises it — village secretaries often let rooms) neither approves, rejects nor revokes the
/// subject's records, nor records or reverses the subject's redemptions, and their own report about the subject waits
/// for someone else's check. Another secretary of the community, the street's officers or an admin decide instead.
/// </summary>
public static class OwnRecords
{
    /// <summary>The refusal's code (403) on the API.</summary>
    public const string ConflictOfInterest = "conflict-of-interest";

    /// <summary>Whether <paramref name="staff"/> is <paramref name="subject"/>: the same phone within the street.</summary>
    public static bool IsOwn(StaffMember staff, Subject subject) =>
        staff.StreetId == subject.StreetId && Normalised(staff.Phone) is { } phone && phone == Normalised(subject.Phone);

    /// <summary>The refusal of a decision on record <paramref name="eventId"/> about <paramref name="staff"/>, naming who decides it instead.</summary>
    public static Failure Decision(StaffMember staff, string eventId) => Officer(staff)
        ? Refused($"Record {eventId} is about you: you cannot decide it. Another officer of the street or an admin decides it.",
            $"记录{eventId}是关于您本人的，不能由您核查，请由街道其他干部或管理员处理。")
        : Refused($"Record {eventId} is about you: you cannot decide it. A street officer (or another secretary of your community) decides it.",
            $"记录{eventId}是关于您本人的，不能由您核查，请由街道干部（或本社区其他书记）处理。");

    /// <summary>The refusal of a redemption (recorded, or reversed when <paramref name="reversal"/>) of <paramref name="staff"/>'s own points.</summary>
    public static Failure Redemption(StaffMember staff, bool reversal = false)
    {
        var (en, zh) = reversal ? ("reverse a redemption of your own points", "撤销本人的兑换") : ("record a redemption of your own points", "为本人登记兑换");
        return Officer(staff)
            ? Refused($"You cannot {en}: another officer of the street or an admin does it.", $"不能{zh}，请由街道其他干部或管理员办理。")
            : Refused($"You cannot {en}: a street officer (or another secretary of your community) does it.", $"不能{zh}，请由街道干部（或本社区其他书记）办理。");
    }

    private static bool Officer(StaffMember staff) => staff.Role is StaffRole.Officer or StaffRole.Admin;

    private static Failure Refused(string en, string zh) => new(FailureKind.Forbidden, ConflictOfInterest, en, zh);

    /// <summary>A phone as the roster keeps it; one it would not take is nobody's (null).</summary>
    private static string? Normalised(string? phone) => phone is null ? null : RosterText.Phone(phone) is { Succeeded: true, Value: { } p } ? p : null;
}
