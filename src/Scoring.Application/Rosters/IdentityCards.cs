using System.Security.Cryptography;
using System.Text;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>
/// Identity-card numbers (身份证号) are never stored in clear. An 18-character number has little entropy
/// (region, birth date, a sequence), so a plain hash could be reversed by trying them all: each is kept as
/// PBKDF2 with its own random salt, plus the last four characters for people to recognise it by. The
/// iteration count is modest because an import checks thousands at once; it is stored with each hash
/// (<c>pbkdf2-sha256$5000$…</c>) so it can be raised later without invalidating what is stored.
/// </summary>
public static class IdentityCards
{
    private const int Iterations = 5_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>A mainland identity-card number: 18 characters whose last is the ISO 7064 check character, or an old 15-digit one.</summary>
    public static Outcome<string?> Normalize(string? text)
    {
        var id = new string((text ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        if (id.Length == 0) return (string?)null;
        bool valid = id.Length switch
        {
            15 => id.All(char.IsAsciiDigit),
            18 => id[..17].All(char.IsAsciiDigit) && CheckCharacters[Weights.Select((w, i) => w * (id[i] - '0')).Sum() % 11] == id[17],
            _ => false,
        };
        return valid ? id : Failure.Invalid("id-card-invalid", "The identity-card number is not valid.", "身份证号无效。");
    }

    /// <summary>What is stored for a number: a fresh salt, the salted hash and the last four characters.</summary>
    public static IdentityCardRow Protect(string subjectId, string number, DateTimeOffset at)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new IdentityCardRow
        {
            SubjectId = subjectId,
            Salt = Convert.ToBase64String(salt),
            Hash = $"{Scheme}${Iterations}${Convert.ToBase64String(Derive(number, salt, Iterations))}",
            LastFour = number[^4..],
            RecordedAt = at,
        };
    }

    /// <summary>Whether a stored card is this number (compared in constant time).</summary>
    public static bool Matches(IdentityCardRow stored, string number)
    {
        if (!number.EndsWith(stored.LastFour, StringComparison.Ordinal)) return false;
        var parts = stored.Hash.Split('$');
        if (parts.Length != 3 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        var expected = Convert.FromBase64String(parts[2]);
        return CryptographicOperations.FixedTimeEquals(expected, Derive(number, Convert.FromBase64String(stored.Salt), iterations));
    }

    private static byte[] Derive(string number, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(number), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
}
