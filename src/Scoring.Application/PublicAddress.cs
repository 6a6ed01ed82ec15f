namespace Scoring.Application;

/// <summary>
/// Where the public reaches this service (<c>PublicBaseUrl</c>, such as https://jifen.example.gov.cn), so a printed notice
/// board carries its own full address and chat names a link a phone opens. Unset, paths are named as they are.
/// </summary>
public sealed class PublicAddress
{
    public const string Setting = "PublicBaseUrl";

    private readonly string? _base;

    public PublicAddress(string? baseUrl)
    {
        if (string.IsNullOrWhiteSpace(baseUrl)) return;
        // Refused at start rather than printed on every board: a bare host or a typo would send residents nowhere.
        if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new InvalidOperationException($"{Setting} must be an absolute http(s) address without query, such as https://jifen.example.gov.cn (it was '{baseUrl}').");
        _base = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    public bool IsSet => _base is not null;

    /// <summary>The full address of <paramref name="path"/> (one starting with '/'), or the path itself without a base.</summary>
    public string Of(string path) => _base is null ? path : _base + path;
}
