using System.Security.Cryptography;
using System.Text;
using Scoring.Domain.Ledger;
using Scoring.Domain.Lists;

namespace Scoring.Domain.Tests.Lists;

public class ContentHashTests
{
    private static Standing Entry(int rank, string id, string name, string community, int balance, int weekAdditions = 0) =>
        new(rank, id, name, community, new WeekFigures(id, balance, 0, weekAdditions, 0));

    private static readonly Standing[] Red = [Entry(1, "landlord-1", "应天乐", "fangtang", 14), Entry(2, "landlord-4", "董宝华", "changchun", 13)];
    private static readonly Standing[] Black = [Entry(1, "landlord-3", "陈建国", "fangtang", 10)];

    private static string Hash(string street = "houzhai", string week = "2026-W47", string kind = "landlord", int version = 1,
        IReadOnlyList<Standing>? red = null, IReadOnlyList<Standing>? black = null) =>
        ContentHash.Of(street, week, kind, version, red ?? Red, black ?? Black);

    [Fact]
    public void The_hash_is_SHA_256_of_the_canonical_JSON_in_a_fixed_key_order()
    {
        // The canonical form is part of every published list: changing it would make old hashes unverifiable.
        const string canonical =
            "{\"street\":\"houzhai\",\"week\":\"2026-W47\",\"kind\":\"landlord\",\"ruleSetVersion\":1," +
            "\"red\":[{\"rank\":1,\"subjectId\":\"landlord-1\",\"name\":\"\\u5E94\\u5929\\u4E50\",\"community\":\"fangtang\",\"balance\":14}," +
            "{\"rank\":2,\"subjectId\":\"landlord-4\",\"name\":\"\\u8463\\u5B9D\\u534E\",\"community\":\"changchun\",\"balance\":13}]," +
            "\"black\":[{\"rank\":1,\"subjectId\":\"landlord-3\",\"name\":\"\\u9648\\u5EFA\\u56FD\",\"community\":\"fangtang\",\"balance\":10}]}";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(expected, Hash());
    }

    [Fact]
    public void The_same_content_always_gives_the_same_hash()
    {
        var copyRed = Red.Select(s => s with { }).ToArray();
        Assert.Equal(Hash(), Hash(red: copyRed));
        Assert.Matches("^[0-9a-f]{64}$", Hash());
    }

    [Fact]
    public void Figures_that_are_not_published_do_not_change_the_hash()
    {
        var sameBalancesOtherFigures = Red.Select(s => Entry(s.Rank, s.SubjectId, s.Name, s.CommunityId, s.Balance, weekAdditions: 5)).ToArray();
        Assert.Equal(Hash(), Hash(red: sameBalancesOtherFigures));
    }

    [Fact]
    public void Each_published_field_changes_the_hash()
    {
        var original = Hash();
        string[] variants =
        [
            Hash(street: "other"),
            Hash(week: "2026-W48"),
            Hash(kind: "shop-head"),
            Hash(version: 2),
            Hash(red: [Red[0] with { Rank = 2 }, Red[1]]),
            Hash(red: [Red[0] with { SubjectId = "landlord-9" }, Red[1]]),
            Hash(red: [Red[0] with { Name = "应天喜" }, Red[1]]),
            Hash(red: [Red[0] with { CommunityId = "changchun" }, Red[1]]),
            Hash(red: [Red[0] with { Figures = Red[0].Figures with { Balance = 15 } }, Red[1]]),
            Hash(red: [Red[1], Red[0]]),
            Hash(red: [Red[0]]),
            Hash(red: Red, black: []),
            Hash(red: Black, black: Red),
        ];
        Assert.All(variants, v => Assert.NotEqual(original, v));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }
}
