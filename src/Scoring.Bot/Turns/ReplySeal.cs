using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Scoring.Bot.Protocol;

namespace Scoring.Bot.Turns;

/// <summary>
/// Keeps a reply that carries a secret (an enrolment code, <see cref="Withheld"/>) out of the database in clear: where the
/// reply is kept (the activity's recorded replies, for a redelivery; the outbox, to be sent later, maybe by another
/// instance), its text is <see cref="Withheld.Instead"/> and the text itself is sealed beside it (AES-GCM, bound to the
/// conversation) under a key derived from the bot's app password — every instance holds it, the database and its
/// backups do not. Opened just before it goes to the channel or back to a redelivery; what cannot be opened (another
/// app password since, unless the one before is kept as <c>Bot:PreviousAppPassword</c>; or no password: Development and
/// Testing, where the key is the instance's own, gone with a restart) goes out as <see cref="Withheld.Instead"/>, which
/// says what to do. Admin views read the kept text: Instead.
/// </summary>
public sealed class ReplySeal(Scoring.Application.AppSecret secret)
{
    /// <summary>The kept activity's property holding the sealed text (extension data: nothing else reads it).</summary>
    internal const string Property = "scoringSealedText";

    // Sealed with the first (the current password's); opened with each in turn (the previous password's, during a rotation).
    private readonly IReadOnlyList<byte[]> keys = secret.KeysFor("scoring chat replies kept sealed") is { Count: > 0 } derived ? derived : [RandomNumberGenerator.GetBytes(32)];

    /// <summary>
    /// The activity as it is kept: itself when it withholds nothing (nearly always), else a copy whose text is
    /// <see cref="Withheld.Instead"/> with the text sealed beside it.
    /// </summary>
    public Activity Sealed(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Withheld is not { } withheld || activity.Text is not { } text || !withheld.IsIn(text)) return activity;
        var kept = ActivityJson.Parse(ActivityJson.Serialize(activity))!;
        kept.Text = withheld.Instead;
        (kept.Extra ??= [])[Property] = JsonSerializer.SerializeToElement(Seal(text, BindingOf(activity)));
        return kept;
    }

    /// <summary>Whether any of <paramref name="activities"/> withholds something (then they are kept <see cref="Sealed"/>).</summary>
    public static bool AnyWithheld(IReadOnlyList<Activity> activities)
    {
        foreach (var activity in activities)
            if (activity.Withheld is not null) return true;
        return false;
    }

    /// <summary>A kept activity as it goes out: its sealed text opened in place, or <see cref="Withheld.Instead"/> left.</summary>
    public void Open(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Open(activity, BindingOf(activity));
    }

    private void Open(Activity activity, byte[] binding)
    {
        if (activity.Extra is not { } extra || !extra.Remove(Property, out var sealedText)) return;
        if (extra.Count == 0) activity.Extra = null;
        if (sealedText.ValueKind == JsonValueKind.String && Open(sealedText.GetString()!, binding) is { } text) activity.Text = text;
    }

    /// <summary>
    /// An outbox row's JSON as it goes on the wire to <paramref name="channelId"/>/<paramref name="conversationId"/>, the
    /// row's own columns, which the sender sends to: the seal opens only if the reply was written for that conversation.
    /// </summary>
    public string Open(string activityJson, string channelId, string conversationId)
    {
        ArgumentNullException.ThrowIfNull(activityJson);
        if (!activityJson.Contains(Property, StringComparison.Ordinal) || ActivityJson.Parse(activityJson) is not { } activity) return activityJson;
        Open(activity, Encoding.UTF8.GetBytes($"{channelId}\n{conversationId}"));
        return ActivityJson.Serialize(activity);
    }

    /// <summary>A kept activity's JSON as it goes on the wire; the same string when nothing is sealed in it.</summary>
    public string Open(string activityJson)
    {
        ArgumentNullException.ThrowIfNull(activityJson);
        if (!activityJson.Contains(Property, StringComparison.Ordinal) || ActivityJson.Parse(activityJson) is not { } activity) return activityJson;
        Open(activity);
        return ActivityJson.Serialize(activity);
    }

    // A sealed text opens only in the conversation it was written for.
    private static byte[] BindingOf(Activity a) => Encoding.UTF8.GetBytes($"{a.ChannelId}\n{a.Conversation?.Id}");

    private string Seal(string text, byte[] binding)
    {
        var plain = Encoding.UTF8.GetBytes(text);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var cipher = new byte[plain.Length];
        using (var aes = new AesGcm(keys[0], tag.Length)) aes.Encrypt(nonce, plain, cipher, tag, binding);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    private string? Open(string sealedText, byte[] binding)
    {
        byte[] bytes;
        try { bytes = Convert.FromBase64String(sealedText); }
        catch (FormatException) { return null; }
        int n = AesGcm.NonceByteSizes.MaxSize, t = AesGcm.TagByteSizes.MaxSize;
        if (bytes.Length < n + t) return null;
        var plain = new byte[bytes.Length - n - t];
        foreach (var key in keys)
        {
            try
            {
                using var aes = new AesGcm(key, t);
                aes.Decrypt(bytes.AsSpan(0, n), bytes.AsSpan(n + t), bytes.AsSpan(n, t), plain, binding);
                return Encoding.UTF8.GetString(plain);
            }
            catch (CryptographicException)
            {
                // Not this key's: sealed under the other password, or under none this instance holds.
            }
        }
        return null;
    }
}
