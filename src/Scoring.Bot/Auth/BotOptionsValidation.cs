using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Scoring.Bot.Auth;

/// <summary>
/// Refuses to start a bot that would accept anyone: without an app id outside Development/Testing,
/// or with <c>Bot:AllowUnauthenticated</c> there. (The official SDK silently turns auth off instead.)
/// </summary>
internal sealed class BotOptionsValidation(IHostEnvironment environment) : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        var failures = new List<string>();
        var relaxed = IsRelaxedEnvironment(environment);
        if (!options.HasAppId && !relaxed)
        {
            failures.Add($"Bot:MicrosoftAppId is required in the '{environment.EnvironmentName}' environment: set Bot:MicrosoftAppId and " +
                "Bot:MicrosoftAppPassword from the Azure Bot registration (anonymous chat is only for Development/Testing).");
        }
        if (options.AllowUnauthenticated && !relaxed)
        {
            failures.Add($"Bot:AllowUnauthenticated=true is refused in the '{environment.EnvironmentName}' environment; it is only for Development/Testing.");
        }
        if (options.HasAppId && string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
        {
            failures.Add("Bot:MicrosoftAppPassword is required when Bot:MicrosoftAppId is set: replies need an outbound token.");
        }
        if (!string.IsNullOrEmpty(options.PreviousAppPassword) && (string.IsNullOrEmpty(options.MicrosoftAppPassword) || options.PreviousAppPassword == options.MicrosoftAppPassword))
        {
            failures.Add("Bot:PreviousAppPassword must be the password before the rotation: set it only beside a new, different Bot:MicrosoftAppPassword.");
        }
        CheckMetadataUrl(options.OpenIdMetadataUrl, "Bot:OpenIdMetadataUrl", failures);
        CheckMetadataUrl(options.EmulatorOpenIdMetadataUrl, "Bot:EmulatorOpenIdMetadataUrl", failures);
        if (options.SigningKeyRefreshInterval <= TimeSpan.Zero || options.SigningKeyRefreshInterval > TimeSpan.FromHours(24))
        {
            failures.Add("Bot:SigningKeyRefreshInterval must be more than zero and at most 24 hours.");
        }
        if (options.Enrolment.FailedBindsPerChannel < 1 || options.Enrolment.FailedBindsWindow <= TimeSpan.Zero || options.Enrolment.FailedBindsWindow > TimeSpan.FromDays(1))
        {
            failures.Add("Bot:Enrolment:FailedBindsPerChannel must be at least 1, and Bot:Enrolment:FailedBindsWindow more than zero and at most a day.");
        }
        if (options.MaxActivityBytes < 1024)
        {
            failures.Add("Bot:MaxActivityBytes must be at least 1024.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsRelaxedEnvironment(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Testing");

    private static void CheckMetadataUrl(string? url, string key, List<string> failures)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !MetadataAddress.IsAcceptable(uri))
        {
            failures.Add($"{key} must be an absolute https URL (http only on loopback, for tests).");
        }
    }
}

internal static class MetadataAddress
{
    /// <summary>Keys must come over https; a local test server on loopback is the one exception.</summary>
    public static bool IsAcceptable(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
}
