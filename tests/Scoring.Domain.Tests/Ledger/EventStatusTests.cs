using Scoring.Domain.Ledger;

namespace Scoring.Domain.Tests.Ledger;

public class EventStatusTests
{
    [Fact]
    public void Only_pending_to_approved_or_rejected_and_approved_to_revoked_are_allowed()
    {
        var allowed = (from a in Enum.GetValues<EventStatus>()
                       from b in Enum.GetValues<EventStatus>()
                       where EventStatuses.CanMove(a, b)
                       select (a, b)).ToList();
        Assert.Equal(
        [
            (EventStatus.Pending, EventStatus.Approved),
            (EventStatus.Pending, EventStatus.Rejected),
            (EventStatus.Approved, EventStatus.Revoked),
        ], allowed);
    }

    [Fact]
    public void Rejecting_and_revoking_need_a_reason_approving_does_not()
    {
        Assert.True(EventStatuses.NeedsReason(EventStatus.Rejected));
        Assert.True(EventStatuses.NeedsReason(EventStatus.Revoked));
        Assert.False(EventStatuses.NeedsReason(EventStatus.Approved));
        Assert.False(EventStatuses.NeedsReason(EventStatus.Pending));
    }

    [Theory]
    [InlineData(EventStatus.Pending, "pending", "待核查")]
    [InlineData(EventStatus.Approved, "approved", "已通过")]
    [InlineData(EventStatus.Rejected, "rejected", "已驳回")]
    [InlineData(EventStatus.Revoked, "revoked", "已撤销")]
    public void Statuses_have_wire_names_that_parse_back_and_Chinese_names(EventStatus status, string wire, string zh)
    {
        Assert.Equal(wire, status.ToWire());
        Assert.Equal(status, EventStatuses.Parse(wire));
        Assert.Equal(status, EventStatuses.Parse(wire.ToUpperInvariant()));
        Assert.Equal(zh, status.NameZh());
    }
}
