using System.Security.Cryptography;
using System.Text;

namespace Scoring.Application;

/// <summary>Ids and secrets. Event ids are short enough to type in chat (通过 K7M2Q9X4A).</summary>
public static class Ids
{
    // Crockford-style alphabet: no I, L, O, U — nothing to misread on a phone.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(int length = 9)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, RandomBytes.Size);
        return string.Create(length, 0, static (chars, _) => FillRandom(chars));
    }

    private static void FillRandom(Span<char> chars)
    {
        var bytes = RandomBytes.Take(chars.Length);
        for (int i = 0; i < chars.Length; i++) chars[i] = Alphabet[bytes[i] & 31];
    }

    /// <summary>
    /// Cryptographically random bytes drawn from the system's generator a block at a time: each draw from
    /// OpenSSL costs a few microseconds whatever its size, and reports make ids inside the single writer.
    /// </summary>
    private static class RandomBytes
    {
        public const int Size = 512;
        [ThreadStatic] private static byte[]? t_block;
        [ThreadStatic] private static int t_used;

        public static ReadOnlySpan<byte> Take(int count)
        {
            var block = t_block ??= new byte[Size];
            if (t_used == 0 || t_used + count > Size)
            {
                RandomNumberGenerator.Fill(block);
                t_used = 0;
            }
            var taken = block.AsSpan(t_used, count);
            t_used += count;
            return taken;
        }
    }

    /// <summary>
    /// An id for a record nobody types (a tenant's return, an event's transition, a redemption) that sorts by when it
    /// was made: 9 characters of milliseconds since 1970 (good for a thousand years), then 7 random ones (35 bits).
    /// Random ids put every new row at a random place in the primary key's index, so each row of a group commit
    /// dirtied an index page of its own (a quarter of the pages the chat's reports wrote); these land at the end.
    /// </summary>
    public static string Ordered(DateTimeOffset now)
    {
        var milliseconds = Math.Max(0, now.ToUnixTimeMilliseconds());
        return string.Create(OrderedLength, milliseconds, static (chars, ms) =>
        {
            for (int i = OrderedTimeLength - 1; i >= 0; i--, ms >>= 5) chars[i] = Alphabet[(int)(ms & 31)];
            FillRandom(chars[OrderedTimeLength..]);
        });
    }

    /// <summary>
    /// The smallest <see cref="Ordered"/> id of an instant (its time part alone): ids made from then on sort at or after
    /// it, so a range of them is a range of times.
    /// </summary>
    public static string OrderedFloor(DateTimeOffset at) => Ordered(at)[..OrderedTimeLength];

    private const int OrderedLength = 16;
    private const int OrderedTimeLength = 9;

    /// <summary>An enrolment code: 8 characters a person can read off paper.</summary>
    public static string EnrolmentCode() => New(8);

    /// <summary>A staff bearer token: 256 random bits.</summary>
    public static string Token() => "st_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Secrets are stored only as this hash.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Typed ids are forgiving: case and look-alike letters.</summary>
    public static string Normalize(string typed) =>
        typed.Trim().ToUpperInvariant().Replace('O', '0').Replace('I', '1').Replace('L', '1');
}
