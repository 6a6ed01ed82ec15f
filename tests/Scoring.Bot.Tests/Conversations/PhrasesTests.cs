using Scoring.Bot.Conversations;
using Scoring.Domain;
using Scoring.Domain.Weeks;

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

    [Theory]
    [InlineData("2026-W47", "本周（11月16日—22日）")]
    [InlineData("2026-W46", "上周（11月9日—15日）")]
    [InlineData("2026-W45", "11月2日—8日")]
    [InlineData("2026-W49", "11月30日—12月6日")]
    [InlineData("2026-W01", "2025年12月29日—2026年1月4日")]
    [InlineData("2025-W52", "2025年12月22日—28日")]
    public void A_week_is_written_as_its_dates_never_its_iso_code(string week, string written) =>
        Assert.Equal(written, Phrases.Week(IsoWeek.Parse(week), new DateOnly(2026, 11, 18), zh: true));

    [Theory]
    [InlineData("2026-W47", "this week (16–22 Nov)")]
    [InlineData("2026-W49", "30 Nov – 6 Dec")]
    [InlineData("2026-W01", "29 Dec 2025 – 4 Jan 2026")]
    public void A_week_in_english_is_its_dates_too(string week, string written) =>
        Assert.Equal(written, Phrases.Week(IsoWeek.Parse(week), new DateOnly(2026, 11, 18), zh: false));

    [Theory]
    [InlineData("2026", CycleKind.WeekYear, "2026年")]
    [InlineData("2026-Q4", CycleKind.WeekQuarter, "2026年第4季度")]
    public void A_cycle_is_written_as_its_year_or_quarter(string key, CycleKind kind, string written)
    {
        Assert.True(ScoringCycle.TryParse(key, out var cycle, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(written, Phrases.Cycle(cycle, zh: true));
    }
}
