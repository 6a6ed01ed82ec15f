namespace Scoring.Bot.Protocol;

/// <summary>
/// What one message may carry on a channel. A connector refuses a message past them (Teams answers 413 MessageSizeTooBig,
/// Telegram and Twilio a 400) and the outbox gives it up, so the person reads nothing: <see cref="ReplyFitting"/> sends
/// such a reply in parts instead. Limits differ per channel only where the channels really differ.
/// </summary>
/// <param name="MaxBytes">
/// The activity's JSON, counted as the larger of its UTF-8 bytes and its UTF-16 bytes. Teams documents its limit over
/// the payload in UTF-16 (40 KB for years, now 100 KB with 80 KB advised); offline Direct Line refuses bodies over
/// 100 kB of UTF-8; Direct Line takes 300K characters. 40,000 passes all of them, Chinese text (3 bytes in UTF-8) included.
/// </param>
/// <param name="MaxTextLength">Characters of text in one message, counted in UTF-16 units (an emoji is two), when the channel caps them.</param>
/// <param name="Cards">Whether Adaptive Cards are shown; where they are not, their text is sent as text (their buttons' commands can be typed).</param>
/// <param name="MaxButtonValueBytes">UTF-8 bytes a button's value may have, when the channel caps them.</param>
/// <param name="MaxTextBytes">UTF-8 bytes of text in one message, when the channel counts a character by its bytes.</param>
public sealed record ChannelLimits(int MaxBytes, int? MaxTextLength, bool Cards, int? MaxButtonValueBytes = null, int? MaxTextBytes = null)
{
    /// <summary>Teams, Web Chat, Direct Line, the Emulator and any channel not named below.</summary>
    public static readonly ChannelLimits Default = new(40_000, null, Cards: true);

    private static readonly Dictionary<string, ChannelLimits> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        // sendMessage takes 1–4,096 characters of text; the channel has no Adaptive Cards (Input.Text cannot be typed into).
        // A button's value becomes an inline button's callback_data, 1–64 bytes: one longer (返回 and a long tenant's name)
        // has Telegram refuse the whole message (400 BUTTON_DATA_INVALID).
        ["telegram"] = Default with { MaxTextLength = 4096, Cards = false, MaxButtonValueBytes = 64 },
        // Twilio's Messages resource takes a body of up to 1,600 characters (error 21617 past it), where a character outside
        // GSM-7 counts as several "if it has a higher byte count": Chinese is held to 1,600 bytes (533 characters), still
        // eight SMS segments of 67. Cards become an image at best.
        ["sms"] = Default with { MaxTextLength = 1600, MaxTextBytes = 1600, Cards = false },
        // Slack asks clients to keep a message to 4,000 characters (it truncates at 40,000); Adaptive Cards are not Block Kit.
        ["slack"] = Default with { MaxTextLength = 4000, Cards = false },
    };

    public static ChannelLimits For(string? channelId) =>
        channelId is not null && Named.TryGetValue(channelId, out var limits) ? limits : Default;
}
