using BlazorVault.Core.Persistence;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace BlazorVault.Tests.Persistence.Core;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DatabaseInitializerTests
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
    public async Task Initialize_OnAnEmptyFolder_MigratesWithoutAnyMigrationWarning()
    {
        await using var host = await CoreTestHost.StartAsync();

        // A warning here is typically EF running an operation outside the migration's transaction (an SQLite table
        // rebuild), which an interrupted start leaves half applied.
        var warnings = host.Logs.Lines.Where(line =>
            line.StartsWith("Warning Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal)
        );
        Assert.True(!warnings.Any(), "EF warned while migrating a new database:\n" + string.Join('\n', warnings));
    }

    [Fact]
    public async Task Initialize_OnAnEmptyFolder_CreatesTheDatabaseFromTheScript_WithoutEfMigrator()
    {
        await using var host = await CoreTestHost.StartAsync();

        // The new database's fast path: the generated script, not the migrator (which builds every migration's model).
        Assert.Contains(host.Logs.Lines, line => line.Contains("Created a new database at migration", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains("Microsoft.EntityFrameworkCore.Migrations", StringComparison.Ordinal));
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

    [Fact]
    public async Task Initialize_OnAnUpToDateDatabase_LeavesEfMigratorAlone()
    {
        await using var host = await CoreTestHost.StartAsync();
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
    public void Paths_FollowConfiguration_WithKeysOutsideTheDataFolderWhenAsked()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(
                new Dictionary<string, string?>
                {
                    ["Storage:DataDirectory"] = "/srv/vault",
                    ["Storage:KeyDirectory"] = "/etc/blazorvault/keys",
                }
            )
            .Build();

        var paths = StoragePaths.FromConfiguration(configuration, "/opt/app");
        var defaults = StoragePaths.FromConfiguration(new ConfigurationBuilder().Build(), "/opt/app");

        Assert.Equal("/srv/vault/db", paths.DatabaseDirectory);
        Assert.Equal("/etc/blazorvault/keys", paths.KeyDirectory);
        Assert.Contains("Data Source=/srv/vault/db/blazorvault.db", paths.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(("/opt/app/data", "/opt/app/data/keys"), (defaults.DataDirectory, defaults.KeyDirectory));
    }
}
