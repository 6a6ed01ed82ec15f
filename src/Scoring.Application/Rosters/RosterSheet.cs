namespace Scoring.Application;

/// <summary>The roster's columns, in the contract's order. <c>身份证号</c> may follow as a ninth.</summary>
public static class RosterColumns
{
    public const string Type = "类型", Community = "社区", Name = "姓名", Phone = "电话", Grid = "网格", Holding = "租客或店铺", Room = "房间", ContactPhone = "联系电话";
    public const string IdCard = "身份证号";
    public static readonly IReadOnlyList<string> Required = [Type, Community, Name, Phone, Grid, Holding, Room, ContactPhone];

    public const string Landlord = "房东", ShopHead = "铺长";

    /// <summary>How many rows one import takes: a street has a few thousand landlords; a million rows is a mistake.</summary>
    public const int MaxRows = 100_000;

    /// <summary>How many problems a report lists before it only counts the rest.</summary>
    public const int MaxProblems = 1000;
}

/// <summary>One problem of an import: the spreadsheet row (1 is the header, 0 the file itself), the column, and what is wrong.</summary>
public sealed record RosterProblem(int Row, string? Column, string Problem, string Code);

/// <summary>One row of a roster file as read: its row number in the file and its cells, trimmed.</summary>
public sealed record RosterLine(int Row, IReadOnlyList<string> Cells);

/// <summary>A roster file as read by the front door (xlsx or CSV), before any meaning is given to it.</summary>
public sealed record RosterSheet(IReadOnlyList<RosterLine> Lines, IReadOnlyList<RosterProblem> FileProblems)
{
    public static RosterSheet Unreadable(string code, string problem) => new([], [new RosterProblem(0, null, problem, code)]);

    /// <summary>
    /// A cell as a person meant it: trimmed, without the quote our own exports put before a leading
    /// = + - @ (so an exported roster imports unchanged), and without the ="…" that systems exporting CSV for Excel
    /// wrap numbers in to keep them text (="13711110001", ="0301").
    /// </summary>
    public static string Clean(string? cell)
    {
        var text = (cell ?? "").Trim();
        if (text.Length >= 3 && text.StartsWith("=\"", StringComparison.Ordinal) && text[^1] == '"')
            return text[2..^1].Replace("\"\"", "\"").Trim();
        return text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' ? text[1..] : text;
    }

    /// <summary>
    /// A header cell as the office meant it: offices type 姓 名 to centre it, break 联系电话 over two lines (Alt+Enter),
    /// mark required columns *姓名, and an IME leaves full-width forms; none of it makes another column.
    /// </summary>
    public static string HeaderText(string? cell)
    {
        var text = Clean(cell).Normalize(System.Text.NormalizationForm.FormKC);
        var kept = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
            if (!char.IsWhiteSpace(c) && c is not '*' and not '\u200b' and not '\ufeff') kept.Append(c);
        return kept.ToString();
    }

    /// <summary>Whether a row is the roster's header row: its first cell says 类型.</summary>
    public static bool IsHeader(IReadOnlyList<string> cells) => cells.Count > 0 && HeaderText(cells[0]) == RosterColumns.Type;
}

/// <summary>What an import did (or, in a dry run, would do), counted over grids, landlords, shop heads, tenants and shops.</summary>
public sealed record ImportReport(int Created, int Updated, int Unchanged, int Deactivated, IReadOnlyList<RosterProblem> Errors, bool Applied)
{
    public bool HasErrors => Errors.Count > 0;

    /// <summary>What the office should know though nothing is wrong (a dry run shows them before anything is written).</summary>
    public IReadOnlyList<RosterProblem> Notices { get; init; } = [];
}
