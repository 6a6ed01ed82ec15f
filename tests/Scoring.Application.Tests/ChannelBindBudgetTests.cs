using Dapper;
using Microsoft.Extensions.Logging;
using static Scoring.Application.Tests.TestWorld;

namespace Scoring.Application.Tests;

public class ChannelBindBudgetTests
{
    private static readonly ChannelBindBudget.Limits Three = new(3, TimeSpan.FromMinutes(10));

    private static async Task<string> CodeForAsync(TestWorld world, string subject)
    {
        var issued = await world.Enrolment.IssueAsync(await world.StaffAsync("secretary-fangtang"), "subject", subject);
        Assert.True(issued.Succeeded, issued.Failure?.English);
        return issued.Value!.Code;
    }

    [Fact]
    public async Task Many_accounts_each_failing_once_spend_the_channel_s_budget_and_a_new_account_s_right_code_is_then_not_checked()
    {
        await using var world = await CreateAsync();
        var enrolment = new Enrolment(world.Db, world.Clock, null, new ChannelBindBudget(world.Clock, Three));
        var code = await CodeForAsync(world, "landlord-1");
        var other = await CodeForAsync(world, "landlord-2");
        for (var i = 0; i < 3; i++) Assert.Equal("code-unknown", (await enrolment.BindAsync("webchat", $"guesser-{i}", $"WRNG000{i}")).Failure?.Code);

        var refused = await enrolment.BindAsync("webchat", "newcomer", code);
        var elsewhere = await enrolment.BindAsync("directline", "someone", other);

        Assert.Equal(("too-many-attempts-on-channel", FailureKind.Conflict), (refused.Failure?.Code, refused.Failure!.Kind));
        Assert.Contains("10 minutes", refused.Failure.English, StringComparison.Ordinal);
        Assert.Contains("10 分钟", refused.Failure.Chinese, StringComparison.Ordinal);
        Assert.True(elsewhere.Succeeded, elsewhere.Failure?.English); // another channel's budget is its own
        Assert.Equal(0, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM enrolment_codes WHERE person_id = 'landlord-1' AND used_at IS NOT NULL")));
        Assert.Equal(0, await world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM bind_failures WHERE user_id = 'newcomer'"))); // not a wrong code: it was never looked at
    }

    [Fact]
    public async Task A_right_code_binds_once_the_window_of_the_wrong_ones_has_passed_and_the_wait_said_shrinks_meanwhile()
    {
        await using var world = await CreateAsync();
        var enrolment = new Enrolment(world.Db, world.Clock, null, new ChannelBindBudget(world.Clock, Three));
        var code = await CodeForAsync(world, "landlord-1");
        for (var i = 0; i < 3; i++)
        {
            await enrolment.BindAsync("webchat", $"guesser-{i}", $"WRNG000{i}");
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var waiting = await enrolment.BindAsync("webchat", "newcomer", code); // the oldest wrong code ages out in 7 minutes
        world.Clock.Advance(TimeSpan.FromMinutes(7));
        var after = await enrolment.BindAsync("webchat", "newcomer", code);

        Assert.Contains("7 minutes", waiting.Failure?.English, StringComparison.Ordinal);
        Assert.True(after.Succeeded, after.Failure?.English);
    }

    [Fact]
    public async Task An_account_linked_already_binds_a_right_code_while_the_budget_is_spent()
    {
        await using var world = await CreateAsync();
        var enrolment = new Enrolment(world.Db, world.Clock, null, new ChannelBindBudget(world.Clock, Three));
        Assert.True((await enrolment.BindAsync("webchat", "landlord", await CodeForAsync(world, "landlord-1"))).Succeeded);
        for (var i = 0; i < 3; i++) await enrolment.BindAsync("webchat", $"guesser-{i}", $"WRNG000{i}");

        var added = await enrolment.BindAsync("webchat", "landlord", await CodeForAsync(world, "landlord-2"));

        Assert.True(added.Succeeded, added.Failure?.English);
    }

    [Fact]
    public async Task The_warning_that_the_budget_is_spent_is_written_once_a_window_and_names_no_code()
    {
        await using var world = await CreateAsync();
        var log = new Lines();
        var enrolment = new Enrolment(world.Db, world.Clock, null, new ChannelBindBudget(world.Clock, Three, log));
        var guesses = Enumerable.Range(0, 8).Select(i => $"WRNG{i:D4}").ToList();
        var right = await CodeForAsync(world, "landlord-1");

        // Three wrong codes spend it; those after are refused unchecked, and the right one too: still one warning.
        foreach (var guess in guesses.Take(5)) await enrolment.BindAsync("webchat", "guesser-" + guess, guess);
        await enrolment.BindAsync("webchat", "newcomer", right);
        Assert.Single(log.Warnings);
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        foreach (var guess in guesses.Skip(5)) await enrolment.BindAsync("webchat", "guesser-" + guess, guess);

        Assert.Equal(2, log.Warnings.Count);
        Assert.All(log.Warnings, line => Assert.Contains("webchat", line, StringComparison.Ordinal));
        foreach (var code in guesses.Append(right).Append(Ids.Normalize(right)))
            Assert.All(log.Warnings, line => Assert.DoesNotContain(code, line, StringComparison.OrdinalIgnoreCase));
        Assert.All(log.Warnings, line => Assert.DoesNotContain("guesser", line, StringComparison.Ordinal));
    }

    /// <summary>What was written, with its structured values (a sink keeping properties would keep them).</summary>
    private sealed class Lines : ILogger<ChannelBindBudget>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel != LogLevel.Warning) return;
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            Warnings.Add(formatter(state, exception) + " | " + values);
        }
    }
}
