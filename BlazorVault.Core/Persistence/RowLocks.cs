using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Settings.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// Row locks that keep PostgreSQL's Read Committed as strict as SQLite, where a write transaction (<c>BEGIN IMMEDIATE</c>)
/// already holds the database's one write lock from its first statement, so on SQLite every call here does nothing. On
/// PostgreSQL each one is a <c>SELECT ... FOR UPDATE</c> (or <c>FOR SHARE</c>) held to the end of the caller's transaction:
/// a second writer waits for the first to end and then reads what it committed, instead of acting on what it read before.
/// </summary>
/// <remarks>
/// Transactions take these locks in one order, so that two of them never wait for each other: an account, then an access request, then a
/// settings section, then the encryption state, then the audit chain head. The audit head therefore takes the encryption state
/// (shared) first, for a transaction that writes a secret after its audit event.
/// </remarks>
internal static class RowLocks
{
    /// <summary>The account's row, for a change that reads it or its links first (one-time links, reset requests).</summary>
    public static Task AccountAsync(BlazorVaultDbContext db, string userId, CancellationToken cancellationToken) =>
        LockAsync<ApplicationUser>(db, userId, "UPDATE", cancellationToken);

    /// <summary>An access request's row, for deciding it: two approvers at once, and the second sees the first's decision.</summary>
    public static Task AccessRequestAsync(BlazorVaultDbContext db, int requestId, CancellationToken cancellationToken) =>
        LockAsync<AccessRequest>(db, requestId, "UPDATE", cancellationToken);

    /// <summary>The section's row, when it has one, for a change based on the version read after it.</summary>
    public static Task SettingsSectionAsync(BlazorVaultDbContext db, string section, CancellationToken cancellationToken) =>
        LockAsync<SettingsEntry>(db, section, "UPDATE", cancellationToken);

    /// <summary>
    /// Shared, for writing secrets under the active certificate read after it: a change of the active certificate waits
    /// for such writes to commit, and writes that start meanwhile wait for the change.
    /// </summary>
    public static Task EncryptionStateSharedAsync(BlazorVaultDbContext db, CancellationToken cancellationToken) =>
        LockAsync<EncryptionState>(db, EncryptionState.SingletonId, "SHARE", cancellationToken);

    /// <summary>Exclusive, for changing the active certificate or the re-wrap request, or for a check that none is changing.</summary>
    public static Task EncryptionStateAsync(BlazorVaultDbContext db, CancellationToken cancellationToken) =>
        LockAsync<EncryptionState>(db, EncryptionState.SingletonId, "UPDATE", cancellationToken);

    /// <summary>
    /// The audit chain head, locked and read in one statement (a round trip less while every append waits for it): appends
    /// queue for it instead of racing to move it, and each reads the head the previous one committed.
    /// </summary>
    public static async Task<AuditChainHead> AuditChainHeadAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        await EncryptionStateSharedAsync(db, cancellationToken);
        var heads = db.Database.IsNpgsql()
            ? db.AuditChainHeads.FromSqlRaw(LockStatement<AuditChainHead>(db, "UPDATE", withColumns: true), AuditChainHead.SingletonId)
            : db.AuditChainHeads;
        return (await heads.AsNoTracking().ToListAsync(cancellationToken)).Single();
    }

    private static async Task LockAsync<TEntity>(BlazorVaultDbContext db, object key, string strength, CancellationToken cancellationToken)
    {
        if (!db.Database.IsNpgsql())
        {
            return;
        }

        await db.Database.ExecuteSqlRawAsync(LockStatement<TEntity>(db, strength, withColumns: false), [key], cancellationToken);
    }

    /// <summary>
    /// The locking SELECT of the entity's row by its key (the statement's one parameter), with names from the model: of its
    /// mapped columns, named one by one (a statement Npgsql prepares must not change shape with the table), or of nothing.
    /// </summary>
    private static string LockStatement<TEntity>(BlazorVaultDbContext db, string strength, bool withColumns)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A row lock is taken inside the transaction it protects.");
        }

        var entity = db.Model.FindEntityType(typeof(TEntity))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var column = entity.FindPrimaryKey()!.Properties.Single().GetColumnName(table)!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = withColumns
            ? string.Join(", ", entity.GetProperties().Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))
            : "1";
        return $"SELECT {columns} FROM {sql.DelimitIdentifier(table.Name, table.Schema)} WHERE {sql.DelimitIdentifier(column)} = {{0}} "
            + $"FOR {strength}";
    }
}
