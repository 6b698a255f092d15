using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Settings;

public static class SettingsServiceCollectionExtensions
{
    public static IServiceCollection AddSettings(this IServiceCollection services)
    {
        services.AddSingleton<SettingsCache>();
        services.AddSingleton<ISettingsChangeNotifier, InProcessSettingsChangeNotifier>();
        services.AddScoped<SettingsService>();
        return services;
    }
}
