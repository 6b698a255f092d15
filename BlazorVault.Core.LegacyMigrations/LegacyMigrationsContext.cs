using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.LegacyMigrations;

/// <summary>
/// The migration history before Core's baseline migration (InitialCreate to AccountPasswords), frozen: a database
/// made by those versions is brought to their last migration with it, after which it holds exactly the baseline's
/// schema. New installations never run it. It lives in its own assembly so that <c>dotnet ef</c>, which looks for
/// contexts in Core and the web host, still finds only <c>BlazorVaultDbContext</c>.
/// </summary>
/// <remarks>
/// The migrations were moved here from Core as <c>dotnet ef</c> generated them; only their namespace and their
/// <c>[DbContext]</c> attribute changed. Their model snapshots are untouched.
/// </remarks>
public sealed class LegacyMigrationsContext(DbContextOptions<LegacyMigrationsContext> options) : DbContext(options)
{
    public static LegacyMigrationsContext Create(string connectionString, ILoggerFactory loggerFactory) =>
        new(
            new DbContextOptionsBuilder<LegacyMigrationsContext>()
                .UseSqlite(connectionString)
                .UseLoggerFactory(loggerFactory)
                .ReplaceService<IMigrationsSqlGenerator, InTransactionRebuildSqlGenerator>()
                .Options
        );

    /// <summary>
    /// EF rebuilds an SQLite table between <c>PRAGMA foreign_keys</c> toggles that cannot run in a transaction, so an
    /// interrupted upgrade could stop half way through a migration. The one rebuild in this history
    /// (CustomVisibility, in CustomObjectsIntegrity) is of a table that no other table references, which makes it
    /// safe with foreign keys on; without the toggles it stays inside the upgrade's single transaction.
    /// </summary>
    /// <remarks>Only for this frozen history: rebuilding a referenced table with foreign keys on would cascade.</remarks>
    private sealed class InTransactionRebuildSqlGenerator(
        MigrationsSqlGeneratorDependencies dependencies,
        IRelationalAnnotationProvider migrationsAnnotations
    ) : SqliteMigrationsSqlGenerator(dependencies, migrationsAnnotations)
    {
        public override IReadOnlyList<MigrationCommand> Generate(
            IReadOnlyList<MigrationOperation> operations,
            IModel? model = null,
            MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default
        ) =>
            base.Generate(operations, model, options)
                .Where(command => !command.CommandText.StartsWith("PRAGMA foreign_keys", StringComparison.Ordinal))
                .ToList();
    }
}
