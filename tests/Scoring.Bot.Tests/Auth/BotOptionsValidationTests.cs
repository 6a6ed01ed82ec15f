using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoring.Bot.Tests.World;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Auth;

public sealed class BotOptionsValidationTests
{
    private static async Task StartAsync(string environment, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(new Database(StorageProvider.Sqlite, "Data Source=:memory:"));
        builder.Services.AddBot(builder.Configuration);
        // Only the options matter here; keep the sender from touching a database.
        builder.Services.RemoveAll<IHostedService>();
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task Production_without_an_app_id_refuses_to_start_and_says_what_to_set()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", []));

        Assert.Contains("Bot:MicrosoftAppId is required", error.Message);
    }

    [Fact]
    public async Task Production_refuses_anonymous_chat_even_when_asked_for()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", new()
        {
            ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
            ["Bot:MicrosoftAppPassword"] = "secret",
            ["Bot:AllowUnauthenticated"] = "true",
        }));

        Assert.Contains("Bot:AllowUnauthenticated", error.Message);
    }

    [Fact]
    public async Task An_app_id_without_a_password_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", new() { ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId }));

        Assert.Contains("Bot:MicrosoftAppPassword", error.Message);
    }

    [Fact]
    public async Task A_lease_no_longer_than_a_send_with_its_wait_for_the_host_s_pace_refuses_to_start()
    {
        // A send may wait up to a second for its host's pace before going on the wire: a lease without that second can run
        // out mid-send, and another instance sends the message again.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", new()
        {
            ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
            ["Bot:MicrosoftAppPassword"] = "secret",
            ["Bot:Connector:TotalTimeout"] = "00:00:45",
            ["Bot:Outbox:MinimumGapPerConversation"] = "00:00:00",
            ["Bot:Outbox:LeaseDuration"] = "00:00:45.500",
        }));

        Assert.Contains("Bot:Outbox:LeaseDuration", error.Message);
    }

    [Fact]
    public async Task Production_with_credentials_starts()
    {
        await StartAsync("Production", new() { ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId, ["Bot:MicrosoftAppPassword"] = "secret" });
    }

    [Fact]
    public async Task A_previous_app_password_equal_to_the_current_one_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Production", new()
        {
            ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
            ["Bot:MicrosoftAppPassword"] = "secret",
            ["Bot:PreviousAppPassword"] = "secret",
        }));

        Assert.Contains("Bot:PreviousAppPassword", error.Message);
    }

    [Fact]
    public async Task A_previous_app_password_without_a_current_one_refuses_to_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Development", new() { ["Bot:PreviousAppPassword"] = "secret" }));

        Assert.Contains("Bot:PreviousAppPassword", error.Message);
    }

    [Fact]
    public async Task Production_with_a_new_password_and_the_previous_one_starts()
    {
        await StartAsync("Production", new()
        {
            ["Bot:MicrosoftAppId"] = ChannelIdentity.AppId,
            ["Bot:MicrosoftAppPassword"] = "next-secret",
            ["Bot:PreviousAppPassword"] = "secret",
        });
    }

    [Theory]
    [InlineData("Bot:Enrolment:FailedBindsPerChannel", "0")]
    [InlineData("Bot:Enrolment:FailedBindsWindow", "00:00:00")]
    public async Task A_channel_budget_of_wrong_codes_that_would_refuse_every_bind_refuses_to_start(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Development", new() { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    [Theory]
    [InlineData("Bot:Outbox:ProcessedActivityRetention", "-1.00:00:00")] // every handled activity forgotten at each purge
    [InlineData("Bot:Outbox:ProcessedActivityRetention", "00:10:00")]    // a late redelivery handled again
    [InlineData("Bot:Outbox:SentRetention", "-00:00:01")]
    [InlineData("Bot:Outbox:DeadLetterRetention", "-1.00:00:00")]
    [InlineData("Bot:Outbox:PurgeInterval", "00:00:00")]                 // three deletes on every loop of the sender
    [InlineData("Bot:Outbox:PurgeInterval", "00:00:59")]
    public async Task An_outbox_retention_that_would_forget_too_soon_or_purge_on_every_loop_refuses_to_start(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Development", new() { [key] = value }));

        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task The_shortest_outbox_retentions_allowed_start()
    {
        await StartAsync("Development", new()
        {
            ["Bot:Outbox:ProcessedActivityRetention"] = "1.00:00:00",
            ["Bot:Outbox:SentRetention"] = "00:00:00",
            ["Bot:Outbox:DeadLetterRetention"] = "00:00:00",
            ["Bot:Outbox:PurgeInterval"] = "00:01:00",
        });
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Testing")]
    public async Task Development_and_testing_start_without_an_app_id(string environment)
    {
        await StartAsync(environment, []);
        await StartAsync(environment, new() { ["Bot:AllowUnauthenticated"] = "true" });
    }

    [Fact]
    public async Task Signing_keys_must_come_over_https_except_from_loopback()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("Development", new()
        {
            ["Bot:OpenIdMetadataUrl"] = "http://login.example/.well-known/openidconfiguration",
        }));

        Assert.Contains("Bot:OpenIdMetadataUrl", error.Message);
        await StartAsync("Development", new() { ["Bot:OpenIdMetadataUrl"] = "http://127.0.0.1:5000/.well-known/openidconfiguration" });
    }
}
