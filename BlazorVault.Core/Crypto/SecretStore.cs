using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Reads and writes encrypted secrets by slot. Its members are internal to Core: the feature services that call it decide who may
/// read or change which secret and audit it; nothing outside Core can reach a value through here.
/// </summary>
public sealed class SecretStore(
    SecretCipher cipher,
    KeyRing keyRing,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    /// <summary>
    /// The certificate that wraps new data keys, as the database names it now. Inside a transaction it stays the active one
    /// until the commit: a change of the active certificate waits for the transaction (see <see cref="RowLocks"/>).
    /// </summary>
    /// <remarks>
    /// Identity's own writes (authenticator key, recovery codes) stage outside a transaction, their save following at once;
    /// a certificate activated in between leaves such a value to the re-wrap, as it leaves every older secret.
    /// </remarks>
    internal async Task<EncryptionCertificate> GetActiveCertificateAsync(BlazorVaultDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            await RowLocks.EncryptionStateSharedAsync(db, cancellationToken);
        }

        var thumbprint =
            await db.EncryptionStates.AsNoTracking().Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken)
            ?? throw new KeyRingException("No certificate is active yet: the application has not finished starting.");
        return keyRing.Find(thumbprint)
            ?? throw new KeyRingException(
                $"The active certificate {thumbprint} is not in the key ring. Restore its PFX into the key directory, or make another "
                    + "certificate active on the Encryption page."
            );
    }

    /// <summary>
    /// Encrypts <paramref name="value"/> into the slot within <paramref name="db"/>'s transaction; a new data key every time.
    /// </summary>
    /// <returns>True when it replaced a secret already in the slot.</returns>
    internal async Task<bool> WriteAsync(BlazorVaultDbContext db, SecretSlot slot, string value, CancellationToken cancellationToken)
    {
        var replaced = await StageAsync(db, slot, value, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return replaced;
    }

    /// <summary>
    /// As <see cref="WriteAsync"/>, but leaves the sealed value tracked by <paramref name="db"/> for the caller's next
    /// <c>SaveChanges</c> (Identity's user store saves with the account's own update and its concurrency check).
    /// </summary>
    /// <returns>True when it replaces a secret already in the slot.</returns>
    internal async Task<bool> StageAsync(BlazorVaultDbContext db, SecretSlot slot, string value, CancellationToken cancellationToken)
    {
        var active = await GetActiveCertificateAsync(db, cancellationToken);
        var sealedSecret = SecretCipher.SealString(slot, value, active);
        var row = db.Secrets.Local.FirstOrDefault(s => s.Matches(slot)) ?? await FindAsync(db, slot, cancellationToken);
        var replaced = row is not null;
        if (row is null)
        {
            row = new StoredSecret
            {
                Purpose = slot.Purpose,
                EntityId = slot.EntityId,
                FieldId = slot.FieldId,
            };
            db.Secrets.Add(row);
        }

        row.Apply(sealedSecret, time.GetUtcNow().UtcDateTime);
        return replaced;
    }

    /// <summary>
    /// The decrypted value, or null when the slot is empty. Throws <see cref="SecretUnreadableException"/> when it cannot be read.
    /// </summary>
    internal async Task<string?> ReadAsync(SecretSlot slot, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await ReadAsync(db, slot, cancellationToken);
    }

    /// <summary>As <see cref="ReadAsync(SecretSlot, CancellationToken)"/>, on the caller's context.</summary>
    /// <remarks>A value staged on the context (<see cref="StageAsync"/>) and not yet saved is the one read.</remarks>
    internal async Task<string?> ReadAsync(BlazorVaultDbContext db, SecretSlot slot, CancellationToken cancellationToken)
    {
        var row =
            db.Secrets.Local.FirstOrDefault(s => s.Matches(slot))
            ?? await db
                .Secrets.AsNoTracking()
                .SingleOrDefaultAsync(
                    s => s.Purpose == slot.Purpose && s.EntityId == slot.EntityId && s.FieldId == slot.FieldId,
                    cancellationToken
                );
        return row is null ? null : cipher.OpenString(slot, row.ToSealed());
    }

    internal async Task<bool> ExistsAsync(SecretSlot slot, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await db.Secrets.AnyAsync(
            s => s.Purpose == slot.Purpose && s.EntityId == slot.EntityId && s.FieldId == slot.FieldId,
            cancellationToken
        );
    }

    /// <summary>Removes the slot's secret within <paramref name="db"/>'s transaction; true when there was one.</summary>
    internal static async Task<bool> DeleteAsync(BlazorVaultDbContext db, SecretSlot slot, CancellationToken cancellationToken)
    {
        var row = await FindAsync(db, slot, cancellationToken);
        if (row is null)
        {
            return false;
        }

        db.Secrets.Remove(row);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static Task<StoredSecret?> FindAsync(BlazorVaultDbContext db, SecretSlot slot, CancellationToken cancellationToken) =>
        db.Secrets.SingleOrDefaultAsync(
            s => s.Purpose == slot.Purpose && s.EntityId == slot.EntityId && s.FieldId == slot.FieldId,
            cancellationToken
        );
}
