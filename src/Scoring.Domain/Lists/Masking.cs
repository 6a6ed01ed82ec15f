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
    /// not, nor a range of two such dates, 2026/11/17-2026/11/20; full-width digits count; the brackets around an area code are read past), or one of
    /// <paramref name="fullNames"/> (two characters or more, in any letter case, however spaced: see <see cref="Names"/>).
    /// </summary>
    public static bool GivesAwayAPerson(string text, IEnumerable<string> fullNames)
    {
        int run = 0, grouped = 0;
        // A whole date (2026/11/17, 2026.11.17, 2026-11-17) is no phone, and ends a group: two of them written as a range
        // would otherwise make sixteen digits in groups.
        foreach (var c in WholeDate.Replace(text, "#"))
        {
            if (System.Globalization.CharUnicodeInfo.GetDecimalDigitValue(c) >= 0)
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
        return fullNames.Any(n => Names(text, n));
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
