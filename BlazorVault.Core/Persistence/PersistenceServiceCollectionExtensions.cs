using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{TContext}"/> (one context per operation, as interactive components
    /// need) and the scoped context that ASP.NET Core Identity's stores use within a request.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, StoragePaths paths)
    {
        services.AddSingleton(paths);
        services.AddDbContextFactory<BlazorVaultDbContext>(options => options.UseSqlite(paths.ConnectionString));
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }
}
