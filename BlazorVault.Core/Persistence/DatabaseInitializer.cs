using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Persistence;

/// <summary>Creates the data folders with owner-only permissions and brings the database to the latest migration.</summary>
public sealed class DatabaseInitializer(
    StoragePaths paths,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ILogger<DatabaseInitializer> logger
)
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        CreatePrivateDirectory(paths.DataDirectory);
        CreatePrivateDirectory(paths.DatabaseDirectory);
        CreatePrivateDirectory(paths.KeyDirectory);
        CreatePrivateDirectory(paths.DataProtectionKeyDirectory);

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers run beside the single writer; the mode is stored in the file, so once is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            RestrictDatabaseFiles();
        }
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
