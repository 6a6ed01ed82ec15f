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

    /// <summary>A trimmed name of 1–50 characters without control characters, or a refusal naming <paramref name="what"/>.</summary>
    public static Outcome<string> Name(string? text, string whatEn = "name", string whatZh = "姓名")
    {
        var name = (text ?? "").Trim();
        if (name.Length == 0) return Failure.Invalid("name-empty", $"The {whatEn} is empty.", $"{whatZh}不能为空。");
        if (name.Length > MaxName) return Failure.Invalid("name-too-long", $"The {whatEn} is limited to {MaxName} characters.", $"{whatZh}最多{MaxName}个字。");
        if (name.Any(char.IsControl)) return Failure.Invalid("name-control", $"The {whatEn} contains control characters.", $"{whatZh}含有无效字符。");
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

    /// <summary>
    /// An optional phone number, normalised: spaces, dashes and brackets dropped; 7–15 digits, an optional leading +.
    /// Null when empty. The normalised form is the key a person is found by within a street.
    /// </summary>
    public static Outcome<string?> Phone(string? text)
    {
        var raw = (text ?? "").Trim();
        if (raw.Length == 0) return (string?)null;
        var phone = new string(raw.Where(c => c is not (' ' or '-' or '(' or ')' or '\u00a0')).ToArray());
        if (!PhonePattern().IsMatch(phone))
            return Failure.Invalid("phone-invalid", "The phone number is not valid (7 to 15 digits).", "电话号码无效(应为7至15位数字)。");
        return phone;
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
