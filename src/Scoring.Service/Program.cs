using Scoring.Bot;
using Scoring.Bot.Conversations;
using Scoring.Bot.Endpoint;
using Scoring.Service.Cli;
using Scoring.Service.Features;
using Scoring.Service.Hosting;

// GB18030 and GBK, before anything reads text: JSON bodies (BodyCharsets) and roster files (RosterFiles, the import verb too).
System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

try
{
    // import, staff, backup, chat, or --help listing them; anything else is the service's configuration.
    if (await Verbs.RunAsync(args, Console.In, Console.Out, Console.Error) is { } exit) return exit;

    var builder = WebApplication.CreateBuilder(args);

    var config = builder.AddScoring();                      // configuration, clock, database, use cases
    builder.Services.AddStaffAuthentication();              // bearer tokens for street staff
    builder.Services.AddHostedService<VerificationClockWork>(); // escalation and missed rounds
    builder.AddNightlyBackups(config);                      // a checked copy of the SQLite database every night (Backup:*)
    builder.Services.AddErrorResponses();                   // ProblemDetails for every error, 503 when the database is away
    builder.Services.AddPublicRateLimits();                 // public routes per client address
    builder.Services.AddPublicCors();                       // public routes readable from any origin (a notice-board page)
    builder.Services.AddApiDocs();                          // OpenAPI document
    builder.Services.AddBot(builder.Configuration);         // Bot Framework protocol: channel auth, connector, outbox sender
    builder.Services.AddChat();                             // chat conversations and notices

    var app = builder.Build();
    _ = app.Services.GetRequiredService<Scoring.Application.PublicAddress>(); // a PublicBaseUrl that is no address stops the start, not a board
    _ = app.Services.GetRequiredService<ServiceInstance>(); // the start time the status shows: now, not at its first request
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate(); // refuse bad options before the host logs them
    await app.PrepareDatabaseAsync();                       // migrations, demo street

    app.UseHeadAsGet();                                     // HEAD as GET without the body (load balancers probe /healthz so)
    app.UseRouting();                                       // after it, so HEAD finds the GET route; where routing ran by itself before
    app.UseSecurityHeaders();                               // nosniff, no referrer; HTML pages' Content-Security-Policy (after routing: it is the endpoint's)
    app.UseErrorResponses();
    app.UseCors();                                          // only routes naming a policy (the public ones); headers survive an error's answer
    app.UsePublicCorsWithoutOrigin();                       // the same headers when asked without an Origin: one cached answer serves every origin
    app.UseAuthentication();                                // no default scheme: signs nobody in by itself (OnlyNamedSchemesAuthenticate)
    app.UseAuthorization();                                 // staff routes sign in through their policy; chat and public routes skip it
    app.UseRateLimiter();
    app.UseBodyCharsets();                                  // a JSON body in a charset no encoding has: 415, not a failed read
    app.UseIdempotency();                                   // Idempotency-Key on staff POSTs

    app.MapHealth();                                        // GET /healthz
    app.MapBotEndpoint();                                   // POST /api/messages
    app.MapApiDocs();                                       // /openapi/v1.json, /docs
    app.MapLists();                                         // public lists (JSON, CSV, notice board), preview, publish
    app.MapVerification();                                  // pending queues, approve/reject/revoke, event history
    app.MapReports();                                       // staff reports through the API
    app.MapSubjects();                                      // scores, redemptions
    app.MapPersonalData();                                  // a person's chat accounts, their data in one answer, erasure on request
    app.MapEnrolments();                                    // enrolment codes
    app.MapHonours();                                       // good-person candidates
    app.MapWeeklyReports();                                 // the street office's weekly work report
    app.MapRules();                                         // versioned rules
    app.MapStreetSettings();                                // deadlines, windows, list sizes, holidays
    app.MapStaffTokens();                                   // staff tokens
    app.MapStaffActions();                                  // what staff did to accounts and the roster
    app.MapRosters();                                       // communities, grids, people, staff; roster import/export, enrolment sheets
    app.MapOutboxAdmin();                                   // dead-lettered chat messages, for admins
    app.MapAdminStatus();                                   // the background work's health at a glance, for admins (officers: their street's part)

    await using (app)
    {
        try
        {
            await app.StartAsync();                         // the background work begins once this has listened (ServerStart)
        }
        catch (IOException cannotListen) when (cannotListen.Message.StartsWith("Failed to bind", StringComparison.Ordinal)
                                               || cannotListen.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Kestrel's message names the address ("Failed to bind to address http://127.0.0.1:5000: address already in use.").
            throw new ConfigurationProblem($"{cannotListen.Message.TrimEnd('.')} (another process listens there; --urls or ASPNETCORE_URLS picks another).");
        }
        await app.WaitForShutdownAsync();
    }
    return 0;
}
catch (Exception problem) when (ConfigurationProblem.Is(problem))
{
    return await ConfigurationProblem.ReportAsync(problem, Console.Error);
}

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
