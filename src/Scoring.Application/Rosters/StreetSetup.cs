using Scoring.Domain;
using Scoring.Domain.Rules;
using Scoring.Domain.Weeks;
using Scoring.Storage;

namespace Scoring.Application;

/// <summary>What setting up a street did: whether the street is new, the communities created, and the first officer with their token (shown once).</summary>
public sealed record StreetSetupReport(bool StreetCreated, IReadOnlyList<string> CommunitiesCreated, StaffMember? Officer, string? OfficerToken);

/// <summary>
/// Day one of a street office, for whoever runs the service: the street itself (default settings and rules),
/// the communities its first roster names (named by their id until an officer renames them), and a first
/// officer to hold the keys. Everything after that goes through the officers' API.
/// </summary>
public sealed class StreetSetup(TimeProvider time)
{
    public async Task<Outcome<StreetSetupReport>> PrepareInAsync(Session s, string streetId, string streetName, IEnumerable<string> communities, string? officerName)
    {
        var id = RosterText.Id(streetId, "street", "街道");
        if (!id.Succeeded) return id.Failure!;
        var name = RosterText.Name(streetName, "street's name", "街道名称");
        if (!name.Succeeded) return name.Failure!;
        var now = time.GetUtcNow();

        var street = await s.GetStreetAsync(streetId);
        bool created = street is null;
        if (street is null)
        {
            street = new Street { Id = streetId, Name = name.Value! };
            await s.InsertStreetAsync(street, now);
            // The default rules count from the Monday of this week, so this week's reports have rules to score by.
            var zone = street.Settings.TimeZone;
            await s.InsertRuleSetAsync(DefaultRules.For(streetId, IsoWeek.Containing(now, zone).Start(zone)), "setup", now);
        }

        var made = new List<string>();
        foreach (var community in communities.Distinct())
        {
            if (RosterText.Id(community, "community", "社区") is not { Succeeded: true }) continue; // the import reports it on its row
            if (await s.GetCommunityAsync(community) is { } existing)
            {
                // Community ids are the service's, not a street's: skipping it left every row of it refused as 'no
                // community in this street', on the street just made with it.
                if (existing.StreetId != streetId) return Rosters.CommunityOfAnotherStreet(community);
                continue;
            }
            await s.InsertCommunityAsync(new Community { Id = community, StreetId = streetId, Name = community });
            made.Add(community);
        }

        StaffMember? officer = null;
        string? token = null;
        if (officerName is not null && !(await s.ListStaffAsync(streetId)).Any(x => x.Active && x.Role == StaffRole.Officer))
        {
            var officerNameValue = RosterText.Name(officerName, "officer's name", "工作人员姓名");
            if (!officerNameValue.Succeeded) return officerNameValue.Failure!;
            officer = new StaffMember { Id = $"officer-{Ids.New(6).ToLowerInvariant()}", StreetId = streetId, Role = StaffRole.Officer, Name = officerNameValue.Value! };
            await s.InsertStaffAsync(officer);
            token = Ids.Token();
            await s.InsertTokenAsync(Ids.Hash(token), officer.Id, now);
            // Kept as any officer or token the command line makes is: who gave whom access starts with these keys.
            await StaffActions.RecordAsync(s, now, streetId, StaffActions.Console, StaffActions.StaffCreated, StaffActions.Targets.Staff, officer.Id, officer.Role.ToWire());
            await StaffActions.RecordAsync(s, now, streetId, StaffActions.Console, StaffActions.TokenIssued, StaffActions.Targets.Staff, officer.Id, officer.Role.ToWire());
        }
        return new StreetSetupReport(created, made, officer, token);
    }
}
