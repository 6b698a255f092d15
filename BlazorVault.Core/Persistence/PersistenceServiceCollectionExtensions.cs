using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>The assembly of the PostgreSQL migration set; the SQLite set lives in Core itself.</summary>
    public const string PostgresMigrationsAssembly = "BlazorVault.Core.PostgresMigrations";

    /// <summary>
    /// Registers <see cref="IDbContextFactory{TContext}"/> (one context per operation, as interactive components
    /// need) and the scoped context that ASP.NET Core Identity's stores use within a request.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, StoragePaths paths)
    {
        services.AddSingleton(paths);
        services.AddDbContextFactory<BlazorVaultDbContext>(options =>
            options.UseBlazorVaultDatabase(paths.Provider, paths.ConnectionString)
        );
        services.AddSingleton<DatabaseInitializer>();
        return services;
    }

    /// <summary>The provider and its migration set, the same for the application, its tools and the tests.</summary>
    public static DbContextOptionsBuilder UseBlazorVaultDatabase(
        this DbContextOptionsBuilder options,
        DatabaseProvider provider,
        string connectionString
    ) =>
        provider switch
        {
            DatabaseProvider.PostgreSQL => options.UseNpgsql(
                connectionString,
                npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly)
            ),
            _ => options.UseSqlite(connectionString),
        };
}
