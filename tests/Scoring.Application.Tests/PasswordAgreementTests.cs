using Microsoft.Extensions.Logging;
using Scoring.Application;
using Scoring.Storage;

namespace Scoring.Application.Tests;

/// <summary>Instances on one database tell whether they hold the app password its codes are keyed with, without storing it.</summary>
public sealed class PasswordAgreementTests
{
    private const string Old = "the-bot's-secret", New = "the-bot's-next-secret";

    private static PasswordAgreement Instance(TestWorld world, Lines log, string password, string? previous = null) =>
        new(world.Db, world.Clock, new AppSecret(password, previous), log);

    [Fact]
    public async Task An_instance_started_on_another_password_than_the_first_warns_naming_no_secret()
    {
        await using var world = await TestWorld.CreateAsync();
        var log = new Lines();
        Assert.Equal(PasswordStanding.Matches, await Instance(world, log, Old).CheckAtStartAsync());

        var standing = await Instance(world, log, New).CheckAtStartAsync();

        Assert.Equal(PasswordStanding.Differs, standing);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("Bot:MicrosoftAppPassword differs from the one the database's codes are keyed with", warning);
        Assert.DoesNotContain(Old, warning);
        Assert.DoesNotContain(New, warning);
        Assert.Equal(PasswordStanding.Matches, await Instance(world, log, Old).StandingAsync()); // the second did not take it over
    }

    [Fact]
    public async Task An_instance_started_after_a_rotation_records_the_new_password_without_a_warning_and_one_still_on_the_old_then_differs()
    {
        await using var world = await TestWorld.CreateAsync();
        var log = new Lines();
        await Instance(world, log, Old).CheckAtStartAsync();

        var standing = await Instance(world, log, New, previous: Old).CheckAtStartAsync();

        Assert.Equal(PasswordStanding.Matches, standing);
        Assert.Empty(log.Warnings);
        Assert.Equal(PasswordStanding.Differs, await Instance(world, log, Old).StandingAsync());
        Assert.Equal(PasswordStanding.Matches, await Instance(world, log, New).StandingAsync());
    }

    [Fact]
    public async Task The_database_keeps_a_verifier_not_the_password_nor_a_key_derived_from_it()
    {
        await using var world = await TestWorld.CreateAsync();
        await Instance(world, new Lines(), Old).CheckAtStartAsync();

        var kept = await world.Db.ReadAsync(s => s.PasswordVerifierAsync());

        Assert.NotNull(kept);
        Assert.DoesNotContain(Old, kept);
        Assert.Equal(32, kept.Length);
        Assert.NotEqual(new AppSecret(New).Verifiers()[0], kept);
    }

    [Fact]
    public async Task An_instance_without_a_password_records_nothing()
    {
        await using var world = await TestWorld.CreateAsync();

        Assert.Equal(PasswordStanding.NoPassword, await new PasswordAgreement(world.Db, world.Clock, AppSecret.None, new Lines()).CheckAtStartAsync());
        Assert.Null(await world.Db.ReadAsync(s => s.PasswordVerifierAsync()));
    }

    private sealed class Lines : ILogger<PasswordAgreement>
    {
        public List<string> Warnings { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }
}
