using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Application;
using Scoring.Bot.Turns;
using Scoring.Storage;

namespace Scoring.Bot.Tests.Conversations;

/// <summary>
/// An enrolment code is 8 letters of 32 (2^40 codes): its plain SHA-256, as a backup or a support dump holds it, is
/// reversed offline in about a minute. With an app password the database keeps a hash keyed with a key derived from it,
/// which no copy of the database holds.
/// </summary>
public sealed class CodeHashesAtRestTests
{
    private static readonly IReadOnlyDictionary<string, string?> Registered = new Dictionary<string, string?>
    {
        ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
        ["Bot:MicrosoftAppPassword"] = "the-bot's-secret",
    };

    /// <summary>The same registration after its password was changed (rotated).</summary>
    private static readonly IReadOnlyDictionary<string, string?> Rotated = new Dictionary<string, string?>
    {
        ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
        ["Bot:MicrosoftAppPassword"] = "the-bot's-next-secret",
    };

    /// <summary>Rotated as the README says: the new password, the one before it kept as the previous.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> RotatedKeepingThePrevious = new Dictionary<string, string?>
    {
        ["Bot:MicrosoftAppId"] = "00000000-0000-0000-0000-000000000001",
        ["Bot:MicrosoftAppPassword"] = "the-bot's-next-secret",
        ["Bot:PreviousAppPassword"] = "the-bot's-secret",
    };

    // Ids.EnrolmentCode's letters, as anyone reading the source knows them.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static Task<string> StoredHashAsync(ChatWorld world, string personId) => world.Db.ReadAsync(s => s.Connection.ExecuteScalarAsync<string>(
        "SELECT code_hash FROM enrolment_codes WHERE person_id = @personId AND used_at IS NULL AND replaced_at IS NULL", new { personId }))!;

    private static async Task<EnrolmentCode> IssueAsync(ChatWorld world, IServiceProvider instance, string issuer, string personId) =>
        (await instance.GetRequiredService<Enrolment>().IssueAsync(await world.StaffAsync(issuer), "staff", personId)).Value!;

    [Fact]
    public async Task With_an_app_password_a_code_is_not_found_by_hashing_guesses_against_a_copy_of_the_database()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        var code = (await IssueAsync(world, world.Services, "officer-1", "gridworker-1")).Code;
        var stored = await StoredHashAsync(world, "gridworker-1");

        // The search a copy of the database allows, narrowed to the last two letters (the code's 1,024 neighbours, itself
        // among them) so the test runs in a moment: the whole 2^40 is the same loop, a minute on one GPU.
        var found = new List<string>();
        foreach (var a in Alphabet)
            foreach (var b in Alphabet)
                if (code[..6] + a + b is var guess && Sha256(guess) == stored) found.Add(guess);

        Assert.Empty(found);
    }

    [Fact]
    public async Task Without_an_app_password_a_code_is_kept_as_its_plain_hash_so_the_demo_slips_outlive_a_restart()
    {
        await using var world = await ChatWorld.CreateAsync();
        var code = world.CodeOf("gridworker-1");
        await world.RestartAsync();

        Assert.Equal(Sha256(code), await StoredHashAsync(world, "gridworker-1"));
        Assert.Contains("绑定成功", ChatWorld.ActivityText(await world.BindAsync("gridworker-1")));
    }

    [Fact]
    public async Task With_an_app_password_a_code_issued_by_one_instance_binds_through_another_sharing_it()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await using var other = world.AnotherInstance();
        var code = await IssueAsync(world, other, "officer-1", "gridworker-1");

        var replies = ChatWorld.ActivityText(await world.SayAsync("gridworker-1", code.BindCommand));

        Assert.Contains("绑定成功", replies);
        Assert.Contains("绑定成功", ChatWorld.ActivityText(await world.BindAsync("landlord-1"))); // the demo's slips too
    }

    [Fact]
    public async Task After_the_app_password_is_changed_an_unused_slip_is_refused_as_a_wrong_code_that_says_to_ask_for_a_new_one()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        var code = await IssueAsync(world, world.Services, "officer-1", "gridworker-1");
        await using var rotated = world.AnotherInstance(settings: Rotated);

        var replies = await rotated.GetRequiredService<IActivityHandler>().HandleAsync(world.Message("gridworker-1", code.BindCommand), true, CancellationToken.None);
        var said = ChatWorld.ActivityText(replies.Replies);

        Assert.Contains("绑定码不正确", said);
        Assert.Contains("索取新码", said);
        // It cannot be told from a wrong code, so it counts as one: a lockout that spared it would spare guessing too.
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM bind_failures"));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM enrolment_codes WHERE used_at IS NOT NULL"));
    }

    [Fact]
    public async Task After_the_app_password_is_changed_with_the_old_one_kept_as_previous_an_unused_slip_still_binds()
    {
        // A rolling rotation too: the slip was issued by an instance still on the old password, typed to one on the new.
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        var code = await IssueAsync(world, world.Services, "officer-1", "gridworker-1");
        await using var rotated = world.AnotherInstance(settings: RotatedKeepingThePrevious);

        var replies = await rotated.GetRequiredService<IActivityHandler>().HandleAsync(world.Message("gridworker-1", code.BindCommand), true, CancellationToken.None);

        Assert.Contains("绑定成功", ChatWorld.ActivityText(replies.Replies));
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM bind_failures"));
    }

    /// <summary>A code issued before hashes were keyed: its row keeps the code's plain hash, as releases before the keying wrote it.</summary>
    private static async Task<string> LegacyCodeAsync(ChatWorld world, string personId)
    {
        var code = Ids.EnrolmentCode();
        await world.Db.WriteAsync(async s =>
        {
            await s.ReplaceEnrolmentCodesAsync("staff", personId, world.Clock.GetUtcNow());
            await s.InsertEnrolmentCodeAsync(new EnrolmentCodeRow
            {
                Hash = Sha256(code), PersonKind = "staff", PersonId = personId, IssuedBy = "officer-1",
                IssuedAt = world.Clock.GetUtcNow(), ExpiresAt = world.Clock.GetUtcNow() + Enrolment.CodeLifetime,
            });
        });
        return code;
    }

    [Fact]
    public async Task A_slip_issued_before_hashes_were_keyed_still_binds_till_it_expires()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        var code = await LegacyCodeAsync(world, "gridworker-1");
        world.Clock.Advance(Enrolment.CodeLifetime - TimeSpan.FromMinutes(1));

        Assert.Contains("绑定成功", ChatWorld.ActivityText(await world.SayAsync("gridworker-1", Enrolment.BindCommand(code.ToLowerInvariant()))));
    }

    [Fact]
    public async Task A_slip_issued_before_hashes_were_keyed_moves_an_account_once_confirmed()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = await LegacyCodeAsync(world, "gridworker-1");

        var asked = ChatWorld.ActivityText(await world.SayAsync("landlord-1", Enrolment.BindCommand(code)));
        var moved = ChatWorld.ActivityText(await world.SayAsync("landlord-1", "确认改绑"));

        Assert.Contains("确认改绑", asked);
        Assert.Contains("改绑成功", moved);
    }

    [Fact]
    public async Task A_slip_issued_before_hashes_were_keyed_and_typed_alone_is_still_kept_sealed_where_a_reply_quotes_it()
    {
        await using var world = await ChatWorld.CreateAsync(settings: Registered);
        await world.BindAsync("landlord-1");
        var code = await LegacyCodeAsync(world, "gridworker-1");

        await world.DeliverAsync(world.Message("landlord-1", $"我的码是{code}，怎么用"), expectReplies: false);

        var sent = await world.Db.ReadAsync(s => s.Connection.QueryAsync<string>("SELECT activity_json FROM bot_outbox"));
        Assert.DoesNotContain(sent, json => json.Contains(code, StringComparison.Ordinal));
        Assert.Contains(sent, json => world.Services.GetRequiredService<ReplySeal>().Open(json).Contains(code, StringComparison.Ordinal));
    }
}
