using System.Security.Cryptography;
using System.Text;

namespace Scoring.Application;

/// <summary>
/// The secret every instance of the service holds and the database does not: the bot's app password
/// (<c>Bot:MicrosoftAppPassword</c>). What the database keeps but a copy of it (a backup, a support dump) must not reveal
/// is keyed with a key derived from it here, one key per use (HKDF, its own <c>info</c>), so no use's key opens another's.
/// Without a password (Development, Testing) there is no such secret, and each use says what it does instead.
/// </summary>
public sealed class AppSecret
{
    /// <summary>Where the secret is configured.</summary>
    public const string Setting = "Bot:MicrosoftAppPassword";

    /// <summary>No secret: Development and Testing without an app password.</summary>
    public static readonly AppSecret None = new(null);

    private readonly byte[]? password;

    public AppSecret(string? password) => this.password = string.IsNullOrEmpty(password) ? null : Encoding.UTF8.GetBytes(password);

    /// <summary>Whether an app password is configured.</summary>
    public bool Held => password is not null;

    /// <summary>A 256-bit key for one use, named by <paramref name="info"/>; null without a password.</summary>
    public byte[]? KeyFor(string info) =>
        password is null ? null : HKDF.DeriveKey(HashAlgorithmName.SHA256, password, 32, info: Encoding.UTF8.GetBytes(info));
}
