using Scoring.Bot.Conversations;

namespace Scoring.Bot.Tests.Conversations;

public sealed class PhrasesTests
{
    [Theory]
    [InlineData("短句", 5, "短句")]
    [InlineData("一二三四五六", 5, "一二三四五…")]
    [InlineData("ab😀cd", 3, "ab…")]    // the emoji would be cut in half: it goes whole
    [InlineData("ab😀cd", 4, "ab😀…")]
    public void A_clipped_text_keeps_whole_characters_and_says_it_was_cut(string text, int max, string expected) =>
        Assert.Equal(expected, Phrases.Clip(text, max));
}
