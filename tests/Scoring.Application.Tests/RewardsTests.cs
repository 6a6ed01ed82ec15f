using Scoring.Domain.Rules;
using Scoring.Storage;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class RewardsTests
{
    [Fact]
    public async Task A_redemption_recorded_on_another_instance_just_after_the_yuan_per_point_changed_is_paid_at_the_new_rate()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation); // two reward points
        var officer = await world.StaffAsync("officer-1");
        var file = Path.Combine(Path.GetDirectoryName(world.CredentialsPath)!, "scoring.db");
        await using var other = new Database(StorageProvider.Sqlite, $"Data Source={file};Pooling=False", world.Clock);
        await new StreetSettingsBook(other, world.Clock).ReadAsync(officer, "houzhai"); // the other instance has the street cached

        await new StreetSettingsBook(world.Db, world.Clock).ChangeAsync(officer, "houzhai", new SettingsDraft(YuanPerPoint: 20m));
        var redeemed = await new Rewards(other, world.Clock).RedeemAsync(officer, "landlord-1", 2, "米面油");

        Assert.Equal((40m, 20m), (redeemed.Value!.Yuan, redeemed.Value.YuanPerPoint));
    }

    [Fact]
    public async Task A_redemption_note_with_a_bidi_override_is_refused_and_nothing_is_redeemed()
    {
        await using var world = await CreateAsync();
        await world.ScoreAsync("landlord-1", DefaultRules.LandlordReportedViolation);
        var officer = await world.StaffAsync("officer-1");

        var refused = await new Rewards(world.Db, world.Clock).RedeemAsync(officer, "landlord-1", 1, "\u202e油面米");
        var account = await new Rewards(world.Db, world.Clock).AccountAsync(officer, "landlord-1");

        Assert.Equal(("text-control", "note"), (refused.Failure?.Code, refused.Failure?.Field));
        Assert.Equal(0, account.Value!.Redeemed);
    }
}
