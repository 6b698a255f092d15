using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// At start-up, after the key ring: seals the authenticator keys and recovery codes that an older version left in clear
/// in <c>AspNetUserTokens</c> (<see cref="BlazorVaultUserStore"/> reads them only sealed) and deletes the clear rows, in
/// one transaction. Idempotent: once done there is no clear row left, and later starts find nothing to do.
/// </summary>
public sealed class SecondFactorSealing(
    SecretStore secrets,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ILogger<SecondFactorSealing> logger
)
{
    /// <returns>How many clear values were sealed.</returns>
    public async Task<int> SealClearValuesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var clear = await db
            .UserTokens.Where(t =>
                t.LoginProvider == BlazorVaultUserStore.IdentityLoginProvider
                && (t.Name == BlazorVaultUserStore.AuthenticatorKeyName || t.Name == BlazorVaultUserStore.RecoveryCodesName)
            )
            .ToListAsync(cancellationToken);
        if (clear.Count == 0)
        {
            return 0;
        }

        await SecureDeletion.BeginAsync(db.Database, cancellationToken);
        foreach (var token in clear)
        {
            // The clear value is the newer one: only a version that does not seal writes it.
            await secrets.StageAsync(db, BlazorVaultUserStore.SlotFor(token)!.Value, token.Value ?? "", cancellationToken);
        }

        db.UserTokens.RemoveRange(clear);
        await db.SaveChangesAsync(cancellationToken);
        var accounts = clear.Select(t => t.UserId).Distinct().Count();
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.SecondFactorsSealed,
                Details: new Dictionary<string, object?> { ["accounts"] = accounts, ["values"] = clear.Count }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        await SecureDeletion.EndAsync(db.Database, cancellationToken);
        logger.LogWarning(
            "Sealed {Count} authenticator key(s) and recovery code set(s) of {Accounts} account(s) that were stored in clear",
            clear.Count,
            accounts
        );
        return clear.Count;
    }
}
