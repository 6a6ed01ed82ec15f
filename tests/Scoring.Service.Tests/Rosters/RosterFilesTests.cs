using System.Diagnostics;
using ClosedXML.Excel;
using Scoring.Application;
using Scoring.Service.Features;

namespace Scoring.Service.Tests.Rosters;

public sealed class RosterFilesTests
{
    [Fact]
    public void A_tiny_workbook_with_a_value_in_the_last_cell_of_the_sheet_is_refused_without_walking_it()
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("花名册");
        sheet.Cell(1, 1).Value = "类型";
        sheet.Cell(1_048_576, 16_384).Value = "x";
        using var file = new MemoryStream();
        workbook.SaveAs(file);
        var reading = Stopwatch.StartNew();

        var read = RosterFiles.ReadXlsx(file.ToArray());

        Assert.True(file.Length < 20_000, $"the file is {file.Length} bytes");
        Assert.Empty(read.Lines);
        Assert.Equal("file-too-large", Assert.Single(read.FileProblems).Code);
        Assert.True(reading.Elapsed < TimeSpan.FromSeconds(30), $"reading took {reading.Elapsed}");
    }

    [Theory]
    [InlineData(RosterColumns.MaxRows + 11, 1)] // line breaks only: a row kept for each would take gigabytes of a 50 MB upload
    [InlineData(1, RosterFiles.MaxColumns + 1)] // one line of separators
    public void A_csv_spanning_more_than_a_roster_can_is_refused_as_too_large_without_keeping_its_rows(int lines, int cells)
    {
        var text = "类型" + string.Concat(Enumerable.Repeat(string.Concat(Enumerable.Repeat(",", cells - 1)) + "\n", lines));

        var read = RosterFiles.ReadCsv(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Empty(read.Lines);
        Assert.Equal("file-too-large", Assert.Single(read.FileProblems).Code);
    }

    [Fact]
    public void A_csv_of_the_most_rows_a_roster_may_have_is_read_whole()
    {
        var text = string.Concat(Enumerable.Repeat("房东,fangtang\r\n", RosterColumns.MaxRows + 1));

        var read = RosterFiles.ReadCsv(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal(RosterColumns.MaxRows + 1, read.Lines.Count);
        Assert.Empty(read.FileProblems);
    }
}
