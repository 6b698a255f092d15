using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    public static IServiceCollection AddNotifications(this IServiceCollection services) =>
        services
            .AddSingleton<MailTransport>()
            .AddSingleton<PublicAddress>()
            .AddScoped<OutboxWriter>()
            .AddScoped<EmailDelivery>()
            .AddScoped<PickupLinkSweep>()
            .AddScoped<OutboxView>();
}
