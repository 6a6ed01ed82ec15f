using Scoring.Application;
using Scoring.Domain;
using Scoring.Storage;

namespace Scoring.Service.Cli;

/// <summary>
/// Server-side verbs for whoever runs the service (no token needed: access to the server is the authority):
/// <c>staff token &lt;id&gt;</c> issues a bearer token and prints it once; <c>staff revoke &lt;id&gt;</c> takes back all their credentials (tokens, unused enrolment codes, chat accounts: a lost phone);
/// <c>staff admin &lt;street&gt; &lt;name&gt;</c> makes an admin (only an admin may, so the first is made here) and prints their id.
/// Configuration comes as for the service (appsettings, environment, <c>--Key=value</c>).
/// </summary>
public static class StaffCommands
{
    public const string Usage = "Usage: dotnet run --project src/Scoring.Service -- staff token <staff-id> | staff revoke <staff-id> | staff admin <street> <name> [--migrate] [--Key=value ...]";

    /// <summary>
    /// Who the command line acts as where a use case asks for a staff member: the service's operator, who may do anything
    /// an admin may (access to the server is the authority), and is named <c>console</c> in the street's staff actions.
    /// </summary>
    private static StaffMember Operator(string street) => new() { Id = StaffActions.Console, StreetId = street, Role = StaffRole.Admin, Name = "console" };

    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "staff";

    /// <returns>0 on success, 1 when refused, 2 when the configuration cannot work, 64 on a usage error (sysexits' EX_USAGE).</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var words = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var settings = args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (words is ["admin", var street, var name])
            return await CommandStart.RunAsync(settings, error, async services =>
            {
                // Only an admin makes an admin: the first one is made here, by whoever runs the server.
                var made = await services.GetRequiredService<Rosters>().CreateStaffAsync(Operator(street), street, new StaffDraft(Role: "admin", Name: name));
                if (made.Failure is { } failure)
                {
                    await error.WriteLineAsync(failure.English);
                    return 1;
                }
                await error.WriteLineAsync($"Admin {made.Value!.Name} ({made.Value.Id}) created in {street}; give them a token with: staff token {made.Value.Id}");
                await output.WriteLineAsync(made.Value.Id);
                return 0;
            });
        if (words is not [("token" or "revoke") and var verb, var staffId])
        {
            await error.WriteLineAsync(Usage);
            return 64;
        }

        return await CommandStart.RunAsync(settings, error, async services =>
        {
            var db = services.GetRequiredService<Database>();
            var tokens = services.GetRequiredService<StaffTokens>();
            var staff = await db.ReadAsync(s => s.GetStaffAsync(staffId));

            if (verb == "token")
            {
                var issued = await tokens.IssueAsync(null, staffId);
                if (issued.Failure is { } failure)
                {
                    await error.WriteLineAsync(failure.English);
                    return 1;
                }
                await error.WriteLineAsync($"A new token for {staff!.Name} ({staff.Role.ToWire()}, {staffId}); it is shown only now. Send it as 'Authorization: Bearer <token>'.");
                await output.WriteLineAsync(issued.Value);
                return 0;
            }
            var revoked = await tokens.RevokeAllAsync(null, staffId);
            if (revoked.Failure is { } refused)
            {
                await error.WriteLineAsync(refused.English);
                return 1;
            }
            await output.WriteLineAsync($"Revoked {revoked.Value!.Tokens} token(s) of {staffId}, voided {revoked.Value.CodesVoided} unused enrolment code(s), unbound {revoked.Value.AccountsUnbound} chat account(s).");
            return 0;
        });
    }
}
