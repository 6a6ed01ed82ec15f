namespace Scoring.Bot;

/// <summary>The <c>Bot</c> configuration section.</summary>
public sealed class BotOptions
{
    public const string Section = "Bot";

    /// <summary>The Azure Bot registration's app id: the audience of inbound tokens and the client of outbound ones.</summary>
    public string? MicrosoftAppId { get; set; }

    public string? MicrosoftAppPassword { get; set; }

    /// <summary>
    /// The app password before the last rotation, kept for a while after it (README: Deploying the bot): enrolment codes
    /// issued and replies and answers sealed under it are still found and opened. Nothing new is made with it.
    /// </summary>
    public string? PreviousAppPassword { get; set; }

    /// <summary>Single-tenant bots get outbound tokens from their tenant instead of botframework.com.</summary>
    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>Accept activities without a token; only without an app id, and only in Development/Testing.</summary>
    public bool AllowUnauthenticated { get; set; }

    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    public string EmulatorOpenIdMetadataUrl { get; set; } = "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration";

    /// <summary>How often the signing keys are fetched again at most (the protocol asks for at least daily).</summary>
    public TimeSpan SigningKeyRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Larger inbound bodies are refused with 413.</summary>
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    /// <summary><c>Bot:Enrolment</c>: binding chat accounts with enrolment codes.</summary>
    public EnrolmentOptions Enrolment { get; set; } = new();

    internal bool HasAppId => !string.IsNullOrWhiteSpace(MicrosoftAppId);
}

/// <summary>The <c>Bot:Enrolment</c> section: this instance's budget of wrong codes per channel (Scoring.Application.ChannelBindBudget, whose defaults say why).</summary>
public sealed class EnrolmentOptions
{
    /// <summary>Wrong codes on one channel, from all its accounts, within <see cref="FailedBindsWindow"/> before accounts not yet linked there wait.</summary>
    public int FailedBindsPerChannel { get; set; } = Scoring.Application.ChannelBindBudget.Limits.Default.FailedBinds;

    public TimeSpan FailedBindsWindow { get; set; } = Scoring.Application.ChannelBindBudget.Limits.Default.Window;
}
