using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Scoring.Bot.Protocol;

/// <summary>
/// Makes every outgoing message one its channel takes (<see cref="ChannelLimits"/>): a message too long is sent as several,
/// in order, each answering the same activity, split between lines; cards go after the text, as many to a message as fit;
/// the buttons come with the last part, under everything said. Where a channel shows no Adaptive Cards, a card's text
/// (its text blocks and facts) is sent as text. Nothing is cut: an id, a status, points or a balance are in one of the parts.
/// </summary>
public static class ReplyFitting
{
    /// <summary>
    /// The messages to send for <paramref name="activities"/>, in their order; the same list when all of them fit (nearly
    /// always: a short reply is only counted, never serialised here).
    /// </summary>
    public static IReadOnlyList<Activity> Fit(IReadOnlyList<Activity> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        List<Activity>? fitted = null;
        for (int i = 0; i < activities.Count; i++)
        {
            var parts = Parts(activities[i]);
            if (parts is null)
            {
                fitted?.Add(activities[i]);
                continue;
            }
            fitted ??= activities.Take(i).ToList();
            fitted.AddRange(parts);
        }
        return fitted ?? activities;
    }

    /// <summary>An activity's parts, or null when it fits as it is.</summary>
    private static List<Activity>? Parts(Activity a)
    {
        var limits = ChannelLimits.For(a.ChannelId);
        var hidden = !limits.Cards && HasCard(a.Attachments);
        var overlong = Overlong(a.SuggestedActions, limits);
        if (!hidden && !overlong && Fits(a, limits)) return null;

        var text = a.Text ?? "";
        var attachments = a.Attachments ?? [];
        if (hidden)
        {
            var cards = string.Join("\n\n", attachments.Where(IsCard).Select(CardText).Where(t => t.Length > 0));
            text = text.Length == 0 ? cards : cards.Length == 0 ? text : text + "\n\n" + cards;
            attachments = attachments.Where(x => !IsCard(x)).ToList();
        }
        var buttons = a.SuggestedActions;
        if (overlong)
        {
            // A button the channel cannot carry is left out (the text says what to type); the others stay.
            // A loop, not a lambda: one capturing limits would allocate its closure on every call, fitting or not.
            var kept = new List<CardAction>();
            foreach (var b in buttons!.Actions)
                if (Fitting(b, limits)) kept.Add(b);
            buttons = kept.Count == 0 ? null : new SuggestedActions { To = buttons.To, Actions = kept, Extra = buttons.Extra };
        }
        var skeleton = Copy(a);
        skeleton.Text = null;
        skeleton.Attachments = null;
        skeleton.SuggestedActions = null;
        if (text.Length > 0) skeleton.TextFormat ??= "plain";
        // Every part is counted as if it carried the buttons (only the last does): a part never outgrows the limit for them.
        var room = limits.MaxBytes - Bytes(ActivityJson.Serialize(skeleton)) - (buttons is null ? 0 : Bytes(JsonSerializer.Serialize(buttons, ActivityJson.Options))) - Slack;

        var parts = new List<Activity>();
        foreach (var piece in Split(text, limits.MaxTextLength ?? int.MaxValue, room, limits.MaxTextBytes ?? int.MaxValue))
        {
            var part = Copy(skeleton);
            part.Text = piece;
            parts.Add(part);
        }
        foreach (var attachment in attachments)
        {
            var size = Bytes(JsonSerializer.Serialize(attachment, ActivityJson.Options)) + 2;
            var last = parts.Count > 0 ? parts[^1] : null;
            if (last is null || Bytes(ActivityJson.Serialize(last)) - Bytes(ActivityJson.Serialize(skeleton)) + size > room)
            {
                // A card too big for any message still goes, alone: the connector's refusal is logged with its size.
                last = Copy(skeleton);
                last.TextFormat = null;
                parts.Add(last);
            }
            (last.Attachments ??= []).Add(attachment);
        }
        if (parts.Count == 0)
        {
            // Nothing left to read (a card of inputs only, where cards are not shown): a message without text is refused
            // (Telegram: message text is empty) and dead-lettered. With buttons, a line to put them under; else nothing.
            if (buttons is null) return parts;
            var choose = Copy(skeleton);
            choose.Text = a.Locale?.StartsWith("zh", StringComparison.OrdinalIgnoreCase) == false ? "Choose:" : "请选择：";
            choose.TextFormat ??= "plain";
            parts.Add(choose);
        }
        foreach (var part in parts)
        {
            if (part.Attachments is null) part.AttachmentLayout = null;
            part.Withheld = a.Withheld; // a copy is made through JSON, which never carries it
        }
        parts[^1].SuggestedActions = buttons;
        return parts;
    }

    // Asked of every message with buttons on such a channel (twice a turn, once inside the writer): it allocates nothing.
    private static bool Overlong(SuggestedActions? buttons, ChannelLimits limits)
    {
        if (limits.MaxButtonValueBytes is null || buttons is not { Actions.Count: > 0 }) return false;
        var actions = buttons.Actions;
        for (int i = 0; i < actions.Count; i++)
            if (!Fitting(actions[i], limits)) return true;
        return false;
    }

    private static bool Fitting(CardAction button, ChannelLimits limits)
    {
        if (limits.MaxButtonValueBytes is not { } max || button.Value is not { } value) return true;
        // The value as written in the JSON: a string's escaped form (quoted) is never shorter than its text, so one within
        // the limit as written fits, and only a longer one (Chinese is often written \uXXXX) is unescaped to be counted,
        // on the stack.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (value.ValueKind != JsonValueKind.String) return raw.Length <= max;
        if (raw.Length - 2 <= max) return true;
        if (raw.Length > MaxUnescapedOnStack) return Encoding.UTF8.GetByteCount(value.GetString()!) <= max;
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        Span<byte> text = stackalloc byte[raw.Length];
        return reader.CopyString(text) <= max;
    }

    private const int MaxUnescapedOnStack = 1024;

    /// <summary>Room kept for the text's own property name and quotes, and for rounding.</summary>
    private const int Slack = 64;

    private static bool Fits(Activity a, ChannelLimits limits)
    {
        var length = a.Text?.Length ?? 0;
        if (length > limits.MaxTextLength) return false;
        if (limits.MaxTextBytes is { } most && length * 3L > most && Encoding.UTF8.GetByteCount(a.Text!) > most) return false;
        // A character costs at most 12 bytes in the JSON (an escape, \uXXXX, counted in UTF-16); the rest of a short reply
        // (ids, accounts, a dozen buttons) is far below 8 KB: such a reply fits without being serialised to be measured.
        if (a.Attachments is not { Count: > 0 } && length * 12L + 8192 <= limits.MaxBytes) return true;
        return Bytes(ActivityJson.Serialize(a)) <= limits.MaxBytes;
    }

    /// <summary>What a message's JSON counts against a limit: the larger of its UTF-8 and its UTF-16 bytes.</summary>
    public static int Bytes(string json) => Math.Max(Encoding.UTF8.GetByteCount(json), json.Length * 2);

    /// <summary>
    /// Text in pieces of at most <paramref name="maxLength"/> characters, <paramref name="maxTextBytes"/> bytes of UTF-8 and
    /// <paramref name="maxBytes"/> bytes of JSON, cut between lines (the line break between two pieces is the break between
    /// two messages). A line longer than a piece fills the piece it starts in and as many more as it needs, the lines
    /// after it joining its last; it is cut between characters as the reader sees them (an emoji with its joiners, a
    /// letter with its marks), unless one alone is longer than a message, which is cut between code points.
    /// </summary>
    internal static List<string> Split(string text, int maxLength, int maxBytes, int maxTextBytes = int.MaxValue)
    {
        var pieces = new List<string>();
        if (text.Length == 0) return pieces;
        var piece = new StringBuilder();
        int bytes = 0, utf8 = 0;
        void Flush()
        {
            if (piece.Length > 0) pieces.Add(piece.ToString());
            piece.Clear();
            bytes = 0;
            utf8 = 0;
        }
        foreach (var line in text.Split('\n'))
        {
            var cost = Cost(line) + NewLine;
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (line.Length <= maxLength && cost <= maxBytes && size <= maxTextBytes)
            {
                if (piece.Length > 0 && (piece.Length + 1 + line.Length > maxLength || bytes + cost > maxBytes || utf8 + size > maxTextBytes)) Flush();
                if (piece.Length > 0) piece.Append('\n');
                piece.Append(line);
                bytes += cost;
                utf8 += size;
                continue;
            }
            // One line longer than a message: measured as it goes, one character (text element) at a time.
            var lineBreak = piece.Length > 0;
            for (int at = 0; at < line.Length;)
            {
                var rest = line.AsSpan(at);
                var unit = rest[..StringInfo.GetNextTextElementLength(rest)];
                if (piece.Length == 0 && !Within(unit, 0, 0, 0, maxLength, maxBytes, maxTextBytes))
                    unit = rest[..(char.IsHighSurrogate(rest[0]) && rest.Length > 1 && char.IsLowSurrogate(rest[1]) ? 2 : 1)];
                var unitChars = unit.Length + (lineBreak ? 1 : 0);
                var unitBytes = Encoding.UTF8.GetByteCount(unit) + (lineBreak ? 1 : 0);
                var unitCost = Cost(unit) + (lineBreak ? NewLine : 0);
                if (piece.Length > 0 && (piece.Length + unitChars > maxLength || bytes + unitCost > maxBytes || utf8 + unitBytes > maxTextBytes))
                {
                    Flush();
                    lineBreak = false; // the break between the line before and this one is the break between two messages
                    continue;
                }
                if (lineBreak) piece.Append('\n');
                lineBreak = false;
                piece.Append(unit);
                bytes += unitCost;
                utf8 += unitBytes;
                at += unit.Length;
            }
        }
        Flush();
        return pieces;
    }

    /// <summary>Whether <paramref name="unit"/> fits a piece already holding the given characters and bytes.</summary>
    private static bool Within(ReadOnlySpan<char> unit, int length, int bytes, int utf8, int maxLength, int maxBytes, int maxTextBytes) =>
        length + unit.Length <= maxLength && bytes + Cost(unit) <= maxBytes && utf8 + Encoding.UTF8.GetByteCount(unit) <= maxTextBytes;

    private const int NewLine = 4; // "\n" escaped, in UTF-16
    private const int MaxCharCost = 12;

    private static int Cost(ReadOnlySpan<char> line)
    {
        // Printable ASCII but the quote and the backslash is written as it is: two bytes a character in UTF-16.
        var plain = true;
        foreach (var c in line)
            if (c is < ' ' or > '~' or '"' or '\\') { plain = false; break; }
        if (plain) return line.Length * 2;
        try
        {
            var encoded = JsonEncodedText.Encode(line, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
            return Math.Max(encoded.EncodedUtf8Bytes.Length, encoded.Value.Length * 2);
        }
        catch (ArgumentException)
        {
            return line.Length * MaxCharCost; // a lone surrogate: counted at the most any character costs
        }
    }

    private static bool HasCard(List<Attachment>? attachments)
    {
        if (attachments is null) return false;
        for (int i = 0; i < attachments.Count; i++)
            if (IsCard(attachments[i])) return true;
        return false;
    }

    private static bool IsCard(Attachment a) => a.ContentType == Reply.AdaptiveCardContentType && a.Content is not null;

    /// <summary>A card's text as lines: its text blocks, and its facts as "title: value". Inputs and buttons have none to read.</summary>
    internal static string CardText(Attachment card)
    {
        var lines = new List<string>();
        Collect(card.Content!.Value, lines);
        return string.Join("\n", lines);
    }

    private static void Collect(JsonElement element, List<string> lines)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) Collect(item, lines);
            return;
        }
        if (element.ValueKind != JsonValueKind.Object) return;
        switch (Str(element, "type"))
        {
            case "TextBlock" when Str(element, "text") is { Length: > 0 } text:
                lines.Add(text);
                return;
            case "FactSet" when element.TryGetProperty("facts", out var facts) && facts.ValueKind == JsonValueKind.Array:
                foreach (var fact in facts.EnumerateArray())
                {
                    var title = Str(fact, "title") ?? "";
                    lines.Add(title.Length == 0 ? Str(fact, "value") ?? "" : title + (title.Any(c => c >= '\u2E80') ? "：" : ": ") + Str(fact, "value"));
                }
                return;
        }
        // A card, a container or a column set: what it holds, in order.
        foreach (var name in (ReadOnlySpan<string>)["body", "items", "columns"])
            if (element.TryGetProperty(name, out var inner)) Collect(inner, lines);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A copy to make a part of (a reply is split rarely: the serialiser's round trip copies every field, unknown ones too).</summary>
    private static Activity Copy(Activity a) => ActivityJson.Parse(ActivityJson.Serialize(a))!;
}
