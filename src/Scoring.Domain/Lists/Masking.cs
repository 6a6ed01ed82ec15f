namespace Scoring.Domain.Lists;

/// <summary>What the public may see of a person: 应天喜 → 应*喜, 13812345678 → 138****5678.</summary>
public static class Masking
{
    /// <summary>
    /// The first and last of what a reader sees as one character (a grapheme cluster: 𠀀, ë written as e and a combining
    /// mark, a flag, an emoji with its skin tone), every other one a star: half a character would show a stray mark, or
    /// give away the letter of a one-letter name.
    /// </summary>
    public static string Name(string? name)
    {
        var chars = Graphemes((name ?? "").Trim());
        // 王　伟 (a roster's way of lining up a two-character name) or 李·四 is two characters of name, not three: shown
        // first and last, it would be shown whole. Counted by what is name, so a separator never stands in for a hidden one.
        var letters = chars.Where(c => !(c.Length == 1 && IsSeparator(c[0]))).ToArray();
        if (letters.Length <= 2) chars = letters;
        return chars.Length switch
        {
            0 => "",
            1 => "*",
            2 => chars[0] + "*",
            _ => chars[0] + new string('*', chars.Length - 2) + chars[^1],
        };
    }

    private static string[] Graphemes(string text)
    {
        var parts = new List<string>();
        var each = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        while (each.MoveNext()) parts.Add(each.GetTextElement());
        return [.. parts];
    }

    public static string Phone(string? phone)
    {
        var p = (phone ?? "").Trim();
        if (p.Length <= 4) return new string('*', p.Length);
        if (p.Length < 8) return new string('*', p.Length - 4) + p[^4..];
        return p[..3] + new string('*', p.Length - 7) + p[^4..];
    }

    /// <summary>
    /// Whether text meant for the public (a correction's reason) gives a person away: a phone or an identity-card number
    /// (seven digits or more in one run, or eleven or more in groups split by spaces, dashes, dots, slashes or middle dots — a date's eight are
    /// not, nor a range of two such dates, 2026/11/17-2026/11/20; full-width digits count, and so do the Chinese numerals
    /// 〇零一二三四五六七八九幺 people write a number in to get it past a filter; the brackets around an area code are read past),
    /// a room or building by its number (<see cref="Room"/>), one of <paramref name="fullNames"/> (two characters or more,
    /// in any letter case, however spaced: see <see cref="Names"/>; a shop's name too, which names its head), or what the
    /// mask hides of one of <paramref name="listed"/>, the names on the list the text is read beside (<see cref="HiddenParts"/>).
    /// </summary>
    public static bool GivesAwayAPerson(string text, IEnumerable<string> fullNames, IEnumerable<string>? listed = null)
    {
        int run = 0, grouped = 0;
        // A whole date (2026/11/17, 2026.11.17, 2026-11-17) is no phone, and ends a group: two of them written as a range
        // would otherwise make sixteen digits in groups.
        foreach (var c in WholeDate.Replace(text, "#"))
        {
            if (IsDigit(c))
            {
                if (++run >= 7 || ++grouped >= 11) return true;
            }
            else if (c is '(' or ')' or '（' or '）')
            {
                // (0579) 8512 3456: the brackets of an area code are read past, as if they were not there
            }
            else if (run > 0 && c is ' ' or '-' or '.' or '/' or '·' or '\u3000' or '－' or '．' or '／' or '・' or '･')
            {
                run = 0; // one separator between digits keeps the group: 139-0000-0001, 139 0000 0001, 139.0000.0001, 139/0000/0001, 139·0000·0001
            }
            else
            {
                run = 0;
                grouped = 0; // two in a row, or anything else, ends it: "2026-11-17 - 2026-11-20" is two dates
            }
        }
        if (Room.IsMatch(text)) return true;
        return fullNames.Any(n => Names(text, n)) || (listed ?? []).SelectMany(HiddenParts).Any(part => Names(text, part));
    }

    /// <summary>A digit as a phone or an identity number may be written: 0-9 of any script, or a Chinese numeral digit (幺 is 一 read out in a phone number).</summary>
    private static bool IsDigit(char c) =>
        System.Globalization.CharUnicodeInfo.GetDecimalDigitValue(c) >= 0 || c is '〇' or '零' or '一' or '二' or '三' or '四' or '五' or '六' or '七' or '八' or '九' or '幺';

    /// <summary>
    /// A room or building by its number — 3幢, 201室, 5号楼, 2单元, 201号房 — which names who lives or lets there. In digits, or
    /// two Chinese numerals or more (二〇一室): one alone before 栋 or 室 is a count (一栋楼, 三室两厅), and 号 alone is a date's.
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex Room = new(
        @"(?:\d+|[〇零一二三四五六七八九幺]{2,})\s*(?:幢|栋|棟|号楼|號樓|单元|單元|室|号房|號房)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// What, read beside <paramref name="name"/> masked on a list (应*喜, 欧**娜), fills in its stars: each run of the name's
    /// characters that holds every hidden one and is two characters or more (应天喜: 应天, 天喜; 欧阳娜娜: 阳娜, 欧阳娜, 阳娜娜),
    /// and the given name after a two-character surname (欧阳娜娜: 娜娜; the stars already tell how long the name is). A
    /// two-character name hides one character (王伟 → 王*): that character alone is in too many words to refuse in every
    /// text, so only the full name gives it away. A name already masked (an erased person's) hides nothing more.
    /// </summary>
    public static IEnumerable<string> HiddenParts(string name)
    {
        if (name.Contains('*')) yield break;
        var chars = Graphemes(name.Trim());
        // Where each character of the name is, separators left out; a run keeps the separators inside it (Ann Lee: "nn Le").
        var letters = Enumerable.Range(0, chars.Length).Where(i => !(chars[i].Length == 1 && IsSeparator(chars[i][0]))).ToArray();
        var n = letters.Length;
        if (n < 3) yield break;
        string Run(int from, int to) => string.Concat(chars[letters[from]..(letters[to] + 1)]);
        foreach (var from in new[] { 0, 1 })
            foreach (var to in new[] { n - 2, n - 1 })
                if (!(from == 0 && to == n - 1) && to - from >= 1) yield return Run(from, to);
        if (n >= 4) yield return Run(2, n - 1);
    }

    /// <summary>A year, month and day split by one separator used twice, digits not running on either side.</summary>
    private static readonly System.Text.RegularExpressions.Regex WholeDate = new(
        @"(?<!\d)\d{4}([-./·・･．／－])\d{1,2}\1\d{1,2}(?!\d)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// Whether <paramref name="text"/> holds <paramref name="fullName"/> (two characters or more), however it is spaced:
    /// between Chinese characters any run of separators or none (张 三 丰, 张·三丰, 张　三丰 name 张三丰; 阿卜杜热合曼 names
    /// 阿卜杜·热合曼); between the words of a Latin name one separator or more, inside a word none (so Al Li is not in "finally").
    /// Whatever the letter case: "ann lee" names Ann Lee as well (Chinese has no case, so this changes nothing there).
    /// </summary>
    private static bool Names(string text, string fullName)
    {
        // The name's own characters, and after each whether the name had a separator there.
        var chars = new List<char>();
        var spacedAfter = new List<bool>();
        foreach (var c in fullName)
        {
            if (!IsSeparator(c)) { chars.Add(Fold(c)); spacedAfter.Add(false); }
            else if (chars.Count > 0) spacedAfter[^1] = true;
        }
        if (chars.Count < 2) return false;

        for (var start = 0; start < text.Length; start++)
        {
            for (int i = start, k = 0; i < text.Length && Fold(text[i]) == chars[k]; )
            {
                if (++k == chars.Count) return true;
                var separators = 0;
                for (i++; i < text.Length && IsSeparator(text[i]); i++) separators++;
                if ((IsWordy(chars[k - 1]) || IsWordy(chars[k])) && (separators > 0) != spacedAfter[k - 1]) break;
            }
        }
        return false;
    }

    /// <summary>What may stand between the characters of a name without changing whose it is: spaces (the full-width one too),
    /// middle dots (·, ・, ･), dots, dashes, slashes, underscores, and invisible characters such as a zero-width space.</summary>
    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c) || c is '·' or '・' or '･' or '‧' or '•' or '.' or '．' or '-' or '－' or '/' or '／' or '_' or '＿'
        || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;

    /// <summary>A letter of a script that spaces its words (Latin, Greek, Cyrillic: those with a letter case) or a digit.</summary>
    private static bool IsWordy(char c) => char.IsUpper(c) || char.IsLower(c) || char.IsDigit(c);

    /// <summary>One form of a character for comparing names: upper case, and simplified for the traditional characters of <see cref="Simplified"/>.</summary>
    private static char Fold(char c) => Simplified.TryGetValue(c, out var s) ? s : char.ToUpperInvariant(c);

    /// <summary>
    /// Traditional → simplified, for the characters that occur in Chinese personal names: surnames first, then common
    /// characters of given names. It exists because a name written in traditional characters (張三豐, 陳國華) names the same
    /// person as the roster's simplified 张三丰, 陈国华 (and the other way round: both sides are folded to simplified). It is
    /// NOT a full converter: a name character missing here compares only as itself, so add its pair if one is found missing.
    /// </summary>
    private static readonly Dictionary<char, char> Simplified = (
        "陳陈 張张 劉刘 黃黄 吳吴 趙赵 孫孙 鄭郑 馮冯 鄧邓 許许 蕭萧 葉叶 鍾钟 鐘钟 盧卢 蘇苏 謝谢 楊杨 馬马 羅罗 韓韩 呂吕 賈贾 " +
        "閻阎 譚谭 鄒邹 陸陆 顧顾 龍龙 萬万 錢钱 湯汤 喬乔 賀贺 賴赖 龔龚 應应 歐欧 陽阳 諸诸 聞闻 嚴严 莊庄 溫温 韋韦 鄔邬 鄺邝 " +
        "關关 區区 塗涂 費费 車车 駱骆 單单 華华 紀纪 蔣蒋 鮑鲍 壽寿 藍蓝 黨党 畢毕 遲迟 聶聂 練练 項项 範范 魯鲁 饒饶 樂乐 閔闵 " +
        "衛卫 龐庞 寧宁 闞阚 簡简 東东 軒轩 轅辕 離离 麥麦 鈕钮 婁娄 談谈 " +
        "偉伟 國国 軍军 強强 輝辉 麗丽 紅红 豔艳 艷艳 鳳凤 蘭兰 靜静 傑杰 濤涛 鵬鹏 飛飞 寶宝 貴贵 財财 發发 興兴 榮荣 勝胜 義义 " +
        "禮礼 賢贤 嬌娇 潔洁 瑩莹 穎颖 夢梦 嬋婵 蓮莲 愛爱 歡欢 慶庆 祿禄 順顺 達达 連连 進进 運运 遠远 誠诚 詩诗 語语 銘铭 鋒锋 " +
        "鋼钢 錦锦 鐵铁 銀银 長长 開开 雙双 靈灵 韻韵 顏颜 風风 駿骏 騰腾 鴻鸿 鶴鹤 齊齐 亞亚 儀仪 優优 兒儿 億亿 劍剑 勁劲 勛勋 " +
        "勳勋 園园 圓圆 堅坚 壯壮 奮奋 嫻娴 學学 實实 寬宽 嶺岭 帥帅 師师 廣广 彥彦 懷怀 揚扬 書书 楓枫 業业 樹树 橋桥 漢汉 濱滨 " +
        "瀟潇 為为 煒炜 燦灿 爾尔 瑋玮 環环 璽玺 碩硕 禎祯 紹绍 維维 綺绮 絢绚 繼继 綠绿 聖圣 聰聪 聲声 蔭荫 藝艺 覺觉 詠咏 謙谦 " +
        "豐丰 貞贞 贊赞 農农 鄉乡 釗钊 鈞钧 鈺钰 銳锐 錫锡 鎮镇 韜韬 頌颂 領领 顯显 馳驰 驊骅 驍骁 鵑鹃 鶯莺 鷹鹰 齡龄 滿满 潤润 " +
        "澤泽 濟济 瀾澜 瑤瑶 傳传 倫伦 剛刚 協协 啟启 嵐岚 愷恺 憲宪 曉晓 曄晔 權权 櫻樱 燁烨 瓊琼 禕祎 純纯 絲丝 綿绵 緣缘 譽誉 " +
        "貝贝 賓宾 賜赐 鈴铃 銓铨 錚铮 顥颢 颯飒 駒驹 騏骐 驥骥 鳴鸣 鸞鸾 蘊蕴 薈荟 瓏珑 璣玑 瀅滢 灝灏 鍇锴 霽霁 靄霭 頡颉 驪骊 " +
        "鸝鹂 鷺鹭 蕓芸 薔蔷 雲云").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToDictionary(pair => pair[0], pair => pair[1]);
}
