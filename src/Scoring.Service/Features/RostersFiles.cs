using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using Scoring.Application;

namespace Scoring.Service.Features;

/// <summary>
/// Roster files in and out: .xlsx through ClosedXML, CSV in UTF-8 (with or without a byte-order mark) or
/// GB18030/GBK as Chinese Excel saves it. Reading only turns a file into rows and cells; what they mean is
/// <see cref="RosterImport"/>'s business, the same for the API and the command line.
/// </summary>
public static class RosterFiles
{
    public const long MaxUploadBytes = 50L * 1024 * 1024;
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string CsvType = "text/csv; charset=utf-8";

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);
    private static Encoding Gb18030(bool strict) => Encoding.GetEncoding(54936, EncoderFallback.ReplacementFallback,
        strict ? DecoderFallback.ExceptionFallback : DecoderFallback.ReplacementFallback);

    /// <summary>Reads an uploaded or local file: .xlsx or .csv by name, else by its first bytes.</summary>
    public static RosterSheet Read(Stream content, string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        if (ext == ".xls")
            return RosterSheet.Unreadable("file-type", "不支持旧版.xls文件，请另存为.xlsx或.csv / Old .xls files are not supported: save as .xlsx or .csv.");
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        var bytes = buffer.ToArray();
        bool zip = bytes.Length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
        // An old .xls, a WPS .et or a password-protected .xlsx (all OLE compound files), whatever the name says.
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
            return RosterSheet.Unreadable("file-type", "这是旧版.xls或加密的Excel文件，请取消密码后另存为.xlsx或.csv / An old .xls or a password-protected workbook: save it as .xlsx or .csv without a password.");
        // A CSV never starts like a zip file, whatever its name says; an .xlsx always does.
        if (zip || ext == ".xlsx") return ReadXlsx(bytes);
        // A picture or a PDF read as text gave eight 'column missing' problems, as if the header were wrong.
        if (!LooksLikeText(bytes))
            return RosterSheet.Unreadable("file-type", "这不是表格文件，请上传.xlsx或.csv格式的花名册 / Not a spreadsheet: upload the roster as .xlsx or .csv.");
        return ReadCsv(bytes);
    }

    /// <summary>
    /// Whether bytes can be a CSV: text in UTF-16 (with its byte-order mark, as Excel's 'Unicode text' saves it), or
    /// a start without NUL bytes and not a PDF; pictures, PDFs and other binary files have NULs within their first bytes.
    /// </summary>
    private static bool LooksLikeText(byte[] bytes)
    {
        ReadOnlySpan<byte> start = bytes.AsSpan(0, Math.Min(bytes.Length, 8192));
        if (start.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || start.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return true;
        return !start.StartsWith("%PDF-"u8) && !start.Contains((byte)0);
    }

    // ---- xlsx ----

    /// <summary>
    /// What an .xlsx may unpack to: a few thousand rows take a few MB, the largest roster taken (100k rows of nine
    /// columns, as ClosedXML writes it) 64 MB; far more is a zip bomb, not a roster. The workbook is read whole, at about ten times its
    /// unpacked size in memory (512 MB of cells took 3.3 GB), so this is what bounds one import's memory.
    /// </summary>
    public const long MaxUnpackedBytes = 128L * 1024 * 1024;

    /// <summary>Roster sheets have a dozen or so columns; this leaves room for notes.</summary>
    public const int MaxColumns = 64;

    /// <summary>The most lines a sheet or CSV file may span: the rows an import takes, and a few blank ones.</summary>
    private const int MaxLines = RosterColumns.MaxRows + 10;

    /// <summary>Refused before its rows are kept: a few bytes can span a million rows or columns.</summary>
    private static RosterSheet SpansTooMuch() => RosterSheet.Unreadable("file-too-large",
        $"表格范围过大（最多{RosterColumns.MaxRows}行、{MaxColumns}列） / The sheet spans more than a roster can ({RosterColumns.MaxRows} rows, {MaxColumns} columns).");

    public static RosterSheet ReadXlsx(byte[] bytes)
    {
        try
        {
            using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes), System.IO.Compression.ZipArchiveMode.Read))
                if (zip.Entries.Sum(e => e.Length) > MaxUnpackedBytes)
                    return RosterSheet.Unreadable("file-too-large", "该Excel文件解压后过大，不像是花名册 / The file unpacks to far more than a roster.");
            using var workbook = new XLWorkbook(new MemoryStream(WithStyles(bytes)));
            var sheet = RosterSheetOf(workbook);
            var used = sheet?.RangeUsed();
            if (sheet is null || used is null) return new RosterSheet([], []);
            // A few bytes can put one value in the last cell of a sheet: refuse a used range no roster has
            // before walking it cell by cell.
            if (used.LastRow().RowNumber() > MaxLines || used.LastColumn().ColumnNumber() > MaxColumns) return SpansTooMuch();
            // Offices merge a person's cells over their rows: every cell of a merged range reads as its first cell.
            var merged = new Dictionary<(int Row, int Column), string>();
            foreach (var range in sheet.MergedRanges)
            {
                var value = CellText(range.FirstCell());
                if (range.RangeAddress.LastAddress.RowNumber > MaxLines || range.RangeAddress.LastAddress.ColumnNumber > MaxColumns) continue;
                foreach (var cell in range.Cells()) merged[(cell.Address.RowNumber, cell.Address.ColumnNumber)] = value;
            }
            int last = used.LastColumn().ColumnNumber();
            var lines = new List<RosterLine>();
            for (int r = 1; r <= used.LastRow().RowNumber(); r++)
            {
                var cells = new string[last];
                for (int c = 1; c <= last; c++)
                    cells[c - 1] = merged.TryGetValue((r, c), out var m) ? m : CellText(sheet.Cell(r, c));
                lines.Add(new RosterLine(r, cells));
            }
            return new RosterSheet(lines, []);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever ClosedXML or the zip reader throws, the answer to the person is the same.
            return RosterSheet.Unreadable("file-unreadable", "无法读取该Excel文件，请确认是.xlsx格式 / The file cannot be read as .xlsx.");
        }
    }

    /// <summary>
    /// The workbook with a styles part, adding a plain one where the writer left it out (the smallest writers do, some
    /// offices' systems among them): ClosedXML 0.95 keeps a number written without a type (as Excel writes them) only
    /// beside a styles part, so every phone typed as a number read as empty and a tenant's contact phone was lost.
    /// </summary>
    private static byte[] WithStyles(byte[] bytes)
    {
        using var package = new MemoryStream();
        package.Write(bytes);
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(package, isEditable: true))
        {
            if (document.WorkbookPart is not { WorkbookStylesPart: null } workbook) return bytes;
            var styles = workbook.AddNewPart<DocumentFormat.OpenXml.Packaging.WorkbookStylesPart>();
            styles.Stylesheet = PlainStyles();
            styles.Stylesheet.Save();
        }
        return package.ToArray();
    }

    /// <summary>One font, fill, border and cell format: the General format every cell then has.</summary>
    private static DocumentFormat.OpenXml.Spreadsheet.Stylesheet PlainStyles()
    {
        return new DocumentFormat.OpenXml.Spreadsheet.Stylesheet(
            "<x:styleSheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" +
            "<x:fonts count=\"1\"><x:font><x:sz val=\"11\"/><x:name val=\"Calibri\"/></x:font></x:fonts>" +
            "<x:fills count=\"1\"><x:fill><x:patternFill patternType=\"none\"/></x:fill></x:fills>" +
            "<x:borders count=\"1\"><x:border/></x:borders>" +
            "<x:cellStyleXfs count=\"1\"><x:xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></x:cellStyleXfs>" +
            "<x:cellXfs count=\"1\"><x:xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></x:cellXfs>" +
            "</x:styleSheet>");
    }

    /// <summary>
    /// The sheet holding the roster: the first visible one whose first rows hold the header (offices put a sheet of
    /// instructions, or a hidden one of drop-down lists or of last year's roster, before it), else the first holding
    /// the header, else the first visible one.
    /// </summary>
    private static IXLWorksheet? RosterSheetOf(XLWorkbook workbook)
    {
        bool HasHeader(IXLWorksheet w) => Enumerable.Range(1, 20).Any(r => RosterSheet.IsHeader([CellText(w.Cell(r, 1))]));
        bool Visible(IXLWorksheet w) => w.Visibility == XLWorksheetVisibility.Visible;
        return workbook.Worksheets.FirstOrDefault(w => Visible(w) && HasHeader(w))
            ?? workbook.Worksheets.FirstOrDefault(HasHeader)
            ?? workbook.Worksheets.FirstOrDefault(Visible)
            ?? workbook.Worksheets.FirstOrDefault();
    }

    /// <summary>A cell as text: whole numbers without decimals or exponent (a phone typed as a number), dates as dates.</summary>
    private static string CellText(IXLCell cell)
    {
        object value;
        try { value = cell.HasFormula ? cell.CachedValue : cell.Value; }
        catch (Exception e) when (e is not OutOfMemoryException) { return ""; }
        return value switch
        {
            null => "",
            double d when Math.Abs(d) < 1e15 && d == Math.Floor(d) => d.ToString("0", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            bool b => b ? "TRUE" : "FALSE",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    public static byte[] WriteXlsx(ExportTable table)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add(SheetName(table.Title));
        for (int c = 0; c < table.Header.Count; c++)
        {
            // Neutralised as the rows' text is: a header can name what people typed (the weekly summary's communities).
            sheet.Cell(1, c + 1).SetValue(Csv.Text(table.Header[c]));
            sheet.Cell(1, c + 1).Style.Font.Bold = true;
        }
        var money = new List<IXLCell>();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            for (int c = 0; c < row.Length; c++)
            {
                var cell = sheet.Cell(r + 2, c + 1);
                switch (row[c])
                {
                    case int n: cell.SetValue(n); break;
                    case long n: cell.SetValue(n); break;
                    // Yuan: a number a payout sheet can add up, shown to the fen.
                    case decimal d: cell.SetValue(d); money.Add(cell); break;
                    // Text is set as text (never a formula) and neutralised, so a name like =HYPERLINK(...) stays inert.
                    case var v: cell.SetValue(Csv.Text(v?.ToString() ?? "")); break;
                }
            }
        }
        // Phone numbers are text: long digit strings must not turn into 1.39E+10 when someone edits the sheet.
        sheet.Columns(1, table.Header.Count).Style.NumberFormat.Format = "@";
        foreach (var cell in money) cell.Style.NumberFormat.Format = "0.00";
        sheet.SheetView.FreezeRows(1);
        // Fixed widths: measuring text (AdjustToContents) needs GDI+ fonts a server does not have.
        for (int c = 1; c <= table.Header.Count; c++)
            sheet.Column(c).Width = Math.Clamp(table.Rows.Take(200).Select(r => c - 1 < r.Length ? r[c - 1]?.ToString()?.Length ?? 0 : 0).Append(table.Header[c - 1].Length).Max() * 2 + 2, 8, 60);
        using var output = new MemoryStream();
        workbook.SaveAs(output);
        return output.ToArray();
    }

    private static string SheetName(string title)
    {
        var name = new string(title.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')).ToArray());
        return name.Length == 0 ? "Sheet1" : name.Length > 31 ? name[..31] : name;
    }

    // ---- csv ----

    public static byte[] WriteCsv(ExportTable table) =>
        Csv.Write(new[] { (IReadOnlyList<string>)table.Header.Select(Csv.Text).ToList() }.Concat(table.Rows.Select(row => (IReadOnlyList<string>)row.Select(v => v switch
        {
            int n => n.ToString(CultureInfo.InvariantCulture),
            long n => n.ToString(CultureInfo.InvariantCulture),
            decimal d => d.ToString("0.00", CultureInfo.InvariantCulture),
            _ => Csv.Text(v?.ToString() ?? ""),
        }).ToList())));

    /// <summary>
    /// Decodes CSV bytes: UTF-8 when they are valid UTF-8 (a byte-order mark is dropped), else GB18030 (which
    /// covers GBK). Bytes valid in neither are kept as U+FFFD and the rows holding them are reported.
    /// </summary>
    public static RosterSheet ReadCsv(byte[] bytes)
    {
        var text = Decode(bytes, out bool broken);
        if (ParseCsv(text) is not { } lines) return SpansTooMuch();
        var problems = new List<RosterProblem>();
        if (broken)
            foreach (var line in lines.Where(l => l.Cells.Any(c => c.Contains('\uFFFD'))))
                problems.Add(new RosterProblem(line.Row, null, "文件编码损坏：这一行有无法识别的字符，请另存为UTF-8或GBK编码的CSV / This row has bytes that are neither UTF-8 nor GB18030.", "encoding-broken"));
        return new RosterSheet(lines, problems);
    }

    internal static string Decode(byte[] bytes, out bool broken)
    {
        broken = false;
        ReadOnlySpan<byte> body = bytes;
        if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) body = body[3..];
        else if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(body[2..]);
        else if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(body[2..]);
        try { return StrictUtf8.GetString(body); } catch (DecoderFallbackException) { }
        // GB18030 has a byte-order mark of its own (84 31 95 33), read as U+FEFF: it would stick to 类型.
        try { return Gb18030(strict: true).GetString(body).TrimStart('\uFEFF'); } catch (DecoderFallbackException) { }
        broken = true;
        // Neither decodes cleanly: take the one whose header reads as our header, so only the damaged rows are reported.
        var utf8 = Encoding.UTF8.GetString(body);
        return utf8.StartsWith(RosterColumns.Type, StringComparison.Ordinal) ? utf8 : Gb18030(strict: false).GetString(body).TrimStart('\uFEFF');
    }

    /// <summary>
    /// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. Rows are numbered as a spreadsheet shows them.
    /// Null as soon as the text spans more lines or cells than a roster can: 50 MB of line breaks would otherwise keep
    /// fifty million rows (gigabytes) before the import counts them.
    /// </summary>
    internal static List<RosterLine>? ParseCsv(string text)
    {
        char delimiter = Delimiter(text);
        var lines = new List<RosterLine>();
        var cells = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        int row = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(ch);
                continue;
            }
            if (ch == '"' && field.Length == 0) { quoted = true; any = true; }
            else if (ch == delimiter)
            {
                if (cells.Count == MaxColumns) return null;
                cells.Add(field.ToString()); field.Clear(); any = true;
            }
            else if (ch is '\r' or '\n')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                if (lines.Count == MaxLines || cells.Count == MaxColumns) return null;
                cells.Add(field.ToString()); field.Clear();
                lines.Add(new RosterLine(row++, cells.Select(c => c.Trim()).ToArray()));
                cells = [];
                any = false;
            }
            else { field.Append(ch); any = true; }
        }
        if (any || field.Length > 0)
        {
            if (lines.Count == MaxLines || cells.Count == MaxColumns) return null;
            cells.Add(field.ToString());
            lines.Add(new RosterLine(row, cells.Select(c => c.Trim()).ToArray()));
        }
        return lines;
    }

    /// <summary>Comma, unless the first line is plainly separated by tabs or semicolons (Excel's "text" exports).</summary>
    private static char Delimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var first = end < 0 ? text : text[..end];
        int commas = first.Count(c => c == ','), tabs = first.Count(c => c == '\t'), semicolons = first.Count(c => c == ';');
        return tabs > commas && tabs >= semicolons ? '\t' : semicolons > commas ? ';' : ',';
    }
}
