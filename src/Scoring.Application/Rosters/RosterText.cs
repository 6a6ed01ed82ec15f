using System.Text.RegularExpressions;

namespace Scoring.Application;

/// <summary>
/// What a roster accepts as a name, a room or a phone number. One set of rules for the chat, the API and
/// the spreadsheet import, so a tenant registered in chat can be found again by an import.
/// </summary>
public static partial class RosterText
{
    public const int MaxName = 50;
    public const int MaxRoom = 50;
    public const int MaxId = 40;

    /// <summary>What someone typed, quoted back in a refusal: at most 40 characters, so a pasted page is not echoed whole.</summary>
    public static string Clip(string? text) => text is null ? "" : text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>
    /// A trimmed name of 1–50 characters without control characters or invisible formatting ones (a zero-width space, a
    /// right-to-left override, a byte-order mark): names go on the public lists, where such a name shows blank, reversed
    /// or as someone else's. Or a refusal naming <paramref name="whatEn"/>.
    /// </summary>
    public static Outcome<string> Name(string? text, string whatEn = "name", string whatZh = "姓名")
    {
        var name = (text ?? "").Trim();
        if (name.Length == 0) return Failure.Invalid("name-empty", $"The {whatEn} is empty.", $"{whatZh}不能为空。");
        if (name.Length > MaxName) return Failure.Invalid("name-too-long", $"The {whatEn} is limited to {MaxName} characters.", $"{whatZh}最多{MaxName}个字。");
        if (name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format))
            return Failure.Invalid("name-control", $"The {whatEn} contains control or invisible formatting characters.", $"{whatZh}含有无效字符。");
        return name;
    }

    /// <summary>An optional room: null when empty, else at most 50 characters.</summary>
    public static Outcome<string?> Room(string? text)
    {
        var room = (text ?? "").Trim();
        if (room.Length == 0) return (string?)null;
        if (room.Length > MaxRoom) return Failure.Invalid("room-too-long", $"The room is limited to {MaxRoom} characters.", $"房间最多{MaxRoom}个字。");
        if (room.Any(char.IsControl)) return Failure.Invalid("room-control", "The room contains control characters.", "房间含有无效字符。");
        return room;
    }

    [GeneratedRegex(@"^\+?[0-9]{7,15}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^1[3-9][0-9]{9}$")]
    private static partial Regex MainlandMobile();

    /// <summary>A 400/800 service number: dialled at home as its ten digits, with no trunk 0 (there is no area code).</summary>
    [GeneratedRegex(@"^[48]00[0-9]{7}$")]
    private static partial Regex ServiceNumber();

    /// <summary>
    /// An optional phone number, normalised: full-width digits and signs read as ASCII (a Chinese input method types
    /// them); spaces, dots, dashes and brackets dropped; 7–15 digits, an optional leading +. A mainland number written
    /// with its country code (+86, 0086, or 86 before a mobile) is kept as dialled at home — a mobile's 11 digits, a
    /// 400/800 service number's 10, a landline with its trunk 0 — so one person typed both ways is one person. Null
    /// when empty. The normalised form is the key a person is found by within a street.
    /// </summary>
    public static Outcome<string?> Phone(string? text)
    {
        var raw = (text ?? "").Trim();
        if (raw.Length == 0) return (string?)null;
        var written = new System.Text.StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            var ascii = c is >= '\uff01' and <= '\uff5e' ? (char)(c - 0xfee0) : c; // full-width forms
            if (ascii is ' ' or '-' or '(' or ')' or '.' or '\u00a0' or '\u3000' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212') continue;
            written.Append(ascii);
        }
        var phone = Domestic(written.ToString());
        if (!PhonePattern().IsMatch(phone))
            return Failure.Invalid("phone-invalid", "The phone number is not valid (7 to 15 digits).", "电话号码无效(应为7至15位数字)。");
        return phone;
    }

    /// <summary>A mainland number with its country code as dialled within China; anything else unchanged.</summary>
    private static string Domestic(string phone)
    {
        var national = phone.StartsWith("+86") ? phone[3..] : phone.StartsWith("0086") ? phone[4..] : null;
        if (national is null)
            return phone.Length == 13 && phone.StartsWith("86") && MainlandMobile().IsMatch(phone[2..]) ? phone[2..] : phone;
        if (national.Length == 0 || !national.All(char.IsAsciiDigit)) return phone;
        if (MainlandMobile().IsMatch(national) || ServiceNumber().IsMatch(national)) return national;
        // A landline after the country code drops its trunk 0 (+86 10 …, +86 755 …); one written with it, as in
        // "+86 (0)755 …", keeps it once. Mobiles have no trunk 0: "+86 (0)138 …" is the mobile.
        if (national[0] == '0')
            return MainlandMobile().IsMatch(national[1..]) ? national[1..] : national.Length is >= 10 and <= 12 ? national : phone;
        return national.Length is >= 9 and <= 11 ? "0" + national : phone;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]{0,39}$")]
    private static partial Regex IdPattern();

    /// <summary>An id chosen by a person (a community or grid id): lower-case letters, digits, '-' and '_', up to 40.</summary>
    public static Outcome<string> Id(string? text, string whatEn, string whatZh)
    {
        var id = (text ?? "").Trim();
        if (!IdPattern().IsMatch(id))
            return Failure.Invalid("id-invalid", $"The {whatEn} id must be 1–{MaxId} lower-case letters, digits, '-' or '_'.", $"{whatZh}编号只能由小写字母、数字、“-”或“_”组成,最多{MaxId}个字符。");
        return id;
    }
}
