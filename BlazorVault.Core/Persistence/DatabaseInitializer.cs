using System.Data.Common;
using System.Reflection;
using BlazorVault.Core.LegacyMigrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BlazorVault.Core.Persistence;

/// <summary>Creates the data folders with owner-only permissions and brings the database to the latest migration.</summary>
/// <remarks>
/// A new database gets the first migration, a baseline that creates the whole schema in one transaction. A database
/// made before the baseline existed holds the earlier history instead (<see cref="LegacyMigrationsContext"/>): it is
/// brought to the end of that history, whose schema is the baseline's, and the baseline is recorded as applied. A database
/// whose history lists every migration (a restart) skips EF's migrator altogether, and so does a new SQLite database: it
/// runs every migration's SQL as one generated script (<see cref="NewSqliteDatabaseResource"/>), without building the
/// target model of each migration as the migrator does. Regenerate the script after adding a migration:
/// <code>
/// dotnet ef migrations script --no-transactions --project BlazorVault.Core --startup-project BlazorVault \
///   -o BlazorVault.Core/Persistence/NewDatabase/sqlite.sql
/// </code>
/// (<c>NewDatabaseScriptTests</c> fails until then). That history and the script are SQLite's: a PostgreSQL database
/// has its own migration set, applied by the migrator under a database lock.
/// </remarks>
public sealed class DatabaseInitializer(
    StoragePaths paths,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ILoggerFactory loggerFactory
)
{
    /// <summary>What EF itself writes to the history's ProductVersion column: its version without the commit.</summary>
    private static readonly string EntityFrameworkVersion = typeof(DbContext)
        .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
        .InformationalVersion.Split('+')[0];

    /// <summary>The embedded script that creates a new SQLite database at the latest migration, history included.</summary>
    public const string NewSqliteDatabaseResource = "BlazorVault.Core.Persistence.NewDatabase.Sqlite";

    /// <summary>The advisory lock of start-up migrations on PostgreSQL: "BlazVaul" in ASCII, fixed for every version.</summary>
    public const long MigrationLockKey = 0x426C_617A_5661_756C;

    private readonly ILogger _logger = loggerFactory.CreateLogger<DatabaseInitializer>();

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        CreatePrivateDirectory(paths.DataDirectory);
        if (paths.Provider == DatabaseProvider.Sqlite)
        {
            CreatePrivateDirectory(paths.DatabaseDirectory);
        }

        CreatePrivateDirectory(paths.KeyDirectory);
        CreatePrivateDirectory(paths.DataProtectionKeyDirectory);

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        if (!db.Database.IsSqlite())
        {
            try
            {
                if (!await HasEveryMigrationAsync(db, cancellationToken))
                {
                    await MigrateUnderTheDatabaseLockAsync(db, cancellationToken);
                }
            }
            catch (NpgsqlException ex) when (DatabaseUnavailableException.Explain(ex, paths.ConnectionString) is { } problem)
            {
                throw new DatabaseUnavailableException(problem, ex);
            }

            return;
        }

        if (await CreateNewSqliteDatabaseAsync(db, cancellationToken))
        {
            _logger.LogInformation("Created a new database at migration {Migration}", db.Database.GetMigrations().Last());
        }
        else if (!await HasEveryMigrationAsync(db, cancellationToken))
        {
            await CatchUpWithTheBaselineAsync(db, cancellationToken);
            await MigrateAsync(db, cancellationToken);
        }

        // WAL lets readers run beside the single writer; the mode is stored in the file, so once is enough.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        RestrictDatabaseFiles();
    }

    /// <summary>
    /// Nodes that start together against one PostgreSQL database take turns: the first migrates while the others wait on
    /// a session-level advisory lock, then find nothing pending. The lock goes with the connection if the node dies.
    /// </summary>
    private async Task MigrateUnderTheDatabaseLockAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await TakeTheMigrationLockAsync(db, cancellationToken);
            try
            {
                await MigrateAsync(db, cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task TakeTheMigrationLockAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        var free = await db
            .Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({MigrationLockKey}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        if (free)
        {
            return;
        }

        // However long the other node's migration takes: a node that dies releases the lock with its connection.
        _logger.LogInformation("Another node is migrating the database; waiting until it has finished");
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(0);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
        db.Database.SetCommandTimeout(timeout);
    }

    private async Task MigrateAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            _logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Whether the history table already lists every migration, read with a plain query: EF's own reading of the history
    /// builds a model of that table at run time, most of a restart's database time.
    /// </summary>
    internal static async Task<bool> HasEveryMigrationAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"""SELECT "MigrationId" FROM "{HistoryRepository.DefaultTableName}";""";
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            return db.Database.GetMigrations().All(applied.Contains);
        }
        catch (DbException)
        {
            // No history table: a new database, which the migrator creates.
            return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Runs the new-database script in one transaction when the database has no table yet; false when it has one. The
    /// transaction is SQLite's immediate kind, so a second process starting on the same new file waits, then finds tables.
    /// </summary>
    private static async Task<bool> CreateNewSqliteDatabaseAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table';";
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! != 0)
            {
                return false;
            }

            await using var script = typeof(DatabaseInitializer).Assembly.GetManifestResourceStream(NewSqliteDatabaseResource)!;
            using var reader = new StreamReader(script);
            command.CommandText = await reader.ReadToEndAsync(cancellationToken);
            await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task CatchUpWithTheBaselineAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        var baseline = db.Database.GetMigrations().First();
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.Count == 0 || applied.Contains(baseline))
        {
            return;
        }

        _logger.LogInformation("The database predates migration {Baseline}: applying the earlier migrations it lacks first", baseline);
        await using (var legacy = LegacyMigrationsContext.Create(db.Database.GetConnectionString()!, loggerFactory))
        {
            await legacy.Database.MigrateAsync(cancellationToken);
        }

        // Run again after an interruption here, the earlier history has nothing left to apply and this row is written.
        var row = new HistoryRow(baseline, EntityFrameworkVersion);
        await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetInsertScript(row), cancellationToken);
    }

    /// <summary>Owner read/write/execute only (0700): the folders hold the database and the keys.</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void RestrictDatabaseFiles()
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(paths.DatabaseDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(paths.DatabaseDirectory))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
