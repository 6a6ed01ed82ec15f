using System.Globalization;
using CsCheck;

namespace Scoring.Storage.Tests;

/// <summary>Times are stored as one fixed UTC text; the fast writer and reader must agree with .NET's general ones.</summary>
public sealed class DateTimeOffsetHandlerTests
{
    private static readonly Gen<DateTimeOffset> Instants =
        Gen.Select(Gen.Long[DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay], Gen.Int[-14 * 60, 14 * 60],
            (ticks, minutes) => new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(minutes)));

    private static DateTimeOffset GeneralParse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    [Fact]
    public void An_instant_is_written_as_the_general_formatter_writes_it_in_UTC() =>
        Instants.Sample(instant => Assert.Equal(
            instant.ToUniversalTime().ToString(DateTimeOffsetHandler.Format, CultureInfo.InvariantCulture),
            DateTimeOffsetHandler.ToText(instant)));

    [Fact]
    public void Stored_text_reads_back_as_the_same_instant_and_offset_the_general_parser_gives() =>
        Instants.Sample(instant =>
        {
            var text = DateTimeOffsetHandler.ToText(instant);
            Assert.True(DateTimeOffsetHandler.TryParseStored(text, out var read));
            var general = GeneralParse(text);
            Assert.Equal((general.UtcTicks, general.Offset), (read.UtcTicks, read.Offset));
            Assert.Equal(instant.UtcTicks, read.UtcTicks);
        });

    [Theory]
    [InlineData("2026-11-18 09:00:00+08:00")]
    [InlineData("2026-11-18T01:30:00Z")]
    [InlineData("2026-11-18T01:30:00.000000Z")]
    [InlineData("2026-02-30T01:30:00.0000000Z")]
    [InlineData("2026-11-18T24:00:00.0000000Z")]
    [InlineData("2026-11-18T01:30:00.0000000+")]
    [InlineData("2026-1a-18T01:30:00.0000000Z")]
    [InlineData("0000-11-18T01:30:00.0000000Z")]
    public void Other_text_is_left_to_the_general_parser(string text)
    {
        Assert.False(DateTimeOffsetHandler.TryParseStored(text, out _));
        var handler = new DateTimeOffsetHandler();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expected))
            Assert.Equal(expected, handler.Parse(text));
        else
            Assert.ThrowsAny<FormatException>(() => handler.Parse(text));
    }
}
