using Scoring.Domain.Lists;

namespace Scoring.Domain.Tests.Lists;

public class MaskingTests
{
    [Theory]
    [InlineData("应天喜", "应*喜")]
    [InlineData("王伟", "王*")]
    [InlineData("李", "*")]
    [InlineData("欧阳娜娜", "欧**娜")]
    [InlineData(" 应天喜 ", "应*喜")]
    [InlineData("𠀀小明", "𠀀*明")] // a character outside the BMP is one character, not two halves
    [InlineData("Ann Lee", "A*****e")]
    [InlineData("Jose\u0301", "J**e\u0301")]            // an accent stays on its letter, not on a star, and hides no letter
    [InlineData("葛\U000E0100飾北斎", "葛\U000E0100**斎")] // an ideograph's variation selector is part of it
    [InlineData("दीपा", "दी*")]                           // a vowel sign is part of its consonant: दी पा, two characters
    [InlineData("", "")]
    [InlineData(null, "")]
    public void The_public_sees_the_first_and_last_character_of_a_name(string? name, string masked) =>
        Assert.Equal(masked, Masking.Name(name));

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData(" 13812345678 ", "138****5678")]
    [InlineData("057985123456", "057*****3456")]
    [InlineData("12345678", "123*5678")]
    [InlineData("1234567", "***4567")]
    [InlineData("1234", "****")]
    [InlineData("12", "**")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void The_public_sees_at_most_the_first_three_and_last_four_digits_of_a_phone(string? phone, string masked) =>
        Assert.Equal(masked, Masking.Phone(phone));

    [Theory]
    [InlineData("John Smith", "J********h")]                 // the space is hidden with the rest
    [InlineData("阿卜杜·热合曼", "阿*****曼")]                  // the middle dot too
    [InlineData("Zoe\u0308", "Z*e\u0308")]                   // ë typed as e + a combining diaeresis is one letter
    [InlineData("e\u0301", "*")]                              // a one-letter name shows nothing, however it is encoded
    [InlineData("李🇨🇳", "李*")]                               // a flag is two regional indicators, one symbol
    [InlineData("张三👍🏽", "张*👍🏽")]                           // an emoji and its skin tone are one symbol
    [InlineData("王❤️", "王*")]                               // a heart and its emoji variation selector
    public void A_name_is_masked_by_what_a_reader_sees_as_one_character_never_splitting_one(string name, string masked) =>
        Assert.Equal(masked, Masking.Name(name));

    [Theory]
    [InlineData("王　伟", "王*")]   // a roster lines a two-character name up with its three-character neighbours
    [InlineData("王 伟", "王*")]
    [InlineData("李·四", "李*")]
    [InlineData("A B", "A*")]
    [InlineData("欧阳 娜娜", "欧***娜")] // three characters or more: the separator is hidden with the rest, as before
    public void A_name_of_two_characters_with_a_space_or_dot_between_them_shows_only_its_first(string name, string masked) =>
        Assert.Equal(masked, Masking.Name(name));

    [Fact]
    public void A_masked_name_never_shows_the_middle()
    {
        foreach (var name in new[] { "应天喜", "欧阳娜娜", "司马相如某" })
        {
            var masked = Masking.Name(name);
            Assert.Equal(name.Length, masked.Length);
            Assert.Equal(new string('*', name.Length - 2), masked[1..^1]);
        }
    }

    [Theory]
    [InlineData("应天乐的记录核实较晚", true)]
    [InlineData("应*乐的记录核实较晚", false)]
    [InlineData("请联系13900000001", true)]
    [InlineData("请联系 139 0000 0001", true)]
    [InlineData("证件号330782199001011234", true)]
    [InlineData("2026-11-17 的两条记录核实较晚", false)] // dates are not phones
    [InlineData("第123456条", false)]
    [InlineData("请联系１３９０００００００１", true)]            // full-width digits, as a Chinese keyboard types them
    [InlineData("请联系139-0000-0001", true)]
    [InlineData("座机0579-85123456", true)]
    [InlineData("证件号３３０７８２１９９００１０１１２３４", true)]
    [InlineData("2026-11-17 - 2026-11-20 的记录", false)]     // a range of dates
    [InlineData("2026-11-17 08:30 补录", false)]
    public void Public_text_gives_a_person_away_by_a_full_name_or_a_long_number(string text, bool givesAway) =>
        Assert.Equal(givesAway, Masking.GivesAwayAPerson(text, ["应天乐", "王"]));

    [Theory]
    [InlineData("请联系138.1234.5678")]            // a mobile number written with dots
    [InlineData("请联系１３８．１２３４．５６７８")] // the same with a Chinese keyboard's full-width digits and dots
    [InlineData("座机(0579) 8512 3456")]          // a landline with its area code in brackets
    [InlineData("座机（0579）8512-3456")]
    public void A_phone_written_with_dots_or_a_bracketed_area_code_gives_a_person_away_too(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("2026/11/17 请联系138/1234/5678")] // a date beside a phone does not hide the phone
    [InlineData("2026-11-17 138-1234-5678")]
    public void A_phone_beside_a_date_gives_a_person_away(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("请联系138/1234/5678")]                // a mobile number written with slashes
    [InlineData("请联系１３８／１２３４／５６７８")]     // the same with a Chinese keyboard's full-width digits and slashes
    [InlineData("请联系138·1234·5678")]                // with middle dots
    [InlineData("请联系138・1234・5678")]              // with the full-width middle dot
    [InlineData("请联系138．1234．5678")]              // with the full-width full stop
    [InlineData("座机0579/8512/3456")]
    public void A_phone_written_with_slashes_or_middle_dots_gives_a_person_away_too(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("2026.11.17 的记录核实较晚")] // a date written with dots is not a phone
    [InlineData("第1.5分的记录")]
    [InlineData("(1) 2026-11-17 补录")]
    [InlineData("第3条（共12条）")]
    [InlineData("2026/11/18 的记录核实较晚")]   // a date written with slashes is not a phone
    [InlineData("2026·11·18 的记录核实较晚")]   // nor one written with middle dots
    [InlineData("第3周数据更正，2026-11-18 录入错误")]
    [InlineData("revision 2: 3 events re-scored")]
    [InlineData("2026/11/17-2026/11/20 期间的巡查记录重复扣分")] // a range of two dates written with slashes
    [InlineData("2026.11.17-2026.11.20 期间的巡查记录重复扣分")] // or with dots, as Chinese notices often write them
    [InlineData("２０２６／１１／１７-２０２６／１１／２０ 期间重复扣分")] // or with a Chinese keyboard's full-width digits
    public void Dates_decimals_and_numbered_brackets_are_not_phones(string text) =>
        Assert.False(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("ann lee 的记录核实较晚")]
    [InlineData("ANN LEE 的记录核实较晚")]
    public void A_Latin_full_name_gives_a_person_away_whatever_its_letter_case(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, ["Ann Lee"]));

    [Theory]
    [InlineData("张 三 丰的记录核实较晚")]
    [InlineData("张·三丰的记录核实较晚")]
    [InlineData("张・三丰的记录核实较晚")]       // the full-width middle dot
    [InlineData("张\u3000三丰的记录核实较晚")]    // a full-width space
    [InlineData("张 · 三 丰的记录核实较晚")]     // several separators in a row
    [InlineData("张.三.丰的记录核实较晚")]
    [InlineData("张-三-丰的记录核实较晚")]
    [InlineData("张/三/丰的记录核实较晚")]
    [InlineData("张_三_丰的记录核实较晚")]
    [InlineData("张\u200B三丰的记录核实较晚")]    // an invisible zero-width space
    public void A_full_name_written_with_separators_between_its_characters_gives_a_person_away(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, ["张三丰"]));

    [Theory]
    [InlineData("阿卜杜热合曼的记录核实较晚")]
    [InlineData("阿卜杜·热合曼的记录核实较晚")]
    [InlineData("阿卜杜・热合曼的记录核实较晚")]
    public void A_name_the_roster_writes_with_a_middle_dot_gives_a_person_away_with_any_separator_or_none(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, ["阿卜杜·热合曼"]));

    [Theory]
    [InlineData("ann·lee 的记录核实较晚", true)]
    [InlineData("Ann  Lee 的记录核实较晚", true)]
    [InlineData("finally 3 events re-scored", false)] // Al Li is not in "finally": a Latin name's words stay words
    [InlineData("A l Li", false)]
    public void A_Latin_full_name_gives_a_person_away_with_any_separator_between_its_words_but_not_inside_them(string text, bool givesAway) =>
        Assert.Equal(givesAway, Masking.GivesAwayAPerson(text, ["Ann Lee", "Al Li"]));

    [Theory]
    [InlineData("应*喜的记录核实较晚")]
    [InlineData("应 * 喜的记录核实较晚")]
    [InlineData("应、天、喜三户的记录核实较晚")] // a list of households, not the name
    [InlineData("第3周数据更正，2026-11-18 录入错误")]
    [InlineData("revision 2: 3 events re-scored")]
    public void A_masked_name_or_an_ordinary_reason_does_not_give_a_person_away(string text) =>
        Assert.False(Masking.GivesAwayAPerson(text, ["应天喜", "王"]));

    [Theory]
    [InlineData("張三豐的记录核实较晚", "张三丰")]
    [InlineData("陳國華的记录核实较晚", "陈国华")]
    [InlineData("應天樂的记录核实较晚", "应天乐")]
    [InlineData("劉偉的记录核实较晚", "刘伟")]
    [InlineData("黃麗紅的记录核实较晚", "黄丽红")]
    [InlineData("謝曉燕的记录核实较晚", "谢晓燕")]
    [InlineData("葉志強的记录核实较晚", "叶志强")]
    [InlineData("鍾漢良的记录核实较晚", "钟汉良")]
    [InlineData("蕭美玲的记录核实较晚", "萧美玲")]
    [InlineData("趙寶貴的记录核实较晚", "赵宝贵")]
    [InlineData("陳国华的记录核实较晚", "陈国华")] // only the surname in traditional characters
    [InlineData("吳 鳳 蘭的记录核实较晚", "吴凤兰")] // traditional and spaced
    [InlineData("陈国华的记录核实较晚", "陳國華")] // the roster in traditional characters, the reason in simplified
    [InlineData("杨丽娟的记录核实较晚", "楊麗娟")]
    [InlineData("邓 志 伟的记录核实较晚", "鄧志偉")]
    public void A_full_name_in_traditional_characters_gives_away_a_person_the_roster_has_in_simplified_and_the_other_way_round(string text, string fullName) =>
        Assert.True(Masking.GivesAwayAPerson(text, [fullName]));

    [Theory]
    [InlineData("陈*华的记录核实较晚", "陳國華")]
    [InlineData("陳*華的记录核实较晚", "陈国华")]
    [InlineData("應*樂的记录核实较晚", "应天乐")]
    [InlineData("陳國的记录核实较晚", "陈国华")]
    public void A_masked_or_partial_name_in_either_script_does_not_give_a_person_away(string text, string fullName) =>
        Assert.False(Masking.GivesAwayAPerson(text, [fullName]));
}

public class MaskingBesideTheListTests
{
    [Theory]
    [InlineData("天喜的一条加分核查较晚", "应天喜")]   // 应*喜 on the list + 天喜 = 应天喜
    [InlineData("天 喜的一条加分核查较晚", "应天喜")]  // however spaced
    [InlineData("應天的一条加分核查较晚", "应天喜")]   // the surname and what the star hides, in traditional characters
    [InlineData("天樂的一条加分核查较晚", "应天乐")]
    [InlineData("建国的一条调解加分经核实撤销", "陈建国")]
    [InlineData("阳娜娜的记录核实较晚", "欧阳娜娜")]   // 欧**娜: the name without its first character
    [InlineData("阳娜的记录核实较晚", "欧阳娜娜")]     // what the stars hide, both of them
    [InlineData("娜娜的记录核实较晚", "欧阳娜娜")]     // the given name after a two-character surname
    public void A_reason_giving_what_the_mask_hides_of_a_listed_name_gives_the_person_away(string text, string listed) =>
        Assert.True(Masking.GivesAwayAPerson(text, [], [listed]));

    [Theory]
    [InlineData("天的记录核实较晚", "应天喜")]        // one character of three: too common to refuse in every reason
    [InlineData("伟的记录核实较晚", "王伟")]          // a two-character name hides one character: only the full name is refused
    [InlineData("应*喜的记录核实较晚", "应天喜")]
    [InlineData("应的记录核实较晚", "应天喜")]
    [InlineData("应*乐的记录核实较晚", "应*乐")]      // a name already masked (an erased person's) hides nothing more
    public void A_single_hidden_character_or_the_masked_name_does_not_give_a_listed_person_away(string text, string listed) =>
        Assert.False(Masking.GivesAwayAPerson(text, [], [listed]));

    [Fact]
    public void What_the_mask_hides_is_refused_only_for_the_names_on_the_list_beside_it() =>
        Assert.False(Masking.GivesAwayAPerson("天喜的一条加分核查较晚", ["应天喜"], []));

    [Theory]
    [InlineData("应某喜（3幢201室）的记录有误")]
    [InlineData("201室的租客返回记录有误")]
    [InlineData("5号楼的一条记录有误")]
    [InlineData("５號樓的一条记录有误")]
    [InlineData("3栋2单元的记录有误")]
    [InlineData("302 室的记录有误")]
    [InlineData("二〇一室的记录有误")]               // a room in Chinese numerals
    [InlineData("201号房的记录有误")]
    public void A_room_or_building_by_its_number_gives_a_person_away(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("一栋楼的巡查记录重复扣分")]          // a count of buildings, not a building
    [InlineData("11月20号的记录核实较晚")]            // a date's 号 is no building
    [InlineData("办公室核查较晚")]
    [InlineData("三室两厅的出租登记有误")]
    public void A_count_a_date_or_an_office_is_no_room(string text) =>
        Assert.False(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("联系电话一三九〇〇〇〇〇〇〇一")]
    [InlineData("联系电话幺三九零零零零零零零幺")]
    [InlineData("联系电话一三九 〇〇〇〇 〇〇〇一")]
    [InlineData("身份证号三三〇七八二一九八〇〇一〇一一二三四")]
    [InlineData("联系电话139〇〇〇〇〇〇〇1")]        // digits and numerals mixed
    public void A_phone_or_identity_number_written_in_Chinese_numerals_gives_a_person_away(string text) =>
        Assert.True(Masking.GivesAwayAPerson(text, []));

    [Theory]
    [InlineData("二〇二六年十一月十七日的记录核实较晚")]
    [InlineData("第一二三条记录重复")]
    [InlineData("一条核查较晚的记录")]
    public void Chinese_numerals_of_a_date_or_a_count_are_no_phone(string text) =>
        Assert.False(Masking.GivesAwayAPerson(text, []));
}
