using BlazorVault.Core.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Settings;

public static class SettingsServiceCollectionExtensions
{
    /// <summary>Changes reach listeners in this process on SQLite (one node), and on every node sharing PostgreSQL.</summary>
    public static IServiceCollection AddSettings(this IServiceCollection services, StoragePaths paths)
    {
        services.AddSingleton<SettingsCache>();
        if (paths.Provider == DatabaseProvider.PostgreSQL)
        {
            services.AddSingleton<PostgresSettingsChangeNotifier>();
            services.AddSingleton<ISettingsChangeNotifier>(s => s.GetRequiredService<PostgresSettingsChangeNotifier>());
            services.AddHostedService(s => s.GetRequiredService<PostgresSettingsChangeNotifier>());
        }
        else
        {
            services.AddSingleton<ISettingsChangeNotifier, InProcessSettingsChangeNotifier>();
        }

        services.AddScoped<SettingsService>();
        return services;
    }
}
