using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Scoring.Service.Tests.Hosting;

public class SettingsTests
{
    [Fact]
    public async Task The_per_request_log_is_off_by_default_so_requests_carry_no_trace_activity_or_log_scope()
    {
        await using var world = await ServiceWorld.CreateAsync();

        // ASP.NET Core starts an activity and a scope for a request whenever this category is enabled at any level.
        var requests = world.Factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        Assert.False(requests.IsEnabled(LogLevel.Critical));
    }
}
