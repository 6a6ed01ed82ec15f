using Scoring.Application;

namespace Scoring.Application.Tests.Rosters;

public class RosterTextTests
{
    [Theory]
    [InlineData("13900000001", "13900000001")]
    [InlineData("139 0000 0001", "13900000001")]
    [InlineData("139-0000-0001", "13900000001")]
    [InlineData("139.0000.0001", "13900000001")]
    [InlineData("+8613900000001", "13900000001")]
    [InlineData("+86 139 0000 0001", "13900000001")]
    [InlineData("(+86) 139-0000-0001", "13900000001")]
    [InlineData("008613900000001", "13900000001")]
    [InlineData("8613900000001", "13900000001")]
    [InlineData("１３９０００００００１", "13900000001")]            // typed with a Chinese input method's full-width digits
    [InlineData("＋８６　１３９－００００－０００１", "13900000001")]
    [InlineData("（０２１）１２３４５６７８", "02112345678")]
    [InlineData("+86 21 12345678", "02112345678")]
    [InlineData("+86 (0)21 12345678", "02112345678")]
    [InlineData("+86 (0)139 0000 0001", "13900000001")]             // a mobile has no trunk 0, whatever the habit of landlines
    [InlineData("+86 755 12345678", "075512345678")]
    [InlineData("021-12345678", "02112345678")]
    [InlineData("+85291234567", "+85291234567")]                    // Hong Kong: kept with its country code
    [InlineData("+1 212 555 0100", "+12125550100")]
    [InlineData("8612345", "8612345")]                              // a short number starting with 86 is not a country code
    public void A_phone_is_kept_as_it_is_dialled_at_home_whichever_way_it_was_typed(string typed, string kept)
    {
        var phone = RosterText.Phone(typed);
        Assert.True(phone.Succeeded, phone.Failure?.English);
        Assert.Equal(kept, phone.Value);
    }

    [Theory]
    [InlineData("400-810-8888", "4008108888")]
    [InlineData("+86 400 810 8888", "4008108888")]
    [InlineData("0086 400 810 8888", "4008108888")]
    [InlineData("+86 800 810 8888", "8008108888")]
    public void A_400_or_800_service_number_after_the_country_code_is_the_number_dialled_at_home_without_a_trunk_zero(string typed, string kept) =>
        Assert.Equal(kept, RosterText.Phone(typed).Value);

    [Theory]
    [InlineData("not a phone")]
    [InlineData("139000")]
    [InlineData("+86")]
    [InlineData("1390000000１2345678")]
    [InlineData("13900000001 ext 5")]
    public void A_phone_that_is_not_a_number_is_refused(string typed) =>
        Assert.Equal("phone-invalid", RosterText.Phone(typed).Failure?.Code);

    [Theory]
    [InlineData("1390000009")]          // a digit left out
    [InlineData("139 0000 00011")]      // a digit typed twice
    [InlineData("+86 139 0000 009")]
    [InlineData("0086 1390000000")]
    public void A_mainland_mobile_without_its_eleven_digits_is_refused_saying_so(string typed)
    {
        var phone = RosterText.Phone(typed);
        Assert.Equal("phone-invalid", phone.Failure?.Code);
        Assert.Contains("11", phone.Failure!.Chinese, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_phone_is_none() => Assert.Null(RosterText.Phone("  ").Value);

    [Theory]
    [InlineData("\u202e已核实,不扣分")]             // a right-to-left override: the reader sees it reversed
    [InlineData("情况属实\u202a123\u202c")]         // an embedding
    [InlineData("\u2067租客已返回\u2069")]          // an isolate
    [InlineData("\u200e无照片")]                    // a left-to-right mark
    [InlineData("\u200b")]                          // a zero-width space: a reason nobody sees
    [InlineData("无照片\ufeff证据")]                 // a byte-order mark
    [InlineData("应\u200d喜")]                      // a joiner between letters, not in an emoji
    [InlineData("无\u00ad照片")]                    // a soft hyphen
    [InlineData("ok\U000E0041\U000E0042")]         // tag letters outside a flag carry text nobody sees
    [InlineData("无照片\u0000")]
    [InlineData("响铃\u0007")]
    [InlineData("\u001b[31m红色")]                   // a terminal escape
    [InlineData("下一行\u0085第二行")]               // a C1 control
    public void Free_text_that_would_read_reordered_or_hide_text_is_refused(string typed)
    {
        var text = RosterText.Text(typed, "reason", "reason", "原因");
        Assert.Equal("text-control", text.Failure?.Code);
        Assert.Contains("reason", text.Failure!.English);
        Assert.Contains("原因", text.Failure.Chinese);
        Assert.Equal("reason", text.Failure.Field);
    }

    [Fact]
    public void Free_text_with_half_a_surrogate_pair_is_refused_as_it_cannot_be_written_out() // not a theory's data: that would arrive mended
    {
        Assert.Equal("text-control", RosterText.Text("半个\ud83d字", "reason", "reason", "原因").Failure?.Code);
        Assert.Equal("name-control", RosterText.Name("张\udc00").Failure?.Code);
    }

    [Theory]
    [InlineData("邻居吵架已调解好了👨\u200d👩\u200d👧")]        // a family: joiners inside an emoji sequence
    [InlineData("🏳\ufe0f\u200d🌈 好")]
    [InlineData("👩🏽\u200d💻 帮忙填表")]
    [InlineData("🏃\u200d♀\ufe0f 跑步去的")]
    [InlineData("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F 英格兰")] // a flag of tag letters
    [InlineData("👍\u200d")]                                   // a joiner left over from an emoji
    [InlineData("第一行\n第二行")]
    [InlineData("名单\t照片")]
    [InlineData("阿卜杜·热合曼 ١٢٣ שלום")]                       // other scripts read in their own direction without a control
    public void Free_text_keeps_emoji_sequences_newlines_and_tabs_as_they_were_typed(string typed)
    {
        var text = RosterText.Text(typed, "evidence", "evidence", "说明");
        Assert.True(text.Succeeded, text.Failure?.English);
        Assert.Equal(typed, text.Value);
    }

    [Fact]
    public void Free_text_reads_a_windows_or_old_mac_line_break_as_one_newline_and_is_trimmed() =>
        Assert.Equal("一\n二\n三", RosterText.Text("  一\r\n二\r三\r\n ", "evidence", "evidence", "说明").Value);

    [Theory]
    [InlineData("\U000E0041")]  // a tag letter: invisible, as a zero-width space is
    [InlineData("张\u200d三")]
    public void A_name_refuses_invisible_characters_outside_the_basic_plane_and_joiners_too(string typed) =>
        Assert.Equal("name-control", RosterText.Name(typed).Failure?.Code);

    [Theory]
    [InlineData("20\u200b3", "room-control")]
    [InlineData("\u202e302", "room-control")]
    [InlineData("20\n3", "room-control")]
    public void A_room_refuses_control_and_invisible_characters_as_a_name_does(string typed, string code) =>
        Assert.Equal(code, RosterText.Room(typed).Failure?.Code);

    [Theory]
    [InlineData("\u3164")]              // a Hangul filler: a letter to Unicode, blank on the list
    [InlineData("\u115f")]              // the Hangul choseong filler
    [InlineData("\u1160")]              // the Hangul jungseong filler
    [InlineData("\uffa0")]              // the half-width Hangul filler
    [InlineData("\u2800")]              // a blank Braille pattern: a symbol to Unicode, blank on the list
    [InlineData("\u3164\u3164 \u2800")]
    [InlineData("\u3164张三\u3164")]     // padding trimming does not take off
    [InlineData("张\u2800三")]
    public void A_name_of_characters_that_show_blank_or_padded_with_them_is_refused(string typed)
    {
        var name = RosterText.Name(typed);
        Assert.Equal("name-control", name.Failure?.Code);
        Assert.Contains("姓名", name.Failure!.Chinese);
    }

    [Theory]
    [InlineData("\u3164")]
    [InlineData("情况属实\u2800\u2800\u2800\u2800")]
    [InlineData("\uffa0无照片")]
    public void Free_text_refuses_characters_that_show_blank_as_it_refuses_invisible_ones(string typed)
    {
        var text = RosterText.Text(typed, "evidence", "evidence", "说明");
        Assert.Equal(("text-control", "evidence"), (text.Failure?.Code, text.Failure?.Field));
        Assert.Contains("U+", text.Failure!.English);
    }

    [Theory]
    [InlineData("علی\u200cاکبر")]                 // Persian: a non-joiner between the parts of a name
    [InlineData("मोहन\u200dलाल")]                 // Devanagari: a joiner between letters
    [InlineData("क्\u200dष")]                      // a joiner after a virama (a combining mark)
    [InlineData("क्\u200cष")]
    [InlineData("ܐܒ\u200dܓ")]                      // Syriac
    [InlineData("ᠮᠣ\u200dᠩᠭ")]                  // Mongolian
    public void A_name_keeps_a_joiner_or_non_joiner_between_letters_of_a_script_that_needs_it(string typed)
    {
        var name = RosterText.Name(typed);
        Assert.True(name.Succeeded, name.Failure?.English);
        Assert.Equal(typed, name.Value);
    }

    [Theory]
    [InlineData("می\u200cخواهم به خانه بروم")]    // Persian: "I want to go home", the non-joiner inside a word
    [InlineData("क्\u200dष और क्\u200cष")]
    [InlineData("租客说 می\u200cخواهم")]
    public void Free_text_keeps_a_joiner_or_non_joiner_inside_a_word_of_a_script_that_needs_it(string typed)
    {
        var text = RosterText.Text(typed, "evidence", "evidence", "说明");
        Assert.True(text.Succeeded, text.Failure?.English);
        Assert.Equal(typed, text.Value);
    }

    [Theory]
    [InlineData("\u200cمی")]                       // at the start: it joins nothing
    [InlineData("می\u200c")]                       // at the end
    [InlineData("می\u200c\u200cخواهم")]             // doubled
    [InlineData("می\u200c\u200dخواهم")]
    [InlineData("می \u200cخواهم")]                 // next to a space
    [InlineData("می\u200c خواهم")]
    [InlineData("a\u200cb")]                        // between letters of a script that has no use for it
    [InlineData("می\u200cb")]
    [InlineData("张\u200c三")]
    [InlineData("म\u200c1")]                        // next to a digit
    public void A_joiner_or_non_joiner_that_joins_no_letters_of_such_a_script_is_still_refused_in_names_and_text(string typed)
    {
        Assert.Equal("name-control", RosterText.Name(typed).Failure?.Code);
        Assert.Equal("text-control", RosterText.Text(typed, "evidence", "evidence", "说明").Failure?.Code);
    }

    [Theory]
    [InlineData("\u0301")]                          // an accent with nothing under it
    [InlineData("\u0301\u0301\u0301")]
    [InlineData("张 \u0301")]                       // on a space
    [InlineData("\ufe0f")]                          // a variation selector with nothing to vary
    [InlineData("张\ufe0f\ufe0f")]                  // one varying another
    [InlineData("张 \U000E0100")]
    [InlineData("\u034f")]                          // a combining grapheme joiner: default-ignorable, shows nothing
    [InlineData("张\u034f三")]
    [InlineData("张\u17b4三")]                      // a Khmer inherent vowel: shows nothing
    [InlineData("张\u180b三")]                      // a Mongolian variation selector after no Mongolian letter…
    [InlineData("张\U000E0080三")]                  // unassigned in the tag block: shows nothing
    [InlineData("张\U000E0001三")]                  // the language tag
    [InlineData("张\u2065三")]                      // unassigned among the invisible operators
    [InlineData("张\ufff0三")]
    [InlineData("张\u180e三")]                      // the Mongolian vowel separator, outside Mongolian
    [InlineData("张\u2028三")]                      // a line separator: a line break in a name
    [InlineData("张\u2029三")]
    public void A_name_refuses_marks_with_nothing_to_mark_and_what_shows_nothing_though_Unicode_does_not_call_it_a_format_character(string typed) =>
        Assert.Equal("name-control", RosterText.Name(typed).Failure?.Code);

    [Theory]
    [InlineData("Jose\u0301")]                      // a decomposed accent
    [InlineData("Nguyê\u0303n")]
    [InlineData("葛\U000E0100")]                    // an ideographic variation sequence (a name's glyph)
    [InlineData("♥\ufe0f店")]
    [InlineData("ᠮ\u180b")]                         // a Mongolian variation selector after a Mongolian letter
    [InlineData("张\u3000三")]                      // an ideographic space inside is a space
    public void A_name_keeps_marks_and_variation_selectors_on_a_letter_or_symbol(string typed)
    {
        var name = RosterText.Name(typed);
        Assert.True(name.Succeeded, name.Failure?.English);
        Assert.Equal(typed, name.Value);
    }

    [Fact]
    public void Noncharacters_are_refused_in_names_and_text_as_they_are_no_characters_at_all() // not a theory's data: it may not arrive as sent
    {
        foreach (var typed in new[] { "张\ufffe", "张\uffff三", "\ufdd0", "张\ufdef", "张\U0001FFFE", "张\U0010FFFF" })
        {
            Assert.Equal("name-control", RosterText.Name(typed).Failure?.Code);
            Assert.Equal("text-control", RosterText.Text(typed, "evidence", "evidence", "说明").Failure?.Code);
            Assert.Equal("room-control", RosterText.Room(typed).Failure?.Code);
        }
    }

    [Fact]
    public void Free_text_reads_a_unicode_line_or_paragraph_separator_as_a_newline() =>
        Assert.Equal("一\n二\n三", RosterText.Text("一\u2028二\u2029三", "evidence", "evidence", "说明").Value);

    [Theory]
    [InlineData("\u0301无照片")]                    // a mark on nothing
    [InlineData("无照片\n\u0301")]
    [InlineData("\ufe0f")]
    [InlineData("无照片\u034f")]
    [InlineData("无照片\U000E0080")]
    public void Free_text_refuses_marks_with_nothing_to_mark_and_characters_that_show_nothing(string typed) =>
        Assert.Equal("text-control", RosterText.Text(typed, "evidence", "evidence", "说明").Failure?.Code);

    [Fact]
    public void A_refused_name_says_which_character_and_where()
    {
        var name = RosterText.Name("张\u3164三", "tenant's name", "租客姓名");
        Assert.Contains("U+3164", name.Failure!.English);
        Assert.Contains("tenant's name", name.Failure.English);
        Assert.Contains("U+3164", name.Failure.Chinese);
        Assert.Contains("租客姓名", name.Failure.Chinese);
    }
}
