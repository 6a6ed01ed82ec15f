using System.Text.RegularExpressions;
using Scoring.Domain;

namespace Scoring.Bot.Conversations;

/// <summary>
/// The other ways a landlord names a tenant than the full name: by room (101, 101房, 101的), by 小王/老王, or inside the
/// first phrase of a spoken sentence (帮王小明办了居住证); and the tenant's button, with the room (王小明（101）).
/// </summary>
internal static partial class TenantRooms
{
    /// <summary>A tenant's button and how it is told apart: the name, with the room when one is kept (王小明（101）).</summary>
    public static string Label(Tenant t) => t.Room?.Trim() is { Length: > 0 } room ? $"{t.Name.Trim()}（{room}）" : t.Name.Trim();

    /// <summary>What follows a tenant's name, without the room their button shows after it (王小明（101）).</summary>
    public static string After(Tenant t, string after)
    {
        if (t.Room?.Trim() is not { Length: > 0 } room || after.Length < room.Length + 2 || after[0] is not ('（' or '(')) return after;
        var close = after.AsSpan(1);
        if (!close.StartsWith(room, StringComparison.OrdinalIgnoreCase) || close[room.Length] is not ('）' or ')')) return after;
        return Names.AfterName(after[(room.Length + 2)..]);
    }

    // A room as written at the start of the line: letters and digits (A101, 3-101), then 房/室/房间/号房 and 的, each optional.
    // Never followed by what makes the number a time or a day (8点, 17日).
    [GeneratedRegex(@"^(?<room>[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*)\s*(?:房间|号房|房|室)?的?(?![0-9A-Za-z点时分月日号年天:：.])", RegexOptions.CultureInvariant)]
    private static partial Regex RoomLead();

    /// <summary>The tenants of the room the line starts with (one or several) and the rest; null when it names no room of theirs.</summary>
    public static (string Room, IReadOnlyList<Tenant> Tenants, string After)? Named(IReadOnlyList<Tenant> tenants, string text)
    {
        var m = RoomLead().Match(text.TrimStart());
        if (!m.Success) return null;
        var room = m.Groups["room"].Value;
        if (!room.Any(char.IsAsciiDigit)) return null;
        var theirs = tenants.Where(t => RoomOf(t) is { } r && r.Equals(room, StringComparison.OrdinalIgnoreCase)).ToList();
        if (theirs.Count == 0) return null;
        var after = Names.AfterName(text.TrimStart()[m.Length..]);
        // 101的王小明: the name after the room picks one of them.
        if (theirs.Count > 1 && Names.Lead(theirs, t => t.Name, after) is { } named) return (room, [named.Item], named.After);
        return (room, theirs, after);
    }

    /// <summary>The room as kept, without the 房/室 an office may have written after it.</summary>
    private static string? RoomOf(Tenant t) => t.Room?.Trim().TrimEnd('房', '室', '号') is { Length: > 0 } r ? r : null;

    /// <summary>
    /// 小王 or 老王 at the start of the line (alone, or run into a time or a verb: 小王昨天回来): the tenants surnamed 王, the
    /// word and the rest; null when it is no such word or none is surnamed so.
    /// </summary>
    public static (string Word, IReadOnlyList<Tenant> Tenants, string After)? Nickname(IReadOnlyList<Tenant> tenants, string text)
    {
        var line = text.TrimStart();
        if (line.Length < 2 || line[0] is not ('小' or '老') || !Names.IsCjk(line[1]) || char.IsPunctuation(line[1])) return null;
        var next = line.AsSpan(2);
        if (next.Length > 0 && !char.IsWhiteSpace(next[0]) && !char.IsPunctuation(next[0]) && !Names.FollowsName(next)) return null;
        var surname = line[1];
        var theirs = tenants.Where(t => t.Name.TrimStart() is { Length: >= 2 } n && n[0] == surname).ToList();
        return theirs.Count == 0 ? null : (line[..2], theirs, Names.AfterName(line[2..]));
    }

    /// <summary>
    /// The tenants whose whole names stand inside the line's first phrase, not at its start (帮王小明办了居住证, 给王小明代购…):
    /// a sentence as it is spoken. Empty when none does.
    /// </summary>
    public static IReadOnlyList<Tenant> Inside(IReadOnlyList<Tenant> tenants, string text)
    {
        var line = text.TrimStart();
        var end = line.AsSpan().IndexOfAny(PhraseEnds);
        var phrase = end < 0 ? line : line[..end];
        if (phrase.Length < 3) return [];
        return tenants.Where(t => t.Name.Trim() is { Length: >= 2 } n && phrase.IndexOf(n, 1, StringComparison.OrdinalIgnoreCase) > 0).ToList();
    }

    private static readonly char[] PhraseEnds = [' ', '\u3000', ',', '，', '、', '。', '.', ';', '；', '!', '！', '?', '？', ':', '：'];
}
