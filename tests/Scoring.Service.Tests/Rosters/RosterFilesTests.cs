using System.Diagnostics;
using ClosedXML.Excel;
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
}
