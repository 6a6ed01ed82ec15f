using System.Text.Json;
using CsCheck;
using Scoring.Bot.Conversations;

namespace Scoring.Bot.Tests.Conversations;

public sealed class CommandParserTests
{
    public static TheoryData<string, Verb, string> Commands() => new()
    {
        { "绑定 AB12CD34", Verb.Bind, "AB12CD34" },
        { "bind AB12CD34", Verb.Bind, "AB12CD34" },
        { "BIND ab12cd34", Verb.Bind, "ab12cd34" },
        { "返回 王小明 今天 14:00", Verb.Return, "王小明 今天 14:00" },
        { "return 王小明 today 14:00", Verb.Return, "王小明 today 14:00" },
        { "代办 王小明 复工备案", Verb.Service, "王小明 复工备案" },
        { "service 王小明 shopping", Verb.Service, "王小明 shopping" },
        { "违规 饰品店 未登记开门", Verb.Violation, "饰品店 未登记开门" },
        { "violation 饰品店 opened", Verb.Violation, "饰品店 opened" },
        { "调解 邻里纠纷", Verb.Mediate, "邻里纠纷" },
        { "mediate a quarrel", Verb.Mediate, "a quarrel" },
        { "复工 汽配一号店", Verb.Reopen, "汽配一号店" },
        { "reopen 汽配一号店", Verb.Reopen, "汽配一号店" },
        { "巡查", Verb.Round, "" },
        { "round", Verb.Round, "" },
        { "积分", Verb.Score, "" },
        { "score", Verb.Score, "" },
        { "score?", Verb.Score, "" },
        { "/score@scoring_bot", Verb.Score, "" },                        // Telegram's command to one bot in a group
        { "/return@scoring_bot 王小明 today 14:00", Verb.Return, "王小明 today 14:00" },
        { "积分？", Verb.Score, "" },
        { "榜单", Verb.List, "" },
        { "list", Verb.List, "" },
        { "帮助", Verb.Help, "" },
        { "help", Verb.Help, "" },
        { "/help", Verb.Help, "" },
        { "/start", Verb.Help, "" },
        { "/start AB12CD34", Verb.Bind, "AB12CD34" },                  // a Telegram deep link, t.me/<bot>?start=AB12CD34
        { "/start@scoring_bot AB12CD34", Verb.Bind, "AB12CD34" },
        { "?", Verb.Help, "" },
        { "取消", Verb.Cancel, "" },
        { "cancel", Verb.Cancel, "" },
        { "扣分 应天乐 未按时消毒楼道等公共区域 3楼", Verb.Deduct, "应天乐 未按时消毒楼道等公共区域 3楼" },
        { "deduct 应天乐 corridor-not-disinfected 3rd floor", Verb.Deduct, "应天乐 corridor-not-disinfected 3rd floor" },
        { "待核查", Verb.Pending, "" },
        { "pending", Verb.Pending, "" },
        { "通过 K7M2Q9X4A", Verb.Approve, "K7M2Q9X4A" },
        { "approve K7M2Q9X4A", Verb.Approve, "K7M2Q9X4A" },
        { "驳回 K7M2Q9X4A 材料不全", Verb.Reject, "K7M2Q9X4A 材料不全" },
        { "reject K7M2Q9X4A not enough evidence", Verb.Reject, "K7M2Q9X4A not enough evidence" },
        { "积分。", Verb.Score, "" },
        { "  返回\u3000王小明\u3000昨天  ", Verb.Return, "王小明 昨天" },
        { "ｓｃｏｒｅ", Verb.Score, "" },
        // Dictation puts a comma (or a full stop) after the first word spoken: a separator, as a space is.
        { "返回，王小明，昨天晚上八点。", Verb.Return, "王小明，昨天晚上八点。" },
        { "返回。王小明 昨天晚上8点", Verb.Return, "王小明 昨天晚上8点" },
        { "返回、王小明 昨天", Verb.Return, "王小明 昨天" },
        { "代办！王小明 帮他买菜", Verb.Service, "王小明 帮他买菜" },
        { "违规? 王小明 楼道抽烟", Verb.Violation, "王小明 楼道抽烟" },
        { "return, 王小明 today", Verb.Return, "王小明 today" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Reads_every_command_in_either_language(string text, Verb verb, string rest)
    {
        var command = CommandParser.Parse(text);
        Assert.Equal(verb, command.Verb);
        Assert.Equal(rest, command.Rest);
        Assert.False(command.Glued);
    }

    [Theory]
    [InlineData("返回王小明 今天", Verb.Return, "王小明 今天")]
    [InlineData("通过K7M2Q9X4A", Verb.Approve, "K7M2Q9X4A")]
    [InlineData("待核查了吗", Verb.Pending, "了吗")]
    public void Chinese_verbs_may_run_into_their_argument(string text, Verb verb, string rest)
    {
        var command = CommandParser.Parse(text);
        Assert.Equal((verb, rest, true), (command.Verb, command.Rest, command.Glued));
    }

    // Phones set to 繁體, and Cantonese or Taiwanese keyboards, write the command words in traditional characters.
    [Theory]
    [InlineData("積分", Verb.Score, "")]
    [InlineData("綁定 AB12CD34", Verb.Bind, "AB12CD34")]
    [InlineData("幫助", Verb.Help, "")]
    [InlineData("違規 王小明 夜間喧嘩", Verb.Violation, "王小明 夜間喧嘩")]
    [InlineData("調解 鄰里糾紛", Verb.Mediate, "鄰里糾紛")]
    [InlineData("代辦 王小明 復工備案", Verb.Service, "王小明 復工備案")]
    [InlineData("駁回 K7M2Q9X4A 材料不全", Verb.Reject, "K7M2Q9X4A 材料不全")]
    [InlineData("撤銷 K7M2Q9X4A 誤報", Verb.Revoke, "K7M2Q9X4A 誤報")]
    [InlineData("待審核", Verb.Pending, "")]
    [InlineData("發佈 上週", Verb.Publish, "上週")]
    [InlineData("紅黑榜", Verb.List, "")]
    public void Traditional_characters_of_a_command_word_read_as_the_simplified_word(string text, Verb verb, string rest)
    {
        var command = CommandParser.Parse(text);
        Assert.Equal((verb, rest, (string?)null), (command.Verb, command.Rest, command.Meant));
    }

    // A write is never run on a guess: the line as meant is offered (a button), the command stays unknown.
    [Theory]
    [InlineData("反回 王小明 昨天", "返回 王小明 昨天")]
    [InlineData("返会 王小明 昨天", "返回 王小明 昨天")]
    [InlineData("返 回 王小明 昨天", "返回 王小明 昨天")]
    [InlineData("返 回王小明 昨天", "返回 王小明 昨天")]
    [InlineData("带办 王小明 买菜", "代办 王小明 买菜")]
    [InlineData("帶辦 王小明 買菜", "代办 王小明 買菜")]
    [InlineData("待办", "代办")]
    [InlineData("调节 邻里纠纷", "调解 邻里纠纷")]
    [InlineData("代 办 王小明", "代办 王小明")]
    public void A_misheard_or_split_command_word_of_a_write_is_only_offered(string text, string meant)
    {
        var command = CommandParser.Parse(text);
        Assert.Equal((Verb.Unknown, meant), (command.Verb, command.Meant));
    }

    // A read changes nothing: a guess at one is answered, as an answer in a step would be (Glued) while one is under way.
    [Theory]
    [InlineData("基分", Verb.Score)]
    [InlineData("鸡分", Verb.Score)]
    [InlineData("积 分", Verb.Score)]
    [InlineData("查积分", Verb.Score)]
    [InlineData("我要看积分", Verb.Score)]
    [InlineData("我的分数是多少", Verb.Score)]
    [InlineData("看看红黑榜", Verb.List)]
    [InlineData("刚才搞错了", Verb.Mistake)]
    public void A_read_guessed_or_named_inside_a_short_message_is_read(string text, Verb verb)
    {
        var command = CommandParser.Parse(text);
        Assert.Equal((verb, true), (command.Verb, command.Glued));
    }

    [Theory]
    [InlineData("我想查积分和扣分")]                 // two command words: which one is meant is not guessed
    [InlineData("上周帮王小明办了居住证积分没加上去")]   // a long sentence is not a question about the score
    [InlineData("我想知道积分和榜单")]               // the score and the list: two reads
    public void A_message_with_a_command_word_inside_is_not_guessed_at_when_it_could_mean_more(string text) =>
        Assert.Equal(Verb.Unknown, CommandParser.Parse(text).Verb);

    [Theory]
    [InlineData("撤回")]
    [InlineData("搞错了")]
    [InlineData("报错了！")]
    [InlineData("弄错了")]
    [InlineData("撤回 M7E18YMZE")]
    [InlineData("undo")]
    public void Saying_a_report_was_wrong_is_its_own_command(string text) => Assert.Equal(Verb.Mistake, CommandParser.Parse(text).Verb);

    [Theory]
    [InlineData("今天天气不错")]
    [InlineData("王小明")]
    [InlineData("returning soon")]
    [InlineData("2026-11-16 08:30")]
    public void Anything_else_is_unknown(string text) => Assert.Equal(Verb.Unknown, CommandParser.Parse(text).Verb);

    // Format characters come with text pasted from a web page or a forwarded message and are not seen: a command or a code
    // that looks right is read as it looks.
    [Theory]
    [InlineData("\u200B积分")]
    [InlineData("\uFEFF积分")]
    [InlineData("积\u200D分")]
    [InlineData("积\u2060分")]
    [InlineData("积\u00AD分")]
    [InlineData("\u200E积分\u200F")]
    [InlineData("积\u200C分")]
    public void Format_characters_do_not_break_a_command(string text)
    {
        var command = CommandParser.Parse(text);
        Assert.Equal((Verb.Score, "积分"), (command.Verb, command.Text));
    }

    [Fact]
    public void A_code_pasted_with_a_zero_width_space_or_joiner_is_read_without_it()
    {
        Assert.Equal("AB12CD34", CommandParser.Parse("绑定 AB12CD34\u200B").Rest);
        Assert.Equal("AB12CD34", CommandParser.Parse("绑定 \uFEFFAB\u200D12CD34").Rest);
    }

    [Theory]
    [InlineData("已帮租客买菜👨\u200D👩\u200D👧")]           // a family: emoji joined by ZWJ
    [InlineData("跑步🏃\u200D♀\uFE0F回来了")]               // a woman running: emoji, ZWJ, a BMP sign, variation selector
    [InlineData("❤\uFE0F\u200D🔥")]                         // a heart on fire
    [InlineData("همسایه\u200Cها آشتی کردند")]                 // Persian writes some words with a non-joiner
    public void A_joiner_that_is_part_of_what_is_seen_is_kept(string note) => Assert.Equal(note, CommandParser.Clean(note));

    // Not dropped: the text would be kept in an order its writer never saw. A note's is refused saying why (RosterText.Text).
    [Fact]
    public void Every_control_character_is_dropped_and_a_line_break_or_tab_is_a_space()
    {
        foreach (var c in Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(char.IsControl))
            Assert.Equal(c is '\n' or '\r' or '\t' ? "积分 明细" : "积分明细", CommandParser.Clean($"积分{c}明细"));
    }

    [Fact]
    public void A_direction_override_is_not_dropped_unseen() => Assert.Contains('\u202E', CommandParser.Clean("调解 \u202e好和已家两"));

    [Fact]
    public void Text_without_format_characters_comes_back_as_the_same_instance()
    {
        var text = "返回 王小明 今天 14:00";
        Assert.Same(text, CommandParser.Clean(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t\r\n ")]
    public void Nothing_is_empty(string? text) => Assert.Equal(Verb.Empty, CommandParser.Parse(text).Verb);

    [Fact]
    public void Card_submits_become_approve_or_reject_with_the_typed_reason()
    {
        var approve = ConversationHandler.FromCard(JsonSerializer.SerializeToElement(new { action = "approve", id = "K7M2Q9X4A", reason = "" }));
        Assert.Equal((Verb.Approve, "K7M2Q9X4A"), (approve.Verb, approve.Rest));
        var reject = ConversationHandler.FromCard(JsonSerializer.SerializeToElement(new { action = "reject", id = "K7M2Q9X4A", reason = "材料 不全" }));
        Assert.Equal((Verb.Reject, "K7M2Q9X4A 材料 不全"), (reject.Verb, reject.Rest));
        Assert.Equal(Verb.Unknown, ConversationHandler.FromCard(JsonSerializer.SerializeToElement(new { action = "explode" })).Verb);
        Assert.Equal(Verb.Unknown, ConversationHandler.FromCard(JsonSerializer.SerializeToElement(new[] { 1, 2 })).Verb);
        Assert.Equal(Verb.Score, ConversationHandler.FromCard(JsonSerializer.SerializeToElement("积分")).Verb);
    }

    [Fact]
    public void No_exception_escapes_the_parser_whatever_arrives()
    {
        var words = Gen.OneOf<string>("绑定", "返回", "代办", "违规", "调解", "复工", "巡查", "积分", "榜单", "帮助", "取消", "扣分", "待核查", "通过", "驳回",
            "bind", "return", "approve", "reject", "/", "?", "\u3000", "\uD800", "\u0000", "ｓｃｏｒｅ", "。", " ");
        var text = Gen.OneOf(
            Gen.String,
            Gen.String[0, 300],
            Gen.Select(words.Array[0, 6], Gen.String[0, 20]).Select((w, s) => string.Join(" ", w) + s),
            Gen.Char.Array[0, 50].Select(chars => new string(chars)));
        text.Sample(t =>
        {
            var command = CommandParser.Parse(t);
            Assert.NotNull(command.Rest);
            Assert.NotNull(command.Words);
            Assert.True(command.Rest.Length <= (t?.Length ?? 0) * 3 + 1);
        }, iter: 5000);
    }

    [Fact]
    public void No_exception_escapes_reading_card_values()
    {
        var field = Gen.OneOf(Gen.String[0, 30], Gen.OneOf<string>("approve", "reject", "", "APPROVE"));
        Gen.Select(field, field, field).Sample((action, id, reason) =>
        {
            var command = ConversationHandler.FromCard(JsonSerializer.SerializeToElement(new { action, id, reason }));
            Assert.True(command.Verb is Verb.Approve or Verb.Reject or Verb.Unknown or Verb.Empty);
        }, iter: 2000);
    }
}
