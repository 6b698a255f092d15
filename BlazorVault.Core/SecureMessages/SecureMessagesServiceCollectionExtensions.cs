using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.SecureMessages;

public static class SecureMessagesServiceCollectionExtensions
{
    public static IServiceCollection AddSecureMessages(this IServiceCollection services) =>
        services.AddScoped<SecureMessageService>().AddScoped<RedeemSecureMessageCommand>().AddScoped<SecureMessageExpirySweep>();
}
