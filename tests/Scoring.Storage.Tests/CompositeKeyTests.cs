using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Scoring.Storage.Tests;

public sealed class CompositeKeyTests
{
    // The plain formula: what keys already stored in databases were made with.
    private static string Formula(params string?[] parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts) text.Append(part?.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Fact]
    public void A_key_is_the_one_earlier_versions_stored()
    {
        Assert.Equal("b2494a1194d01cecf937b9a8986f7ecd0c422686696fc73ad1606ece839d9088", CompositeKey.Of("msteams", "会话", "a:b"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(5000)] // past the stack buffer
    public void Parts_of_any_length_hash_by_the_formula(int length)
    {
        var longPart = new string('房', length);
        Assert.Equal(Formula("emulator", longPart, "id-1"), CompositeKey.Of("emulator", longPart, "id-1"));
    }

    [Fact]
    public void Length_prefixes_keep_differently_split_parts_apart()
    {
        Assert.NotEqual(CompositeKey.Of("a:b", "c"), CompositeKey.Of("a", "b:c"));
    }

    [Fact]
    public void A_missing_part_is_written_without_a_length()
    {
        Assert.Equal(Formula(null, "conv-1", "x-1"), Convert.ToHexStringLower(CompositeKey.Hash(null, "conv-1", "x-1")));
        Assert.NotEqual(CompositeKey.Hash(null, "c", "i"), CompositeKey.Hash("", "c", "i"));
    }
}
