using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Scoring.Service.Hosting;

namespace Scoring.Service.Tests.Hosting;

public class StaffAuthenticationTests
{
    /// <summary>Counts the staff handlers a request asks for, i.e. the times it authenticates a staff member.</summary>
    private sealed class CountedHandlers(IAuthenticationSchemeProvider schemes, HandlerCount count) : IAuthenticationHandlerProvider
    {
        private readonly AuthenticationHandlerProvider _inner = new(schemes);

        public Task<IAuthenticationHandler?> GetHandlerAsync(HttpContext context, string authenticationScheme)
        {
            if (authenticationScheme == StaffAuthentication.SchemeName) Interlocked.Increment(ref count.Value);
            return _inner.GetHandlerAsync(context, authenticationScheme);
        }
    }

    private sealed class HandlerCount { public int Value; }

    [Fact]
    public async Task Public_reads_and_chat_messages_never_run_the_staff_handler_even_with_a_staff_token()
    {
        await using var world = await ServiceWorld.CreateAsync();
        var count = new HandlerCount();
        using var factory = world.Factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
        {
            services.AddSingleton(count);
            services.AddScoped<IAuthenticationHandlerProvider, CountedHandlers>();
        }));
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", world.TokenOf("officer-1"));

        var list = await client.GetAsync($"/api/streets/{ServiceWorld.DemoStreetId}/lists/2026-W46");
        var chat = await client.PostAsync("/api/messages", ServiceWorld.Json(new
        {
            type = "message", id = "m-1", text = "帮助", channelId = "webchat", serviceUrl = "http://localhost/",
            from = new { id = "u-1" }, recipient = new { id = "bot" }, conversation = new { id = "c-1" },
        }));
        var publicCalls = count.Value;
        var staff = await client.GetAsync("/api/subjects/landlord-1");

        Assert.NotEqual(HttpStatusCode.InternalServerError, list.StatusCode);
        Assert.True(chat.IsSuccessStatusCode, $"chat: {(int)chat.StatusCode}");
        Assert.Equal(0, publicCalls);
        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        Assert.True(count.Value > 0, "the staff route did not authenticate through the staff handler");
    }
}
