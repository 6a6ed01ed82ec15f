using System.Buffers;
using System.Globalization;
using System.Text;
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
    /// A trimmed name of 1–50 characters, every one of them shown as written: no control character, no invisible
    /// formatting one (a zero-width space, a right-to-left override, a byte-order mark, a tag letter), none that shows
    /// blank though Unicode counts it a letter (a Hangul filler, a blank Braille pattern), no accent with nothing under it
    /// (<see cref="FirstHidden"/>). Names go on the public lists, where such a name shows blank, reversed or as someone
    /// else's. Or a refusal naming <paramref name="whatEn"/> and the character.
    /// </summary>
    public static Outcome<string> Name(string? text, string whatEn = "name", string whatZh = "姓名")
    {
        var name = (text ?? "").Trim();
        if (name.Length == 0) return Failure.Invalid("name-empty", $"The {whatEn} is empty.", $"{whatZh}不能为空。");
        if (name.Length > MaxName) return Failure.Invalid("name-too-long", $"The {whatEn} is limited to {MaxName} characters.", $"{whatZh}最多{MaxName}个字。");
        if (Hidden("name-control", name, whatEn, whatZh) is { } refused) return refused;
        return name;
    }

    /// <summary>
    /// An optional room (or, with <paramref name="field"/> <c>origin</c>, a place of origin): null when empty, else at most
    /// 50 characters, each shown as written (a line of a roster, read as a name is).
    /// </summary>
    public static Outcome<string?> Room(string? text, string field = "room", string whatEn = "room", string whatZh = "房间")
    {
        var room = (text ?? "").Trim();
        if (room.Length == 0) return (string?)null;
        if (room.Length > MaxRoom) return Failure.Invalid($"{field}-too-long", $"The {whatEn} is limited to {MaxRoom} characters.", $"{whatZh}最多{MaxRoom}个字。");
        if (Hidden($"{field}-control", room, whatEn, whatZh) is { } refused) return refused;
        return room;
    }

    /// <summary>A name's or a room's refusal, naming the first character not shown as written and where it is; or null.</summary>
    private static Failure? Hidden(string code, string text, string whatEn, string whatZh)
    {
        if (FirstHidden(text, freeText: false) is not { } hidden) return null;
        var (en, zh) = Describe(hidden, freeText: false);
        return Failure.Invalid(code, $"The {whatEn} contains control or invisible formatting characters: {en}.", $"{whatZh}含有无效字符：{zh}。");
    }

    /// <summary>
    /// Whether a name (a person's, a place's, a rule's) holds a character its reader would not see as written: a
    /// control character, a text-direction control, an invisible formatting character, one that shows blank, a mark with
    /// nothing to mark, or what is no character at all (half a surrogate pair, a noncharacter).
    /// </summary>
    public static bool Hides(string? text) => FirstHidden(text ?? "", freeText: false) is not null;

    /// <summary>
    /// Free text a person writes for others to read — a report's evidence, a rejection's or revocation's reason, a
    /// redemption's note, a list's correction reason (shown on the public notice board): trimmed, a Windows or old Mac
    /// line break (or a Unicode line or paragraph separator) read as one newline, and refused (code <c>text-control</c>,
    /// naming <paramref name="field"/>) when it holds a control character other than a newline or a tab, a text-direction
    /// control (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F, U+061C), an invisible formatting character (a
    /// zero-width space, a byte-order mark, a soft hyphen, a tag letter…), a character that shows blank (a Hangul filler,
    /// a blank Braille pattern), an accent or variation selector with nothing to go on, or a noncharacter. Emoji pass as
    /// typed: a zero-width joiner next to an emoji (👨‍👩‍👧, 🏳️‍🌈) and the tag letters of a subdivision flag (🏴 England) are
    /// part of what the reader sees. So does a joiner or non-joiner inside a word of a script that needs one (Persian
    /// می‌خواهم, Devanagari क्‍ष), as in names.
    /// <para>
    /// Refused, not stripped, field by field: evidence (the secretary decides on what it says), a rejection's or
    /// revocation's reason (the subject reads it in their score and in chat), a redemption's note (it stands on the
    /// record) and a correction reason (the public reads it under the list). Stripping a direction control would store
    /// text in an order its writer never saw, and dropping invisible characters unseen would keep a pasted payload's
    /// visible part as if nothing were amiss; a refusal names the character and where it is, and the writer sends the
    /// text again. Only the emoji above are kept, as nobody types the rest on purpose. Names, rooms, origins and rule
    /// names take none of the emoji exceptions (<see cref="Hides"/>). The chat door, whose commands are one line, already
    /// drops control characters, the invisible characters pasted text brings (zero-width spaces, joiners that join nothing, a
    /// word joiner, a byte-order mark, a soft hyphen, the direction marks U+200E, U+200F, U+061C) and reads line breaks as
    /// spaces before any of this (<c>CommandParser.Clean</c>): a direction override or isolate, which reorders what is seen,
    /// still reaches this refusal.
    /// </para>
    /// </summary>
    public static Outcome<string> Text(string? text, string field, string whatEn, string whatZh)
    {
        var written = AsStored(text);
        if (FirstHidden(written, freeText: true) is not { } hidden) return written;
        var (en, zh) = Describe(hidden, freeText: true);
        return Failure.Invalid("text-control", $"The {whatEn} contains {en}: send it again without it.", $"{whatZh}{zh}，请删去后重新发送（最好直接打字，不要粘贴）。") with { Field = field };
    }

    /// <summary>
    /// Free text as <see cref="Text"/> keeps it — a Windows or old Mac line break, a Unicode line or paragraph separator
    /// one newline, trimmed — which is what a length limit counts: a client that sends CRLF is not refused a character
    /// per line early.
    /// </summary>
    public static string AsStored(string? text) =>
        (text ?? "").Replace("\r\n", "\n").Replace('\r', '\n').Replace('\u2028', '\n').Replace('\u2029', '\n').Trim();

    /// <summary>What the refused character is and where, for whoever wrote it.</summary>
    private static (string En, string Zh) Describe((Ink Ink, int Value, int At) hidden, bool freeText)
    {
        var (ink, value, at) = hidden;
        var code = $"U+{value:X4}";
        return ink switch
        {
            Ink.Directional => ($"a text-direction control ({code}) at character {at}, which shows the text around it reordered or reversed to whoever reads it",
                $"第{at}个字处含有文字方向控制符（{code}），别人看到的文字会颠倒或错位"),
            Ink.Invisible => ($"an invisible formatting character ({code}) at character {at}, which hides or splits what others read",
                $"第{at}个字处含有看不见的格式字符（{code}），会藏起或拆开文字"),
            Ink.Blank => ($"a character that shows blank ({code}) at character {at}, which passes for a space or for something written",
                $"第{at}个字处含有显示为空白的字符（{code}），看上去像空格或像写了字"),
            Ink.Stray => ($"an accent or variation selector ({code}) at character {at} with no letter before it to go on",
                $"第{at}个字处含有没有依附文字的附加符号（{code}）"),
            Ink.NoCharacter => ($"a code ({code}) at character {at} that is no character at all and cannot be shown",
                $"第{at}个字处含有无效编码（{code}），无法显示"),
            _ when freeText => ($"a control character ({code}) at character {at}, which breaks how it is shown (line breaks and tabs are fine)",
                $"第{at}个字处含有控制字符（{code}），会破坏显示（换行可以保留）"),
            _ => ($"a control character ({code}) at character {at}, which breaks how it is shown",
                $"第{at}个字处含有控制字符（{code}），会破坏显示"),
        };
    }

    /// <summary>
    /// What a character is to whoever reads the text: seen as written, or not — a control, a direction control, invisible,
    /// blank, a stray mark (with nothing to go on), or no character at all.
    /// </summary>
    private enum Ink { Seen, Control, Directional, Invisible, Blank, Stray, NoCharacter }

    /// <summary>
    /// The one classification of characters, by code point (a tag letter is two UTF-16 units): controls (Cc) and the
    /// line and paragraph separators; noncharacters (U+FDD0–U+FDEF and the last two of each plane, never to be
    /// exchanged); the bidirectional embeddings, overrides, isolates and marks; the Hangul fillers and the blank Braille
    /// pattern, letters and symbols to Unicode that show nothing; the format characters (Cf) and the other code points
    /// Unicode says to show as nothing (default-ignorable: the combining grapheme joiner, the Khmer inherent vowels, the
    /// unassigned ones kept for more format characters). Variation selectors are ignorable too, but vary the character
    /// before them: <see cref="FirstHidden"/> judges them by it. Private-use characters pass: a household register may
    /// hold a rare character of a name there, shown with its own font; so do other unassigned code points, which may be
    /// ideographs newer than this runtime's tables.
    /// </summary>
    private static Ink InkOf(Rune r) =>
        Rune.IsControl(r) || r.Value is 0x2028 or 0x2029 ? Ink.Control
        : r.Value is >= 0xFDD0 and <= 0xFDEF || (r.Value & 0xFFFE) == 0xFFFE ? Ink.NoCharacter
        : r.Value is 0x061C or 0x200E or 0x200F or >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069 ? Ink.Directional
        : r.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800 ? Ink.Blank
        : IsVariationSelector(r.Value) ? Ink.Seen
        : Rune.GetUnicodeCategory(r) == UnicodeCategory.Format
            || r.Value is 0x034F or 0x17B4 or 0x17B5 or 0x2065 or 0x16FE4 or >= 0xFFF0 and <= 0xFFF8 or >= 0xE0000 and <= 0xE0FFF ? Ink.Invisible
        : Ink.Seen;

    /// <summary>The variation selectors: the standard ones, the Mongolian free ones and the ideographic supplement.</summary>
    private static bool IsVariationSelector(int value) => value is >= 0xFE00 and <= 0xFE0F or >= 0x180B and <= 0x180D or 0x180F or >= 0xE0100 and <= 0xE01EF;

    private static bool IsMark(Rune r) => Rune.GetUnicodeCategory(r) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>What an accent or a variation selector may go on: a letter, a digit, a punctuation mark or a symbol (not a space, not a control).</summary>
    private static bool IsBase(Rune r) => Rune.GetUnicodeCategory(r) is not (UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate)
        && !IsMark(r) && !IsVariationSelector(r.Value);

    private const int ZeroWidthNonJoiner = 0x200C, ZeroWidthJoiner = 0x200D, WavingBlackFlag = 0x1F3F4, CancelTag = 0xE007F;

    /// <summary>
    /// The first character of <paramref name="text"/> not seen as written — its kind, its code point and its place
    /// (counted in characters, from 1) — or null. An accent (a combining mark) or a variation selector must go on
    /// something: a letter, digit or symbol, or a mark or joiner already on one; a Mongolian variation selector on a
    /// Mongolian letter; and no variation selector on another. A joiner or non-joiner is kept between two letters (or
    /// marks) of a script that needs one to be written (<see cref="Joins"/>). Free text also lets through a newline, a tab
    /// and what emoji are made of.
    /// </summary>
    private static (Ink Ink, int Value, int At)? FirstHidden(string text, bool freeText)
    {
        var at = 0;
        Rune? before = null; // the character before, when it can bear an accent
        for (int i = 0; i < text.Length;)
        {
            at++;
            // Half a surrogate pair is no character at all: it cannot even be written out as UTF-8.
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var r, out var n) != OperationStatus.Done) return (Ink.NoCharacter, text[i], at);
            if (freeText && r.Value == WavingBlackFlag && FlagTagsEnd(text, i + n) is var end and > 0)
            {
                i = end;
                before = r;
                continue;
            }
            var ink = InkOf(r);
            if (ink == Ink.Seen && (IsMark(r) || IsVariationSelector(r.Value)) && !GoesOn(r, before)) return (Ink.Stray, r.Value, at);
            var joins = r.Value is ZeroWidthJoiner or ZeroWidthNonJoiner && Joins(text, i, n);
            if (ink != Ink.Seen && !joins && !(freeText && (r.Value is '\n' or '\t' || (r.Value == ZeroWidthJoiner && NextToEmoji(text, i, n)))))
                return (ink, r.Value, at);
            before = ink == Ink.Seen && (IsBase(r) || IsMark(r) || IsVariationSelector(r.Value)) || joins ? r : null;
            i += n;
        }
        return null;
    }

    /// <summary>Whether an accent or a variation selector has something before it to go on.</summary>
    private static bool GoesOn(Rune mark, Rune? before) =>
        before is { } b && (!IsVariationSelector(mark.Value)
            || (!IsVariationSelector(b.Value) && (mark.Value is not (>= 0x180B and <= 0x180D or 0x180F) || b.Value is >= 0x1820 and <= 0x18AA)));

    /// <summary>
    /// Whether the zero-width joiner or non-joiner at <paramref name="at"/> is part of what a reader sees, as free text keeps
    /// it: inside a word of a script written with one (<see cref="JoinsInScript"/>), or a joiner beside an emoji. Anywhere
    /// else it is invisible, and the chat door drops it (<c>CommandParser.Clean</c>).
    /// </summary>
    public static bool JoinerIsSeen(string text, int at) =>
        text[at] is (char)ZeroWidthJoiner or (char)ZeroWidthNonJoiner
        && (Joins(text, at, 1) || (text[at] == ZeroWidthJoiner && NextToEmoji(text, at, 1)));

    /// <summary>
    /// A joiner or non-joiner between two letters (or combining marks) of a script that needs one to be written as meant:
    /// Persian می‌خواهم keeps its parts apart with a non-joiner, Devanagari क्‍ष shows a half form with a joiner. At the
    /// start or the end, doubled, beside a space, a digit, or letters of a script with no use for it, it only hides.
    /// </summary>
    private static bool Joins(string text, int at, int length) =>
        Rune.DecodeLastFromUtf16(text.AsSpan(0, at), out var previous, out _) == OperationStatus.Done && JoinsInScript(previous)
        && Rune.DecodeFromUtf16(text.AsSpan(at + length), out var next, out _) == OperationStatus.Done && JoinsInScript(next);

    /// <summary>
    /// A letter or mark of a script written with joiners and non-joiners: Arabic (Persian, Urdu, Uyghur…), Syriac, Thaana,
    /// N'Ko and Mandaic; the Indic scripts from Devanagari to Sinhala; Mongolian.
    /// </summary>
    private static bool JoinsInScript(Rune r) =>
        (Rune.IsLetter(r) || IsMark(r))
        && r.Value is >= 0x0600 and <= 0x08FF or >= 0x0900 and <= 0x0DFF or >= 0x1800 and <= 0x18AF or >= 0x1CD0 and <= 0x1CFF
            or >= 0xA8E0 and <= 0xA8FF or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFC;

    /// <summary>
    /// A zero-width joiner beside an emoji is part of an emoji sequence (or what is left of one): it joins nothing a
    /// reader could mistake. Between letters it would split a word (a name) invisibly.
    /// </summary>
    private static bool NextToEmoji(string text, int at, int length)
    {
        var before = at;
        while (before > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, before), out var r, out var n) == OperationStatus.Done)
        {
            if (r.Value is not (0xFE0E or 0xFE0F)) return IsEmoji(r) || After();
            before -= n;
        }
        return After();

        bool After() => Rune.DecodeFromUtf16(text.AsSpan(at + length), out var next, out _) == OperationStatus.Done && IsEmoji(next);
    }

    /// <summary>A pictograph or an emoji skin-tone modifier.</summary>
    private static bool IsEmoji(Rune r) => Rune.GetUnicodeCategory(r) == UnicodeCategory.OtherSymbol || r.Value is >= 0x1F3FB and <= 0x1F3FF;

    /// <summary>
    /// After a waving black flag, the end of the tag letters naming a subdivision (🏴 + g b e n g + cancel tag: England),
    /// or -1: one to six lower-case letters or digits and the cancel tag, so no run of tags can carry hidden text.
    /// </summary>
    private static int FlagTagsEnd(string text, int start)
    {
        int i = start, tags = 0;
        while (Rune.DecodeFromUtf16(text.AsSpan(i), out var r, out var n) == OperationStatus.Done)
        {
            if (r.Value == CancelTag) return tags is >= 1 and <= 6 ? i + n : -1;
            if (r.Value is not (>= 0xE0061 and <= 0xE007A or >= 0xE0030 and <= 0xE0039) || ++tags > 6) return -1;
            i += n;
        }
        return -1;
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
        var written = Written(raw);
        if (Scientific(raw))
            return Failure.Invalid("phone-invalid", "The phone number was saved in scientific notation (1.38123E+10) and has lost its last digits: format the column as text and type the numbers again.",
                $"电话号码无效（{ScientificZh}）。");
        if (MobileMistyped(written))
            return Failure.Invalid("phone-invalid", "The phone number is not valid: a mainland mobile number has 11 digits.", "电话号码无效（手机号码应为11位数字）。");
        var phone = Domestic(written);
        if (!PhonePattern().IsMatch(phone))
            return Failure.Invalid("phone-invalid", "The phone number is not valid (7 to 15 digits).", "电话号码无效（应为7至15位数字）。");
        return phone;
    }

    /// <summary>A typed phone in ASCII (full-width digits and signs read so), without spaces, dots, dashes or brackets.</summary>
    private static string Written(string raw)
    {
        var written = new System.Text.StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            var ascii = c is >= '\uff01' and <= '\uff5e' ? (char)(c - 0xfee0) : c; // full-width forms
            if (ascii is ' ' or '-' or '(' or ')' or '.' or '\u00a0' or '\u3000' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212') continue;
            written.Append(ascii);
        }
        return written.ToString();
    }

    /// <summary>What a refused phone should have been, as a roster problem quoting it says: 手机号码应为11位数字 or 应为7至15位数字.</summary>
    public static string PhoneExpectedZh(string? text) =>
        Scientific((text ?? "").Trim()) ? ScientificZh : MobileMistyped(Written((text ?? "").Trim())) ? "手机号码应为11位数字" : "应为7至15位数字";

    /// <summary>What a number saved in scientific notation has lost, and how to keep it, as a roster problem says it.</summary>
    public const string ScientificZh = "号码被Excel存成了科学计数法，后几位已丢失：请把该列设置为“文本”格式，重新输入号码后再保存";

    /// <summary>
    /// A long number as Excel shows it in a General cell (1.38123E+10) and saves it to CSV: the digits past the sixth
    /// are gone, so no number can be made of it, and the office needs to know why, not only that it is wrong.
    /// </summary>
    public static bool Scientific(string raw) => ScientificNumber().IsMatch(raw.Trim());

    [GeneratedRegex(@"^[0-9]+([.,][0-9]*)?[eE][+]?[0-9]+$")]
    private static partial Regex ScientificNumber();

    /// <summary>
    /// A mainland mobile (1 then 3–9; dialled within China or after +86 / 0086) that has not 11 digits: a digit left out
    /// or typed twice. Kept, it would become the person's key, and the number typed right later a second person.
    /// No landline or area code starts so (Beijing's is 010).
    /// </summary>
    private static bool MobileMistyped(string digits)
    {
        var national = digits.StartsWith("+86", StringComparison.Ordinal) ? digits[3..] : digits.StartsWith("0086", StringComparison.Ordinal) ? digits[4..] : digits;
        return national.Length >= 3 && national[0] == '1' && national[1] is >= '3' and <= '9' && national.All(char.IsAsciiDigit) && national.Length != 11;
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
            return Failure.Invalid("id-invalid", $"The {whatEn} id must be 1–{MaxId} lower-case letters, digits, '-' or '_'.", $"{whatZh}编号只能由小写字母、数字、“-”或“_”组成，最多{MaxId}个字符。");
        return id;
    }
}
