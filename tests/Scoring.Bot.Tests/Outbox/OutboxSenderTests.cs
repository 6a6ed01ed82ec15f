using Dapper;
using System.Collections.Concurrent;
using Scoring.Bot.Outbox;
using Scoring.Bot.Protocol;
using Scoring.Bot.Tests.World;
using Scoring.Bot.Turns;
using Microsoft.Extensions.DependencyInjection;

namespace Scoring.Bot.Tests.Outbox;

public sealed class OutboxSenderTests
{
    [Fact]
    public async Task The_sender_purges_dead_letters_a_month_old_which_name_people_and_were_never_read_by_them()
    {
        await using var world = await OutboxWorld.CreateAsync();
        var ids = await world.EnqueueAsync("conv-dead", "d", 1);
        await world.Outbox.ClaimDueAsync("gone", 1, TimeSpan.FromMinutes(1));
        await world.Outbox.DeadLetterAsync(ids[0], "gone", "Refused: 403");

        world.Time.Advance(new OutboxOptions().DeadLetterRetention + TimeSpan.FromMinutes(1));
        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Outbox.FindAsync(ids[0]).GetAwaiter().GetResult() is null);

        Assert.Empty(await world.Outbox.ListDeadLettersAsync());
    }

    [Theory]
    [InlineData(403, "ConversationBlockedByUser", true)]
    [InlineData(403, "BotNotInConversationRoster", true)]
    [InlineData(404, "ConversationNotFound", true)]
    [InlineData(403, "BadArgument", false)]
    [InlineData(400, "ConversationBlockedByUser", false)]
    public async Task A_notice_refused_as_blocked_or_gone_marks_the_persons_reference_unreachable(int status, string code, bool marked)
    {
        await using var world = await OutboxWorld.CreateAsync();
        var references = world.Services.GetRequiredService<Scoring.Storage.Activities.ConversationReferenceStore>();
        await references.UpsertAsync(new("emulator", "user-1", "conv-gone", world.Connector.ServiceUrl, "{}", "{}", "zh-CN", world.Time.GetUtcNow()));
        await references.UpsertAsync(new("emulator", "user-2", "conv-other", world.Connector.ServiceUrl, "{}", "{}", "zh-CN", world.Time.GetUtcNow()));
        world.Connector.Script = _ => new ConnectorAnswer(status, Body: $"{{\"error\":{{\"code\":\"{code}\",\"message\":\"...\"}}}}");
        var ids = await world.EnqueueAsync("conv-gone", "n", 1);

        var sender = await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Outbox.ListDeadLettersAsync().GetAwaiter().GetResult().Count == 1);
        await world.StopAsync(sender); // the send's work done, the mark after its dead letter included

        // The refusal is kept as a dead letter as before (an admin's list names why), and the reference says since when.
        Assert.Contains(code, (await world.Outbox.FindAsync(ids[0]))!.LastError);
        Assert.Equal(marked, (await references.FindAsync("emulator", "user-1"))!.UnreachableSince is not null);
        Assert.Null((await references.FindAsync("emulator", "user-2"))!.UnreachableSince);
    }

    [Fact]
    public async Task A_reply_withholding_a_code_is_kept_sealed_and_goes_to_the_channel_in_clear_from_a_sender_started_afterwards()
    {
        await using var world = await OutboxWorld.CreateAsync(new Dictionary<string, string?> { ["Bot:MicrosoftAppPassword"] = "the-bot's-secret" });
        var inbound = new Activity
        {
            Type = ActivityTypes.Message, Id = "in-code", ChannelId = "emulator", ServiceUrl = world.Connector.ServiceUrl,
            Conversation = new ConversationAccount { Id = "conv-code" }, From = new ChannelAccount { Id = "secretary" },
        };
        var reply = Reply.To(inbound, "绑定码：AB12CD34");
        reply.Withheld = new Withheld("AB12CD34", "绑定码已发出，这里不再显示。");
        var ids = await world.Database.Database.WriteAsync(s => world.Services.GetRequiredService<TurnRecorder>().EnqueueAsync(s, [reply]));
        var kept = (await world.Outbox.FindAsync(ids[0]))!.ActivityJson;

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => !world.Connector.Delivered.IsEmpty);

        Assert.DoesNotContain("AB12CD34", kept, StringComparison.Ordinal);
        Assert.Contains("绑定码已发出", kept, StringComparison.Ordinal);
        Assert.Equal(["绑定码：AB12CD34"], world.Connector.Delivered.Select(r => r.Text));
    }

    [Fact]
    public async Task Every_message_is_delivered_exactly_once_and_in_order_through_429s_500s_502s_and_timeouts()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => (request.Text, request.Attempt) switch
        {
            ("a-1", 1) => ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(3)),
            ("a-3", 1) => ConnectorAnswer.ServerError,
            ("a-3", 2) => ConnectorAnswer.BadGateway,
            ("b-2", 1) => ConnectorAnswer.NeverAnswer,
            ("c-0", 1) => ConnectorAnswer.BadGateway,
            _ => ConnectorAnswer.Ok,
        };
        var ids = new List<string>();
        foreach (var conversation in new[] { "a", "b", "c" })
        {
            ids.AddRange(await world.EnqueueAsync($"conv-{conversation}", conversation, 6));
        }

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Connector.Delivered.Count >= 18);
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        AssertDeliveredExactlyOnceInOrder(world.Connector, ["a", "b", "c"], 6);
        Assert.Empty(await world.Outbox.ListDeadLettersAsync());
        // Each scripted failure was really met (and got past).
        Assert.Contains(world.Connector.Received, r => r is { Text: "b-2", Attempt: 2 });
        Assert.Contains(world.Connector.Received, r => r is { Text: "a-3", Attempt: 3 });
    }

    [Fact]
    public async Task A_throttled_message_is_not_retried_before_its_Retry_After()
    {
        await using var world = await OutboxWorld.CreateAsync();
        var seenAt = new ConcurrentQueue<(int Attempt, DateTimeOffset At)>();
        world.Connector.Script = request =>
        {
            seenAt.Enqueue((request.Attempt, world.Time.GetUtcNow()));
            return request.Attempt == 1 ? ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(30)) : ConnectorAnswer.Ok;
        };
        await world.EnqueueAsync("conv-throttled", "t", 1);

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Connector.Delivered.Count == 1, step: TimeSpan.FromMilliseconds(500));

        var attempts = seenAt.ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(30),
            $"retried after {(attempts[1].At - attempts[0].At).TotalSeconds} s");
    }

    [Fact]
    public async Task A_message_the_channel_keeps_throttling_is_delivered_when_it_relents_instead_of_dead_lettered()
    {
        await using var world = await OutboxWorld.CreateAsync(); // four attempts before a dead letter
        world.Connector.Script = request => request.Attempt <= 10 ? ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(3)) : ConnectorAnswer.Ok;
        var ids = await world.EnqueueAsync("conv-throttled", "t", 2);

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult(), step: TimeSpan.FromMilliseconds(500));

        Assert.Empty(await world.Outbox.ListDeadLettersAsync());
        Assert.Equal(["t-0", "t-1"], world.Connector.Delivered.Select(r => r.Text));
    }

    [Fact]
    public async Task A_message_throttled_for_longer_than_the_channel_could_mean_is_dead_lettered_at_last()
    {
        await using var world = await OutboxWorld.CreateAsync(new Dictionary<string, string?> { ["Bot:Outbox:GiveUpThrottledAfter"] = "00:02:00" });
        world.Connector.Script = _ => ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(5));
        var ids = await world.EnqueueAsync("conv-throttled", "t", 1);
        var start = world.Time.GetUtcNow();

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult(), step: TimeSpan.FromMilliseconds(500));

        var dead = Assert.Single(await world.Outbox.ListDeadLettersAsync());
        Assert.Contains("429", dead.LastError);
        Assert.True(world.Time.GetUtcNow() - start >= TimeSpan.FromMinutes(2));
        Assert.True(world.Connector.Received.Count > 4, $"given up after {world.Connector.Received.Count} sends");
    }

    [Fact]
    public async Task A_message_a_day_old_met_by_one_429_is_delivered_after_it_not_dead_lettered()
    {
        // Giving up counts from when the throttling began, not from the enqueue: a day-old message (a sender down for a
        // day, a requeued dead letter) meeting its first 429 is as much worth sending as a fresh one.
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => request.Attempt == 1 ? ConnectorAnswer.TooManyRequests(TimeSpan.FromSeconds(3)) : ConnectorAnswer.Ok;
        var ids = await world.EnqueueAsync("conv-old", "o", 1);
        world.Time.Advance(TimeSpan.FromHours(25));

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult(), step: TimeSpan.FromMilliseconds(500));

        Assert.Empty(await world.Outbox.ListDeadLettersAsync());
        Assert.Equal(["o-0"], world.Connector.Delivered.Select(r => r.Text));
    }

    [Fact]
    public async Task A_restart_in_the_middle_loses_nothing_and_sends_nothing_twice()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => request is { Text: "x-6", Attempt: 1 } ? ConnectorAnswer.NeverAnswer : ConnectorAnswer.Ok;
        var ids = new List<string>();
        ids.AddRange(await world.EnqueueAsync("conv-x", "x", 10));
        ids.AddRange(await world.EnqueueAsync("conv-y", "y", 10));

        var first = await world.StartSenderAsync();
        // Stop the first instance impatiently while x-6 is on the wire and unanswered.
        await world.RunUntilAsync(() => world.Connector.Hanging == 1);
        while (!world.Quiet)
        {
            await Task.Delay(5);
        }
        await world.StopAsync(first, impatient: true);
        // And a crashed instance holds a lease that nobody will hand back.
        var orphaned = await world.Outbox.ClaimDueAsync("crashed-instance", 1, TimeSpan.FromSeconds(30));

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Connector.Delivered.Count >= 20);
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        AssertDeliveredExactlyOnceInOrder(world.Connector, ["x", "y"], 10);
        Assert.Single(orphaned);
        Assert.NotNull((await world.Outbox.FindAsync(orphaned[0].Id))!.SentAt);
    }

    [Fact]
    public async Task A_patient_stop_lets_the_send_on_the_wire_finish_instead_of_sending_it_twice()
    {
        await using var world = await OutboxWorld.CreateAsync();
        var answer = new TaskCompletionSource();
        world.Connector.Script = _ =>
        {
            // Hold the answer until the stop has begun.
            answer.Task.Wait(TimeSpan.FromSeconds(10));
            return ConnectorAnswer.Ok;
        };
        var ids = await world.EnqueueAsync("conv-slow", "slow", 1);
        var sender = await world.StartSenderAsync();
        await world.RunUntilAsync(() => !world.Connector.Received.IsEmpty);

        var stopping = world.StopAsync(sender);
        answer.SetResult();
        await stopping;

        Assert.Single(world.Connector.Delivered);
        Assert.NotNull((await world.Outbox.FindAsync(ids[0]))!.SentAt);
    }

    [Fact]
    public async Task Two_senders_at_once_never_deliver_the_same_message_twice()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => request is { Attempt: 1 } && request.Text!.EndsWith("-3", StringComparison.Ordinal)
            ? ConnectorAnswer.ServerError
            : ConnectorAnswer.Ok;
        var conversations = new[] { "p", "q", "r", "s", "t" };
        var ids = new List<string>();
        foreach (var conversation in conversations)
        {
            ids.AddRange(await world.EnqueueAsync($"conv-{conversation}", conversation, 8));
        }

        await Task.WhenAll(world.StartSenderAsync(), world.StartSenderAsync());
        await world.RunUntilAsync(() => world.Connector.Delivered.Count >= 40);
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        AssertDeliveredExactlyOnceInOrder(world.Connector, conversations, 8);
    }

    /// <summary>Makes the write that records "sent" fail (as on a full disk, or a lock held past the retries), or work again.</summary>
    private static async Task RefuseRecordingSentAsync(OutboxWorld world, bool refuse)
    {
        await using var connection = await world.Database.Database.OpenAsync();
        await connection.ExecuteAsync(refuse
            ? "CREATE TRIGGER fail_mark_sent BEFORE UPDATE OF sent_at ON bot_outbox WHEN NEW.sent_at IS NOT NULL BEGIN SELECT RAISE(ABORT, 'simulated write failure'); END"
            : "DROP TRIGGER fail_mark_sent");
    }

    [Fact]
    public async Task A_message_the_channel_accepted_is_not_sent_again_when_recording_it_as_sent_fails()
    {
        await using var world = await OutboxWorld.CreateAsync();
        await RefuseRecordingSentAsync(world, true);
        var id = (await world.EnqueueAsync("conv-m", "m", 1)).Single();

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Connector.Delivered.Count == 1);
        var later = world.Time.GetUtcNow() + TimeSpan.FromSeconds(20); // longer than any retry delay here
        await world.RunUntilAsync(() => world.Time.GetUtcNow() >= later);
        await RefuseRecordingSentAsync(world, false);
        await world.RunUntilAsync(() => world.AllSettledAsync([id]).GetAwaiter().GetResult());

        Assert.Single(world.Connector.Received);
        Assert.NotNull((await world.Outbox.FindAsync(id))!.SentAt);
    }

    [Fact]
    public async Task A_delivered_message_whose_record_failed_is_recorded_by_its_sender_before_another_instance_may_claim_it()
    {
        await using var world = await OutboxWorld.CreateAsync();
        await RefuseRecordingSentAsync(world, true);
        var id = (await world.EnqueueAsync("conv-m", "m", 1)).Single();

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Connector.Delivered.Count == 1);
        var leaseRunsOut = world.Time.GetUtcNow() + TimeSpan.FromSeconds(30); // OutboxWorld's lease
        await world.StartSenderAsync(); // another instance on the same database
        var later = world.Time.GetUtcNow() + TimeSpan.FromSeconds(3); // the database refuses for a while, shorter than a lease
        await world.RunUntilAsync(() => world.Time.GetUtcNow() >= later);
        await RefuseRecordingSentAsync(world, false);
        await world.RunUntilAsync(() => world.AllSettledAsync([id]).GetAwaiter().GetResult());
        var recordedAt = world.Time.GetUtcNow();
        var muchLater = recordedAt + TimeSpan.FromMinutes(2); // past the lease: nothing is left to claim
        await world.RunUntilAsync(() => world.Time.GetUtcNow() >= muchLater);

        Assert.True(recordedAt < leaseRunsOut, $"recorded {recordedAt - leaseRunsOut} after the lease ran out");
        Assert.Single(world.Connector.Received);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_lettered_after_the_configured_attempts_with_its_reason()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = request => request.Text == "doomed-0" ? ConnectorAnswer.ServerError : ConnectorAnswer.Ok;
        var ids = await world.EnqueueAsync("conv-doomed", "doomed", 2);

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        var dead = Assert.Single(await world.Outbox.ListDeadLettersAsync());
        Assert.Equal(ids[0], dead.Id);
        Assert.Equal(4, dead.Attempts);
        Assert.Contains("HTTP 500", dead.LastError);
        Assert.Contains("4 attempts", dead.LastError);
        // Four outbox attempts, each with one quick retry inside the send.
        Assert.Equal(8, world.Connector.Received.Count(r => r.Text == "doomed-0"));
        // The conversation moves on past its dead letter.
        Assert.Equal(["doomed-1"], world.Connector.Delivered.Select(r => r.Text));
    }

    [Fact]
    public async Task A_message_the_channel_refuses_is_dead_lettered_at_once_with_the_error_code()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = _ => new ConnectorAnswer(400, Body: """{"error":{"code":"BadArgument","message":"whatever the user wrote"}}""");
        var ids = await world.EnqueueAsync("conv-refused", "refused", 1);

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        var dead = Assert.Single(await world.Outbox.ListDeadLettersAsync());
        Assert.Equal(1, dead.Attempts);
        Assert.Contains("BadArgument", dead.LastError);
        Assert.DoesNotContain("whatever the user wrote", dead.LastError);
    }

    [Fact]
    public async Task A_message_Teams_finds_too_big_is_given_up_at_the_first_413_and_logged_with_its_channel_and_size_but_not_its_words()
    {
        await using var world = await OutboxWorld.CreateAsync();
        world.Connector.Script = _ => new ConnectorAnswer(413, Body: """{"error":{"code":"MessageSizeTooBig","message":"Message size too big"}}""");
        var ids = await world.EnqueueAsync("conv-big", "应天乐的当前积分", 1);
        var bytes = System.Text.Encoding.UTF8.GetByteCount((await world.Outbox.FindAsync(ids[0]))!.ActivityJson);

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        // Not retried (it would be refused again), and kept for an admin: GET /api/admin/outbox/dead-letters.
        var dead = Assert.Single(await world.Outbox.ListDeadLettersAsync());
        Assert.Equal(1, dead.Attempts);
        Assert.Single(world.Connector.Received);
        Assert.Contains("413", dead.LastError);
        Assert.Contains("MessageSizeTooBig", dead.LastError);
        // One warning an operator finds: which message, which channel, how big, why; never what it said.
        var line = Assert.Single(world.Log.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains(ids[0]));
        Assert.Contains("emulator", line.Message);
        Assert.Contains($"{bytes} bytes", line.Message);
        Assert.Contains("MessageSizeTooBig", line.Message);
        Assert.DoesNotContain(world.Log.Texts, t => t.Contains("应天乐"));
    }

    [Fact]
    public async Task An_unreachable_connector_is_retried_and_then_dead_lettered()
    {
        await using var world = await OutboxWorld.CreateAsync();
        // Nothing listens on port 1 of loopback: every attempt is refused at once.
        var ids = await world.EnqueueAsync("conv-nowhere", "nowhere", 1, serviceUrl: "http://127.0.0.1:1");

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.AllSettledAsync(ids).GetAwaiter().GetResult());

        var dead = Assert.Single(await world.Outbox.ListDeadLettersAsync());
        Assert.Equal(4, dead.Attempts);
        Assert.Contains("could not be reached", dead.LastError);
    }

    [Fact]
    public async Task A_nudge_sends_fresh_messages_without_waiting_for_the_next_poll()
    {
        await using var world = await OutboxWorld.CreateAsync(new Dictionary<string, string?> { ["Bot:Outbox:PollInterval"] = "01:00:00" });
        await world.StartSenderAsync();
        await Task.Delay(200);

        await world.EnqueueAsync("conv-nudged", "nudged", 1);
        world.Services.GetRequiredService<OutboxSignal>().Nudge();

        // The fake clock stands still: only the nudge can wake the sender.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (world.Connector.Delivered.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(["nudged-0"], world.Connector.Delivered.Select(r => r.Text));
    }

    [Fact]
    public async Task Sends_to_one_conversation_keep_the_minimum_gap()
    {
        await using var world = await OutboxWorld.CreateAsync(new Dictionary<string, string?> { ["Bot:Outbox:MinimumGapPerConversation"] = "00:00:02" });
        var sentAt = new ConcurrentQueue<DateTimeOffset>();
        world.Connector.Script = _ =>
        {
            sentAt.Enqueue(world.Time.GetUtcNow());
            return ConnectorAnswer.Ok;
        };
        await world.EnqueueAsync("conv-paced", "paced", 3);

        await world.StartSenderAsync();
        await world.RunUntilAsync(() => world.Connector.Delivered.Count == 3);

        var times = sentAt.ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(2),
            $"only {(pair.Second - pair.First).TotalMilliseconds} ms apart"));
    }

    private static void AssertDeliveredExactlyOnceInOrder(FakeConnector connector, IReadOnlyList<string> conversations, int perConversation)
    {
        var delivered = connector.Delivered.ToList();
        var expected = conversations.SelectMany(c => Enumerable.Range(0, perConversation).Select(i => $"{c}-{i}")).Order().ToList();
        Assert.Equal(expected, delivered.Select(r => r.Text!).Order().ToList());
        foreach (var conversation in conversations)
        {
            var inOrder = Enumerable.Range(0, perConversation).Select(i => $"{conversation}-{i}").ToList();
            Assert.Equal(inOrder, delivered.Where(r => r.ConversationId == $"conv-{conversation}").Select(r => r.Text!).ToList());
        }
    }
}
