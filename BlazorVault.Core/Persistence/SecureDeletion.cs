using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// Deleting rows that held a secret in clear so that their bytes do not stay behind in the database files, as far as
/// the provider allows. SQLite overwrites them; PostgreSQL has no such switch (a deleted row stays in its page until
/// vacuum reuses the space), so there both steps do nothing.
/// </summary>
internal static class SecureDeletion
{
    /// <summary>Before the deletes: SQLite overwrites deleted rows with zeros rather than leaving them in free pages.</summary>
    public static async Task BeginAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (database.IsSqlite())
        {
            await database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON;", cancellationToken);
        }
    }

    /// <summary>After the commit: moves the zeroed pages into the file and empties the write-ahead log that held the old ones.</summary>
    public static async Task EndAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (database.IsSqlite())
        {
            await database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
            await database.ExecuteSqlRawAsync("PRAGMA secure_delete = OFF;", cancellationToken);
        }
    }
}
