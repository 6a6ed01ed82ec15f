using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Scoring.Bot.Auth;
using Scoring.Bot.Connector;
using Scoring.Bot.Endpoint;
using Scoring.Bot.Outbox;
using Scoring.Bot.Turns;
using Scoring.Storage.Activities;
using Scoring.Storage.Outbox;

namespace Scoring.Bot;

public static class BotServices
{
    /// <summary>
    /// The Bot Framework protocol layer: options (validated at start), inbound token checks, the
    /// connector client with its resilience pipeline, the outbox and its background sender, and a
    /// greeting handler unless an <see cref="IActivityHandler"/> is registered. Expects a
    /// <see cref="Scoring.Storage.Database"/> in the container.
    /// </summary>
    public static IServiceCollection AddBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BotOptions>, BotOptionsValidation>());
        // The app password is the secret the replies kept sealed and the enrolment codes' hashes are keyed with; the one
        // before a rotation still opens and finds what was kept under it.
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var bot = sp.GetRequiredService<IOptions<BotOptions>>().Value;
            return new Scoring.Application.AppSecret(bot.MicrosoftAppPassword, bot.PreviousAppPassword);
        }));
        // This instance's budget of wrong enrolment codes per channel, from the options rather than its defaults.
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var enrolment = sp.GetRequiredService<IOptions<BotOptions>>().Value.Enrolment;
            return new Scoring.Application.ChannelBindBudget(sp.GetRequiredService<TimeProvider>(),
                new(enrolment.FailedBindsPerChannel, enrolment.FailedBindsWindow), sp.GetService<Microsoft.Extensions.Logging.ILogger<Scoring.Application.ChannelBindBudget>>());
        }));
        services.AddOptions<ConnectorOptions>().Bind(configuration.GetSection(ConnectorOptions.Section))
            .Validate(o => o.AttemptTimeout > TimeSpan.Zero && o.TotalTimeout >= o.AttemptTimeout,
                "Bot:Connector:AttemptTimeout must be positive and no longer than Bot:Connector:TotalTimeout.")
            .Validate(o => o.MaxRetryAttempts is >= 0 and <= 10, "Bot:Connector:MaxRetryAttempts must be between 0 and 10.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.Section))
            .Validate<IOptions<ConnectorOptions>>((o, connector) => o.LeaseDuration > connector.Value.TotalTimeout + o.MinimumGapPerConversation + OutboxSender.MaxPaceWaitInSend,
                "Bot:Outbox:LeaseDuration must outlast one whole send (Bot:Connector:TotalTimeout plus the per-conversation gap and a second's wait for the host's pace).")
            .Validate(o => o.MaxAttempts >= 1 && o.MaxConcurrentSends >= 1 && o.PollInterval > TimeSpan.Zero,
                "Bot:Outbox:MaxAttempts, MaxConcurrentSends and PollInterval must be positive.")
            .Validate(o => o.SendsPerSecondPerServiceUrl > 0 && o.GiveUpThrottledAfter > TimeSpan.Zero,
                "Bot:Outbox:SendsPerSecondPerServiceUrl and GiveUpThrottledAfter must be positive.")
            // Shorter, and a channel's redelivery of an activity already handled (or a client's retry) is handled again.
            .Validate(o => o.ProcessedActivityRetention >= OutboxOptions.LeastProcessedActivityRetention,
                "Bot:Outbox:ProcessedActivityRetention must be at least a day: an activity a channel redelivers after it is forgotten is handled again.")
            .Validate(o => o.SentRetention >= TimeSpan.Zero && o.DeadLetterRetention >= TimeSpan.Zero,
                "Bot:Outbox:SentRetention and Bot:Outbox:DeadLetterRetention must not be negative.")
            .Validate(o => o.PurgeInterval >= OutboxOptions.LeastPurgeInterval,
                "Bot:Outbox:PurgeInterval must be at least a minute: the purge is three deletes on the sender's loop.")
            .ValidateOnStart();

        services.AddHttpClient(ChannelAuthentication.MetadataHttpClient, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(ClientCredentialsTokenSource.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient<ConnectorClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's request log writes each address, whose conversation id is the person's phone number on the SMS
            // channel; ConnectorClient logs its failures itself, without ids.
            .RemoveAllLoggers()
            .AddResilienceHandler(ConnectorClient.ResiliencePipelineName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<ConnectorOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.TimeProvider = time;
                pipeline.AddTimeout(options.TotalTimeout);
                if (options.MaxRetryAttempts > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetryAttempts,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryDelay,
                        MaxDelay = options.MaxRetryDelay,
                        ShouldRetryAfterHeader = true,
                        ShouldHandle = args => ValueTask.FromResult(ShouldRetryNow(args.Outcome, options, time)),
                    });
                }
                pipeline.AddTimeout(options.AttemptTimeout);
            });

        services.TryAddSingleton<IOutboundTokenSource, ClientCredentialsTokenSource>();
        services.TryAddSingleton<ChannelAuthentication>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<ProcessedActivityStore>();
        services.TryAddSingleton<ConversationReferenceStore>();
        services.TryAddSingleton<ReplySeal>();
        services.TryAddSingleton<TurnRecorder>();
        services.TryAddSingleton<ConversationReferenceTracker>();
        services.TryAddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxSender>();
        services.TryAddSingleton<IActivityHandler, GreetingHandler>();
        return services;
    }

    /// <summary>
    /// Retry inside one send for failures that pass quickly; a Retry-After longer than
    /// <see cref="ConnectorOptions.MaxRetryDelay"/>, and any 429, go back to the outbox to be waited out there.
    /// </summary>
    private static bool ShouldRetryNow(Outcome<HttpResponseMessage> outcome, ConnectorOptions options, TimeProvider time) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => ConnectorClient.IsWorthRetrying(response.StatusCode)
            && response.StatusCode != HttpStatusCode.Unauthorized
            // A 429 speaks for the whole host: the outbox holds the host's sends for it, which a retry here would jump.
            && response.StatusCode != HttpStatusCode.TooManyRequests
            && (ConnectorClient.RetryAfter(response, time) is not { } wait || wait <= options.MaxRetryDelay),
        _ => false,
    };
}
