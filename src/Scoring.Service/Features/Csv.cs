using System.Text;

namespace Scoring.Service.Features;

/// <summary>RFC 4180 CSV in UTF-8 with a byte-order mark, so Excel opens Chinese names correctly.</summary>
public static class Csv
{
    public static byte[] Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (int i = 0; i < row.Count; i++)
            {
                if (i > 0) text.Append(',');
                Field(text, row[i]);
            }
            text.Append("\r\n");
        }
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(text.ToString())];
    }

    /// <summary>
    /// Quoted when it holds a comma, a quote or a line break (RFC 4180), and also a semicolon or a tab: Excel where the
    /// list separator is ';' (much of Europe), or a text import split on tabs, cuts an unquoted field there, and the part
    /// after it — "=1+1" in "楼道脏;=1+1" — would be a cell of its own that the leading quote of <see cref="Text"/> never covered.
    /// </summary>
    private static void Field(StringBuilder text, string value)
    {
        if (value.IndexOfAny([',', '"', '\r', '\n', ';', '\t']) < 0)
        {
            text.Append(value);
            return;
        }
        text.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
    }

    /// <summary>
    /// A text cell that a spreadsheet must not run as a formula: one starting with = + - @ or a control character gets a
    /// leading apostrophe (the usual defence against CSV injection). Numbers are written as numbers, not through this.
    /// </summary>
    public static string Text(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
}
