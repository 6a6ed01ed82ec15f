namespace Scoring.Domain.Ledger;

/// <summary>
/// Reward points: earned by approved additions, spent by redemptions that staff record.
/// Redemption never changes the balance; it only spends the reward account.
/// </summary>
public sealed record RewardAccount(int Earned, int Redeemed)
{
    public int Available => Math.Max(0, Earned - Redeemed);

    /// <summary>
    /// Points redeemed beyond what was earned: an addition revoked after its points were spent. Nothing is available
    /// until later earnings have made it up; shown, so that earned, redeemed and available add up for whoever reads them.
    /// </summary>
    public int Overdrawn => Math.Max(0, Redeemed - Earned);

    public static RewardAccount From(IEnumerable<ScoreEvent> events, int redeemed) =>
        new(events.Where(e => e.Status == EventStatus.Approved && e.Delta > 0).Sum(e => e.Delta), redeemed);

    public decimal Yuan(int points, decimal yuanPerPoint) => points * yuanPerPoint;

    public bool CanRedeem(int points) => points > 0 && points <= Available;
}
