using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Scoring.Service.Tests.Hosting;

/// <summary>What every answer tells a browser or a cache, whoever made it.</summary>
public class SecurityHeadersTests
{
    [Fact]
    public async Task Every_staff_answer_is_kept_by_no_cache_also_a_refusal()
    {
        // Phones unmasked, roster files and a token shown once were answered with no Cache-Control at all: a shared
        // PC's browser kept them on disk after signing out.
        await using var world = await ServiceWorld.CreateAsync();
        var officer = world.Client("officer-1");
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Token() => new(HttpMethod.Post, "/api/staff/gridworker-1/tokens") { Headers = { { Scoring.Service.Features.Idempotency.Header, key } } };

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["subject"] = await officer.GetAsync("/api/subjects/landlord-1"),
            ["roster.csv"] = await officer.GetAsync("/api/streets/houzhai/roster.csv"),
            ["token"] = await officer.SendAsync(Token()),
            ["token replayed"] = await officer.SendAsync(Token()),
            ["404"] = await officer.GetAsync("/api/subjects/nobody"),
            ["403"] = await world.Client("secretary-changchun").GetAsync("/api/subjects/landlord-1"),
            ["401"] = await world.Client().GetAsync("/api/subjects/landlord-1"),
            ["400 body"] = await officer.PostAsync("/api/streets/houzhai/lists/2026-W46/publish", new StringContent("{\"kind\":", Encoding.UTF8, "application/json")),
            ["400 query"] = await officer.GetAsync("/api/subjects/landlord-1?recent=1000"),
        };

        Assert.Equal(["true"], answers["token replayed"].Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized),
            (answers["subject"].StatusCode, answers["404"].StatusCode, answers["403"].StatusCode, answers["401"].StatusCode));
        Assert.All(answers, a => Assert.True(a.Value.Headers.CacheControl?.NoStore == true, $"{a.Key}: Cache-Control {a.Value.Headers.CacheControl}"));
    }

    [Fact]
    public async Task A_body_refused_by_the_error_handler_keeps_every_security_header()
    {
        // The exception handler clears the response before writing its problem: the headers set when the request
        // started went with it.
        await using var world = await ServiceWorld.CreateAsync();
        // Kestrel's body limit, which the in-memory server does not enforce: reading past it throws as Kestrel does.
        var limited = world.Factory.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new BodyLimit(64))));
        var officer = world.Client("officer-1");

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["malformed"] = await officer.PostKeyedAsync("/api/streets/houzhai/lists/2026-W46/publish", new StringContent("{\"kind\":", Encoding.UTF8, "application/json")),
            ["oversized"] = await world.Client(limited, "officer-1").PostKeyedAsJsonAsync("/api/streets/houzhai/lists/2026-W46/publish",
                new { kind = "landlord", correctionReason = new string('x', 200) }),
        };

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge), (answers["malformed"].StatusCode, answers["oversized"].StatusCode));
        foreach (var (name, answer) in answers)
        {
            Assert.True(answer.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{name}: no nosniff");
            Assert.True(answer.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "no-referrer", $"{name}: no Referrer-Policy");
            Assert.True(answer.Headers.CacheControl?.NoStore == true, $"{name}: Cache-Control {answer.Headers.CacheControl}");
        }
    }

    /// <summary>A request body that throws past its limit, as Kestrel's does (413).</summary>
    private sealed class BodyLimit(int bytes) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                context.Request.Body = new Limited(context.Request.Body, bytes);
                return then(context);
            });
            next(app);
        };

        private sealed class Limited(Stream inner, int limit) : Stream
        {
            private int _read;
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _read; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Counted(await inner.ReadAsync(buffer, ct));
            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            private int Counted(int n)
            {
                _read += n;
                if (_read > limit) throw new BadHttpRequestException($"Request body too large. The max request body size is {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
                return n;
            }
        }
    }

    [Fact]
    public async Task Public_answers_keep_their_own_freshness()
    {
        await using var world = await ServiceWorld.CreateAsync();
        world.Clock.Advance(TimeSpan.FromDays(6));
        await world.PublishAsync("2026-W47");
        await world.ScoreAsync("landlord-1", occurredAt: ServiceWorld.Wednesday);
        await world.PublishAsync("2026-W47", correctionReason: "补录一条已核实的记录");

        var list = await world.Client().GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord");
        var revision = await world.Client("officer-1").GetAsync("/api/streets/houzhai/lists/2026-W47?kind=landlord&revision=1"); // replaced; a token changes nothing there

        Assert.Equal("public, max-age=60", list.Headers.CacheControl!.ToString());
        Assert.Equal("public, max-age=31536000, immutable", revision.Headers.CacheControl!.ToString());
    }
}
