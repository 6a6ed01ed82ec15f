using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scoring.Application;
using Scoring.Bot.Turns;

namespace Scoring.Bot.Conversations;

public static class ChatServices
{
    /// <summary>
    /// The conversations (in place of the protocol layer's stand-in handler), the notices the use cases
    /// write into the outbox (in place of <see cref="NoNotices"/>), and the minute-by-minute staff notices.
    /// Order-independent with <c>AddScoringCore</c> and <c>AddBot</c>.
    /// </summary>
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.TryAddSingleton<ChatNotices>();
        services.Replace(ServiceDescriptor.Singleton<INotices>(sp => sp.GetRequiredService<ChatNotices>()));
        services.Replace(ServiceDescriptor.Singleton<IActivityHandler, ConversationHandler>());
        services.AddHostedService<ChatNoticeWork>();
        return services;
    }
}
