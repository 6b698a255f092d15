using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
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
        // Before migrating, EF checks the model against the last migration's snapshot by building both, about a second of a
        // first start; a test (CompiledModelTests) makes the same check, so the start skips it.
        services.AddDbContextFactory<BlazorVaultDbContext>(options =>
            options
                .UseSqlite(paths.ConnectionString)
                .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning))
        );
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }
}
