using System.Net;
using System.Text.Json;

namespace Scoring.Service.Tests.Rosters;

/// <summary>A street's landlords and shop heads run to thousands: a dashboard reads them a page at a time.</summary>
public sealed class RosterPagingTests
{
    [Fact]
    public async Task The_subjects_are_read_page_by_page_to_the_same_whole()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Officer();
        var whole = await (await officer.GetAsync("/api/streets/houzhai/subjects")).JsonAsync();

        var paged = new List<string>();
        var totals = new List<int>();
        string? next = null;
        for (int page = 0; page < 10; page++)
        {
            var answer = await (await officer.GetAsync("/api/streets/houzhai/subjects?limit=3" + (next is null ? "" : $"&after={next}"))).JsonAsync();
            var items = answer.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.True(items.Count <= 3);
            paged.AddRange(items);
            totals.Add(answer.GetProperty("total").GetInt32());
            next = answer.GetProperty("next").GetString();
            if (next is null) break;
            Assert.Equal(items[^1], next);
        }

        var ids = whole.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.Equal(7, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), paged);
        Assert.All(totals, t => Assert.Equal(7, t));
        Assert.Equal(3, totals.Count);
        Assert.Equal(7, whole.GetProperty("total").GetInt32());
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit must be from 1 to 5000")]
    [InlineData("limit=5001", "limit must be from 1 to 5000")]
    [InlineData("after=a%20b", "after 'a b'")]
    public async Task A_bad_page_is_a_400_saying_what_is_wrong(string query, string detail)
    {
        await using var world = await ServiceWorld.CreateAsync();

        var response = await world.Officer().GetAsync("/api/streets/houzhai/subjects?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await response.JsonAsync()).GetProperty("detail").GetString());
    }
}
