using System.Security.Cryptography;
using System.Text;

namespace Scoring.Application;

/// <summary>
/// The secret every instance of the service holds and the database does not: the bot's app password
/// (<c>Bot:MicrosoftAppPassword</c>). What the database keeps but a copy of it (a backup, a support dump) must not reveal
/// is keyed with a key derived from it here, one key per use (HKDF, its own <c>info</c>), so no use's key opens another's.
/// Without a password (Development, Testing) there is no such secret, and each use says what it does instead.
/// <para>
/// The password is rotated (an Azure client secret expires within 24 months): <c>Bot:PreviousAppPassword</c>, the one
/// before, is held beside it for a while, so what was kept under it is still found and opened (<see cref="KeysFor"/>).
/// New things are always made with the current one, the first key.
/// </para>
/// </summary>
public sealed class AppSecret
{
    /// <summary>Where the secret is configured.</summary>
    public const string Setting = "Bot:MicrosoftAppPassword";

    /// <summary>Where the password before a rotation is configured, while what was kept under it is still read.</summary>
    public const string PreviousSetting = "Bot:PreviousAppPassword";

    /// <summary>No secret: Development and Testing without an app password.</summary>
    public static readonly AppSecret None = new(null);

    private readonly byte[]? password;
    private readonly byte[]? previous;

    /// <param name="previous">The password before the last rotation; ignored without a current one, or when it is the same.</param>
    public AppSecret(string? password, string? previous = null)
    {
        this.password = string.IsNullOrEmpty(password) ? null : Encoding.UTF8.GetBytes(password);
        this.previous = this.password is null || string.IsNullOrEmpty(previous) || previous == password ? null : Encoding.UTF8.GetBytes(previous);
    }

    /// <summary>Whether an app password is configured.</summary>
    public bool Held => password is not null;

    /// <summary>
    /// The 256-bit keys for one use, named by <paramref name="info"/>, that what is kept may have been made with: the
    /// current password's (the one to make new things with), then the previous one's if configured; empty without a password.
    /// </summary>
    public IReadOnlyList<byte[]> KeysFor(string info) =>
        password is null ? [] : previous is null ? [Derive(password, info)] : [Derive(password, info), Derive(previous, info)];

    /// <summary>
    /// Short verifiers of the current password and, if configured, the previous one: an HMAC of a fixed label under each one's
    /// own derived key, so that instances can tell from the database whether they hold the same password without it or any
    /// key being written anywhere. Empty without a password.
    /// </summary>
    public IReadOnlyList<string> Verifiers() =>
        KeysFor(VerifierInfo).Select(key => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(VerifierInfo))[..16])).ToList();

    private const string VerifierInfo = "scoring app password verifier";

    private static byte[] Derive(byte[] secret, string info) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: Encoding.UTF8.GetBytes(info));
}
