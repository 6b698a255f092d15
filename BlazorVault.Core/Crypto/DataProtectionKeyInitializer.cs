using BlazorVault.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Nodes that start together on PostgreSQL, with no Data Protection key stored yet, would each create one and keep using
/// the key ring they read then, which lacks the other's key: a cookie issued by one would be refused by the other until
/// its ring refreshes (a day later). At start-up each node loads its ring under one advisory lock, so the first creates
/// the key and the others read it. Later keys are created two days before they are used, while every node reads its ring
/// again daily, so every node knows a new key before any node uses it.
/// </summary>
public sealed class DataProtectionKeyInitializer(
    IDataProtectionProvider dataProtection,
    StoragePaths paths,
    IDbContextFactory<BlazorVaultDbContext> contextFactory
)
{
    /// <summary>An arbitrary application-wide advisory lock number: "BVDPKEYS" in ASCII.</summary>
    private const long AdvisoryLock = 0x4256_4450_4B45_5953;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (paths.Provider != DatabaseProvider.PostgreSQL)
        {
            return;
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdvisoryLock})", cancellationToken);

        // Protecting anything loads the key ring, creating (and storing) the first key only when the table has none.
        dataProtection.CreateProtector(nameof(DataProtectionKeyInitializer)).Protect([1]);
        await transaction.CommitAsync(cancellationToken);
    }
}
