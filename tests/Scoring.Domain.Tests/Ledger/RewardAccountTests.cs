using Scoring.Domain.Ledger;
using static Scoring.Domain.Tests.Houzhai;

namespace Scoring.Domain.Tests.Ledger;

public class RewardAccountTests
{
    private static readonly DateTimeOffset Day = Local(2026, 11, 18, 9);

    [Fact]
    public void Reward_points_are_earned_only_by_approved_additions()
    {
        var account = RewardAccount.From(
        [
            Event(+2, Day), Event(+1, Day),               // earned
            Event(-2, Day),                               // a deduction never takes earned points away
            Event(+1, Day, EventStatus.Pending),
            Event(+1, Day, EventStatus.Rejected),
            Event(+2, Day, EventStatus.Revoked),
        ], redeemed: 0);
        Assert.Equal(new RewardAccount(3, 0), account);
        Assert.Equal(3, account.Available);
    }

    [Fact]
    public void Redemptions_spend_the_account()
    {
        var account = new RewardAccount(Earned: 10, Redeemed: 4);
        Assert.Equal(6, account.Available);
        Assert.True(account.CanRedeem(6));
        Assert.False(account.CanRedeem(7));
        Assert.False(account.CanRedeem(0));
        Assert.False(account.CanRedeem(-1));
    }

    [Fact]
    public void Nothing_is_available_when_more_was_redeemed_than_earned()
    {
        var account = new RewardAccount(Earned: 2, Redeemed: 5); // an addition revoked after redemption
        Assert.Equal(0, account.Available);
        Assert.Equal(3, account.Overdrawn); // paid back first from what is earned next
        Assert.False(account.CanRedeem(1));
        Assert.Equal(0, new RewardAccount(Earned: 5, Redeemed: 2).Overdrawn);
    }

    [Fact]
    public void Points_are_worth_the_street_s_yuan_per_point() =>
        Assert.Equal(35m, new RewardAccount(5, 0).Yuan(7, 5m));
}
