namespace Scoring.Application.Tests;

public class PublicAddressTests
{
    [Theory]
    [InlineData("https://jifen.houzhai.gov.cn", "https://jifen.houzhai.gov.cn/streets/houzhai/board")]
    [InlineData("https://jifen.houzhai.gov.cn/", "https://jifen.houzhai.gov.cn/streets/houzhai/board")]
    [InlineData("https://houzhai.gov.cn/jifen/", "https://houzhai.gov.cn/jifen/streets/houzhai/board")]
    [InlineData(null, "/streets/houzhai/board")]
    [InlineData(" ", "/streets/houzhai/board")]
    public void A_path_is_named_in_full_under_the_public_address_and_as_it_is_without_one(string? baseUrl, string expected) =>
        Assert.Equal(expected, new PublicAddress(baseUrl).Of("/streets/houzhai/board"));

    [Theory]
    [InlineData("jifen.houzhai.gov.cn")]
    [InlineData("ftp://jifen.houzhai.gov.cn")]
    [InlineData("https://jifen.houzhai.gov.cn/?a=1")]
    public void A_public_address_that_is_no_http_address_is_refused(string baseUrl) =>
        Assert.Throws<InvalidOperationException>(() => new PublicAddress(baseUrl));
}
