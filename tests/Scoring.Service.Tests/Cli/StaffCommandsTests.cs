using System.Net;
using System.Net.Http.Headers;
using Scoring.Service.Cli;

namespace Scoring.Service.Tests.Cli;

public class StaffCommandsTests
{
    [Fact]
    public async Task Staff_token_prints_a_new_token_that_signs_in()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await StaffCommands.RunAsync(["staff", "token", "secretary-changchun", $"--ConnectionStrings:Scoring=Data Source={world.DatabasePath}"], output, error);

        Assert.Equal(0, exit);
        var token = output.ToString().Trim();
        Assert.StartsWith("st_", token);
        Assert.DoesNotContain(token, error.ToString());
        var client = world.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/communities/changchun/pending")).StatusCode);
    }

    [Fact]
    public async Task Staff_token_on_the_console_issues_for_an_officer_which_no_fellow_officer_may()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var output = new StringWriter();

        var exit = await StaffCommands.RunAsync(["staff", "token", "officer-1", $"--ConnectionStrings:Scoring=Data Source={world.DatabasePath}"], output, new StringWriter());

        Assert.Equal(0, exit);
        var client = world.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", output.ToString().Trim());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/streets/houzhai/staff")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_staff_member_fails_and_a_wrong_verb_shows_the_usage()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var error = new StringWriter();
        Assert.Equal(1, await StaffCommands.RunAsync(["staff", "token", "nobody", $"--ConnectionStrings:Scoring=Data Source={world.DatabasePath}"], TextWriter.Null, error));
        Assert.Contains("nobody", error.ToString());
        var usage = new StringWriter();
        Assert.Equal(64, await StaffCommands.RunAsync(["staff", "tokens"], TextWriter.Null, usage));
        Assert.Contains("staff token <staff-id>", usage.ToString());
    }

    [Fact]
    public async Task Staff_admin_makes_the_service_s_first_admin_whose_token_reads_the_admin_routes_and_is_on_record()
    {
        // Only an admin could make an admin, and nothing made the first: the dead letters and the whole status were out of reach.
        await using var world = await ServiceWorld.CreateAsync();
        var setting = $"--ConnectionStrings:Scoring=Data Source={world.DatabasePath}";
        var output = new StringWriter();

        var exit = await StaffCommands.RunAsync(["staff", "admin", "houzhai", "运维管理员", setting], output, new StringWriter());
        var id = output.ToString().Trim();
        var token = new StringWriter();
        await StaffCommands.RunAsync(["staff", "token", id, setting], token, new StringWriter());
        var client = world.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.ToString().Trim());

        Assert.Equal(0, exit);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/admin/outbox/dead-letters")).StatusCode);
        var actions = await world.Client("officer-1").GetStringAsync("/api/streets/houzhai/staff-actions");
        Assert.Contains($"\"actor\":\"console\",\"action\":\"staff-created\",\"targetKind\":\"staff\",\"targetId\":\"{id}\",\"detail\":\"admin\"", actions);
    }
}
