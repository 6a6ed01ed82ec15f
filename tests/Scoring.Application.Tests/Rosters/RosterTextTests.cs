using Scoring.Application;

namespace Scoring.Application.Tests.Rosters;

public class RosterTextTests
{
    [Theory]
    [InlineData("13900000001", "13900000001")]
    [InlineData("139 0000 0001", "13900000001")]
    [InlineData("139-0000-0001", "13900000001")]
    [InlineData("139.0000.0001", "13900000001")]
    [InlineData("+8613900000001", "13900000001")]
    [InlineData("+86 139 0000 0001", "13900000001")]
    [InlineData("(+86) 139-0000-0001", "13900000001")]
    [InlineData("008613900000001", "13900000001")]
    [InlineData("8613900000001", "13900000001")]
    [InlineData("１３９０００００００１", "13900000001")]            // typed with a Chinese input method's full-width digits
    [InlineData("＋８６　１３９－００００－０００１", "13900000001")]
    [InlineData("（０２１）１２３４５６７８", "02112345678")]
    [InlineData("+86 21 12345678", "02112345678")]
    [InlineData("+86 (0)21 12345678", "02112345678")]
    [InlineData("+86 (0)139 0000 0001", "13900000001")]             // a mobile has no trunk 0, whatever the habit of landlines
    [InlineData("+86 755 12345678", "075512345678")]
    [InlineData("021-12345678", "02112345678")]
    [InlineData("+85291234567", "+85291234567")]                    // Hong Kong: kept with its country code
    [InlineData("+1 212 555 0100", "+12125550100")]
    [InlineData("8612345", "8612345")]                              // a short number starting with 86 is not a country code
    public void A_phone_is_kept_as_it_is_dialled_at_home_whichever_way_it_was_typed(string typed, string kept)
    {
        var phone = RosterText.Phone(typed);
        Assert.True(phone.Succeeded, phone.Failure?.English);
        Assert.Equal(kept, phone.Value);
    }

    [Theory]
    [InlineData("400-810-8888", "4008108888")]
    [InlineData("+86 400 810 8888", "4008108888")]
    [InlineData("0086 400 810 8888", "4008108888")]
    [InlineData("+86 800 810 8888", "8008108888")]
    public void A_400_or_800_service_number_after_the_country_code_is_the_number_dialled_at_home_without_a_trunk_zero(string typed, string kept) =>
        Assert.Equal(kept, RosterText.Phone(typed).Value);

    [Theory]
    [InlineData("not a phone")]
    [InlineData("139000")]
    [InlineData("+86")]
    [InlineData("1390000000１2345678")]
    [InlineData("13900000001 ext 5")]
    public void A_phone_that_is_not_a_number_is_refused(string typed) =>
        Assert.Equal("phone-invalid", RosterText.Phone(typed).Failure?.Code);

    [Fact]
    public void An_empty_phone_is_none() => Assert.Null(RosterText.Phone("  ").Value);
}
