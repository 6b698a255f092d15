using System.Reflection;
using BlazorVault.Core.LegacyMigrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Persistence;

/// <summary>Creates the data folders with owner-only permissions and brings the database to the latest migration.</summary>
/// <remarks>
/// A new database gets the first migration, a baseline that creates the whole schema in one transaction. A database
/// made before the baseline existed holds the earlier history instead (<see cref="LegacyMigrationsContext"/>): it is
/// brought to the end of that history, whose schema is the baseline's, and the baseline is recorded as applied. That
/// history is SQLite's: a PostgreSQL database has its own migration set, which starts with its own baseline.
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
            await MigrateUnderTheDatabaseLockAsync(db, cancellationToken);
            return;
        }

        await CatchUpWithTheBaselineAsync(db, cancellationToken);
        await MigrateAsync(db, cancellationToken);

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
