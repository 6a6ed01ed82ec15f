using Scoring.Domain;

namespace Scoring.Bot.Conversations;

/// <summary>
/// The sentence a landlord speaks instead of the 返回 command — 王小明昨天晚上八点回来了, 我家租客王小明昨天晚上八点回来了 —
/// read as the command it means: the tenant it starts with and the time said before the return word (or after it).
/// </summary>
internal static class SpokenReturn
{
    // The words a return is said with. 回来了 holds 来了, but 回来 stands first.
    private static readonly string[] ReturnWords = ["回来", "返回", "回到", "到了", "到的", "到达", "到家", "来了"];

    // How the sentence may begin before the tenant's name; the longest first.
    private static readonly string[] Leads = ["我家的租客", "我家租客", "我的租客", "我家的房客", "我家房客", "我的房客", "租客", "房客", "我家"];

    // Words before the time that are not the time (王小明是昨天…到的, 已经回来了).
    private static readonly string[] Fillers = ["已经", "是", "已", "于", "在"];

    private static readonly char[] Marks = [' ', ',', '，', '、', '。', '.', '!', '！', '?', '？', ':', '：', '了', '的'];

    /// <summary>Whether the text says a return at all: a string test, before any tenant list is read.</summary>
    public static bool Says(string text)
    {
        foreach (var word in ReturnWords)
            if (text.Contains(word, StringComparison.Ordinal)) return true;
        return text.TrimEnd(Marks).EndsWith('到');
    }

    /// <summary>The 返回 line the sentence means (返回 王小明 昨天晚上八点), with the tenant; null when it names none of theirs or says no return.</summary>
    public static (Tenant Tenant, string Line)? Read(IReadOnlyList<Tenant> tenants, string text)
    {
        var line = text.Trim();
        foreach (var lead in Leads)
        {
            if (!line.StartsWith(lead, StringComparison.Ordinal)) continue;
            line = line[lead.Length..].TrimStart(' ', ',', '，', '、', ':', '：');
            break;
        }
        // The name at the start, whole (张伟 is not 张伟华回来了), or a word of its own later in the line.
        if (Names.Person(tenants, t => t.Name, line) is not { Sure: true } found) return null;
        var after = TenantRooms.After(found.Item, found.After);
        var (at, length) = FirstReturnWord(after);
        if (at < 0 && !after.TrimEnd(Marks).EndsWith('到')) return null;
        if (at < 0) (at, length) = (after.TrimEnd(Marks).Length - 1, 1);
        var when = Time(after[..at]);
        if (when.Length == 0) when = Time(after[(at + length)..]);
        // 刚回来: 刚 alone is the 刚刚 the arrival question offers.
        if (when == "刚") when = "刚刚";
        return (found.Item, when.Length == 0 ? $"返回 {found.Item.Name.Trim()}" : $"返回 {found.Item.Name.Trim()} {when}");
    }

    private static (int At, int Length) FirstReturnWord(string text)
    {
        (int At, int Length) first = (-1, 0);
        foreach (var word in ReturnWords)
        {
            var at = text.IndexOf(word, StringComparison.Ordinal);
            if (at >= 0 && (first.At < 0 || at < first.At)) first = (at, word.Length);
        }
        return first;
    }

    /// <summary>The time in a piece of the sentence: without the marks around it and the words before it that are not the time.</summary>
    private static string Time(string piece)
    {
        var time = piece.Trim(Marks);
        foreach (var filler in Fillers)
            if (time.StartsWith(filler, StringComparison.Ordinal)) time = time[filler.Length..].TrimStart(Marks);
        return time;
    }
}
