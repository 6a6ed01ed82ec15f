using System.Text.RegularExpressions;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>The chat's Chinese, its own sentences and the refusals it passes on, punctuated alike.</summary>
public sealed partial class ChineseWordingTests
{
    [Fact]
    public async Task Chinese_replies_and_refusals_in_chat_use_full_width_punctuation_next_to_Chinese_words()
    {
        await using var world = await ChatWorld.CreateAsync();
        var replies = new List<string> { ChatWorld.ActivityText(await world.SayAsync("stranger", "绑定 WRONG1")) };
        await world.BindAsync("landlord-1");
        for (int i = 0; i < 4; i++) replies.Add(ChatWorld.ActivityText(await world.SayAsync("landlord-1", $"代办 王小明 买菜第{i + 1}次")));
        replies.Add(ChatWorld.ActivityText(await world.SayAsync("landlord-1", "返回 王小明 今天 10:00")));
        replies.Add(ChatWorld.ActivityText(await world.SayAsync("landlord-1", "积分")));
        replies.Add(ChatWorld.ActivityText(await world.SayAsync("landlord-1", "帮助")));
        await world.BindAsync("secretary-fangtang");
        replies.Add(ChatWorld.ActivityText(await world.SayAsync("secretary-fangtang", "待核查")));

        Assert.Contains(replies, r => r.Contains("绑定码不正确"));
        Assert.Contains(replies, r => r.Contains("每周最多3次"));
        Assert.Contains(replies, r => r.Contains("到达时间晚于现在"));
        // 14:00 in a command to type, 2026-W47 and ids keep their ASCII; a comma, colon or bracket touching a Chinese word does not.
        Assert.All(replies, r => Assert.DoesNotMatch(AsciiNextToChinese(), r));
    }

    [GeneratedRegex(@"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][,:;()!?]|[,:;()!?][\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")]
    private static partial Regex AsciiNextToChinese();
}
