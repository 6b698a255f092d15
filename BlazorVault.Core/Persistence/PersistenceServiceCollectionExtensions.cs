using System.Data.Common;
using BlazorVault.Core.Persistence.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

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
        if (paths.Provider == DatabaseProvider.Sqlite)
        {
            services.AddSingleton<SqliteWriteGate>();
        }

        // Before migrating, EF checks the model against the last migration's snapshot by building both, about a second of a
        // first start; a test (CompiledModelTests) makes the same check for each provider, so the start skips it.
        services.AddDbContextFactory<BlazorVaultDbContext>(
            (provider, options) =>
            {
                options
                    .UseBlazorVaultDatabase(paths.Provider, paths.ConnectionString)
                    .ConfigureWarnings(warnings => warnings.Ignore(RelationalEventId.PendingModelChangesWarning));
                if (paths.Provider == DatabaseProvider.Sqlite)
                {
                    options.AddInterceptors(provider.GetRequiredService<SqliteWriteGate>());
                }
            }
        );
        services.AddSingleton<DatabaseInitializer>();
        services.AddScoped<ReadinessProbe>();
        services.AddScoped<DatabaseMove>();
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
                PreparingStatements(connectionString),
                npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly)
            ),
            _ => options.UseSqlite(connectionString).UseModel(BlazorVaultDbContextModel.Instance),
        };

    /// <summary>How many statements each PostgreSQL connection keeps prepared, unless the connection string says.</summary>
    public const int AutoPreparedStatements = 64;

    /// <summary>
    /// Npgsql prepares the statements a connection runs often (<c>Max Auto Prepare</c>) unless the connection string sets it:
    /// PostgreSQL then plans each once per connection instead of at every call, which is much of a short statement's cost
    /// (a reveal: 6.98 ms without, 5.65 ms with). Behind a pooler that cannot keep prepared statements (PgBouncer in transaction
    /// mode before 1.21), the operator sets <c>Max Auto Prepare=0</c>.
    /// </summary>
    public static string PreparingStatements(string connectionString)
    {
        // The keys as the operator wrote them ("Max Auto Prepare" or "MaxAutoPrepare"): Npgsql's builder knows every key.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (
            given
                .Keys.Cast<string>()
                .Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        )
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = AutoPreparedStatements }.ConnectionString;
    }
}
