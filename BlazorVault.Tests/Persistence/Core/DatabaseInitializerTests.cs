using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace BlazorVault.Tests.Persistence.Core;

/// <summary>The start-up migration, on each provider with that provider's own migration set.</summary>
public abstract class DatabaseInitializerTests(ITestDatabaseSource databases)
{
    [Fact]
    public async Task Initialize_OnAnEmptyDatabase_MigratesWithoutAnyMigrationWarning()
    {
        await using var host = await CoreTestHost.StartAsync(databases: databases);

        // A warning here is typically EF running an operation outside the migration's transaction (an SQLite table
        // rebuild), which an interrupted start leaves half applied.
        var warnings = host.Logs.Lines.Where(line =>
            line.StartsWith("Warning Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal)
        );
        Assert.True(!warnings.Any(), "EF warned while migrating a new database:\n" + string.Join('\n', warnings));
    }

    [Fact]
    public async Task Initialize_AppliesEveryMigrationOfItsProvidersSet_AndAStartAfterItAppliesNothing()
    {
        await using var host = await CoreTestHost.StartAsync(databases: databases);
        await host.Get<DatabaseInitializer>().InitializeAsync();

        await using var db = await host.OpenDbAsync();
        var migrations = db.Database.GetMigrations().ToList();
        Assert.Equal(migrations, await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(
            databases.Provider == DatabaseProvider.Sqlite ? typeof(BlazorVaultDbContext).Assembly : PostgresMigrations,
            MigrationsOf(db)
        );
        // A new SQLite database comes from the generated script, a PostgreSQL one from the migrator.
        Assert.Single(
            host.Logs.Lines,
            line =>
                line.Contains("database migration(s)", StringComparison.Ordinal)
                || line.Contains("Created a new database at migration", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task Initialize_OnAnUpToDateDatabase_LeavesEfMigratorAlone()
    {
        await using var host = await CoreTestHost.StartAsync(databases: databases);
        var before = host.Logs.Lines.Count;

        await host.Get<DatabaseInitializer>().InitializeAsync(TestContext.Current.CancellationToken);

        // The restart's fast path: one plain read of the history, not EF's (whose model of the history costs a restart most).
        var migrator = host
            .Logs.Lines.Skip(before)
            .Where(line =>
                line.Contains("Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal)
                || line.Contains("__EFMigrationsHistory", StringComparison.Ordinal)
            )
            .ToList();
        Assert.True(migrator.Count == 0, "EF's migrator ran on an up-to-date database:\n" + string.Join('\n', migrator));
        await using var db = await host.Get<IDbContextFactory<BlazorVaultDbContext>>()
            .CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheModel_HasNoChangeThatItsMigrationSetLacks()
    {
        // What `dotnet ef migrations has-pending-model-changes` checks, on the context as the application configures it
        // (Identity's schema version comes from its options); no server is contacted.
        var connectionString = databases.Provider == DatabaseProvider.Sqlite ? null : "Host=127.0.0.1;Database=never-opened";
        await using var host = CoreTestHost.Create(new TestDatabase(databases.Provider, connectionString));
        await using var db = await host.OpenDbAsync();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"The {databases.Provider} migrations lack a model change: add a migration.");
    }

    [Fact]
    public async Task RowsAddedAfterTheSeededOnes_GetNewIds()
    {
        await using var host = await CoreTestHost.StartAsync(databases: databases);

        var (table, field, tab) = await host.AsSystemAsync(async () =>
        {
            var table = await host.Get<CustomTableService>().CreateTableAsync(new CustomTableInput { Name = "Licences" });
            var field = await host.Get<CustomTableFieldService>().AddFieldAsync(table, new CustomFieldInput { Label = "Key" });
            var tab = await host.Get<CustomerFieldService>().AddAsync(new CustomerFieldInput { Label = "Licences", LinkedTableId = table });
            return (table, field, tab);
        });

        // Seeded: the Passwords table (1), its six fields (1-6) and its customer tab (1).
        Assert.Equal((2, 7, 2), (table, field, tab));
    }

    private static readonly System.Reflection.Assembly PostgresMigrations = System.Reflection.Assembly.Load(
        PersistenceServiceCollectionExtensions.PostgresMigrationsAssembly
    );

    private static System.Reflection.Assembly MigrationsOf(BlazorVaultDbContext db) => db.GetService<IMigrationsAssembly>().Assembly;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public sealed class OnSqlite() : DatabaseInitializerTests(SqliteDatabases.Instance)
    {
        private const UnixFileMode GroupOrOther =
            UnixFileMode.GroupRead
            | UnixFileMode.GroupWrite
            | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead
            | UnixFileMode.OtherWrite
            | UnixFileMode.OtherExecute;

        [Fact]
        public async Task Initialize_CreatesPrivateFoldersAndAMigratedDatabaseInWalMode()
        {
            await using var host = await CoreTestHost.StartAsync();

            foreach (
                var folder in new[]
                {
                    host.Paths.DataDirectory,
                    host.Paths.DatabaseDirectory,
                    host.Paths.KeyDirectory,
                    host.Paths.DataProtectionKeyDirectory,
                }
            )
            {
                Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(folder) & GroupOrOther);
            }

            Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(host.DatabaseFile) & GroupOrOther);
            await using var connection = new SqliteConnection($"Data Source={host.DatabaseFile}");
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        [Fact]
        public async Task Initialize_OnAnEmptyFolder_CreatesTheDatabaseFromTheScript_WithoutEfMigrator()
        {
            await using var host = await CoreTestHost.StartAsync();

            // The new database's fast path: the generated script, not the migrator (which builds every migration's model).
            Assert.Contains(host.Logs.Lines, line => line.Contains("Created a new database at migration", StringComparison.Ordinal));
            Assert.DoesNotContain(
                host.Logs.Lines,
                line => line.Contains("Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal)
            );
            await using var db = await host.Get<IDbContextFactory<BlazorVaultDbContext>>()
                .CreateDbContextAsync(TestContext.Current.CancellationToken);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        }

        [Fact]
        public async Task NewDatabaseScript_IsWhatTheMigrationsGenerateToday()
        {
            await using var host = await CoreTestHost.StartAsync();
            await using var db = await host.Get<IDbContextFactory<BlazorVaultDbContext>>()
                .CreateDbContextAsync(TestContext.Current.CancellationToken);
            var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.NoTransactions);
            await using var resource = typeof(DatabaseInitializer).Assembly.GetManifestResourceStream(
                DatabaseInitializer.NewSqliteDatabaseResource
            )!;
            var embedded = await new StreamReader(resource).ReadToEndAsync(TestContext.Current.CancellationToken);

            Assert.True(
                embedded.ReplaceLineEndings().Trim() == generated.ReplaceLineEndings().Trim(),
                "Persistence/NewDatabase/sqlite.sql is stale: regenerate it with the command in DatabaseInitializer's remarks."
            );
        }
    }

    public sealed class OnPostgreSql(PostgresServer postgres) : DatabaseInitializerTests(postgres)
    {
        [Fact]
        public async Task TwoNodesStartingAtOnceOnAnEmptyDatabase_MigrateOnce_AndBothStart()
        {
            var database = await postgres.CreateAsync();
            await using var first = CoreTestHost.Create(database);
            await using var second = CoreTestHost.Create(new TestDatabase(DatabaseProvider.PostgreSQL, database.ConnectionString));

            await Task.WhenAll(Task.Run(first.InitializeAsync), Task.Run(second.InitializeAsync));

            var migrated = new[] { first, second }.Count(host =>
                host.Logs.Lines.Any(line => line.Contains("database migration(s)", StringComparison.Ordinal))
            );
            Assert.Equal(1, migrated);
            await using var db = await second.OpenDbAsync();
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(1, await db.EncryptionKeys.CountAsync());
            Assert.Equal(1, await db.AuditEvents.CountAsync());
        }

        [Fact]
        public async Task Initialize_WaitsWhileAnotherNodeHoldsTheMigrationLock()
        {
            var database = await postgres.CreateAsync();
            await using var host = CoreTestHost.Create(database);
            await using var otherNode = new NpgsqlConnection(database.ConnectionString);
            await otherNode.OpenAsync(TestContext.Current.CancellationToken);
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({DatabaseInitializer.MigrationLockKey})", otherNode))
            {
                await take.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var start = host.InitializeAsync();
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.False(start.IsCompleted, "The start migrated while another node held the migration lock.");
            Assert.Contains(host.Logs.Lines, line => line.Contains("Another node is migrating the database", StringComparison.Ordinal));

            await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({DatabaseInitializer.MigrationLockKey})", otherNode))
            {
                await release.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            await start.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            await using var db = await host.OpenDbAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        }
    }
}
