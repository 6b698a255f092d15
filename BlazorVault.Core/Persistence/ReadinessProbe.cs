using System.Data.Common;
using BlazorVault.Core.Crypto;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Persistence;

/// <summary>
/// What a load balancer asks before it sends a node traffic (<c>/readyz</c>): the database answers and holds every
/// migration, and the active certificate wraps and unwraps a test key. Only yes or no leaves here.
/// </summary>
public sealed class ReadinessProbe(IDbContextFactory<BlazorVaultDbContext> contextFactory, EncryptionStatusService encryption)
{
    public async Task<bool> IsDatabaseReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            return await DatabaseInitializer.HasEveryMigrationAsync(db, cancellationToken);
        }
        catch (DbException)
        {
            return false;
        }
    }

    public Task<bool> IsKeyRingReadyAsync(CancellationToken cancellationToken = default) =>
        encryption.IsActiveCertificateHealthyAsync(cancellationToken);
}
