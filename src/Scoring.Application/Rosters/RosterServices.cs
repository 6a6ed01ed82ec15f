using Microsoft.Extensions.DependencyInjection;

namespace Scoring.Application;

public static class RosterServices
{
    /// <summary>Roster management: the people themselves in chat, staff through the API, and spreadsheet import/export.</summary>
    public static IServiceCollection AddRosters(this IServiceCollection services)
    {
        services.AddSingleton<Rosters>();
        services.AddSingleton<RosterImport>();
        services.AddSingleton<RosterExport>();
        services.AddSingleton<EnrolmentSheets>();
        services.AddSingleton<StreetSetup>();
        return services;
    }
}
