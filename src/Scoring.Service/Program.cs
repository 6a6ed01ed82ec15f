using Scoring.Service.Features;
using Scoring.Service.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddScoring();                                   // configuration, clock, database, use cases
    builder.Services.AddStaffAuthentication();              // bearer tokens for street staff
    builder.Services.AddHostedService<VerificationClockWork>(); // escalation and missed rounds

    var app = builder.Build();
    await app.PrepareDatabaseAsync();                       // migrations, demo street

    app.UseAuthentication();
    app.UseAuthorization();

    app.MapHealth();                                        // GET /healthz

    await app.RunAsync();
    return 0;
}
catch (ConfigurationProblem problem)
{
    // One clear line, not a stack trace: this is what an operator reads first.
    await Console.Error.WriteLineAsync($"Scoring cannot start: {problem.Message}");
    return 2;
}

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
