using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scoring.Storage;

namespace Scoring.Application;

public static class CoreServices
{
    /// <summary>The database and the use cases. The TimeProvider must be registered by the host.</summary>
    public static IServiceCollection AddScoringCore(this IServiceCollection services, StorageProvider provider, string connectionString)
    {
        services.AddSingleton(sp => new Database(provider, connectionString, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<INotices, NoNotices>();
        // The bot's layer registers it from its options (AddBot); a host without it reads the same setting.
        services.TryAddSingleton(sp => new AppSecret(sp.GetService<IConfiguration>()?[AppSecret.Setting], sp.GetService<IConfiguration>()?[AppSecret.PreviousSetting]));
        services.TryAddSingleton(sp => new PublicAddress(sp.GetService<IConfiguration>()?[PublicAddress.Setting]));
        services.AddSingleton<PasswordAgreement>();
        services.AddSingleton<Reporting>();
        services.AddSingleton<Verification>();
        services.AddSingleton<Publication>();
        // The bot's layer registers it from its options (AddBot); without it, the default limits.
        services.TryAddSingleton(sp => new ChannelBindBudget(sp.GetRequiredService<TimeProvider>(), null, sp.GetService<Microsoft.Extensions.Logging.ILogger<ChannelBindBudget>>()));
        services.AddSingleton<Enrolment>();
        services.AddSingleton<Scores>();
        services.AddSingleton<StaffTokens>();
        services.AddSingleton<StaffActions>();
        services.AddSingleton<Rounds>();
        services.AddSingleton<Rewards>();
        services.AddSingleton<WeeklyReports>();
        services.AddSingleton<OffRosterErasure>();
        services.AddSingleton<PersonalData>();
        services.AddSingleton<SubjectChatAccounts>();
        services.AddSingleton<RuleBook>();
        services.AddSingleton<StreetSettingsBook>();
        services.AddRosters();
        services.AddSingleton<Demo.DemoStreet>();
        return services;
    }
}
