using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// At start-up, after the database: generates the first key on a new installation (and only there), records the
/// key ring's certificates, settles the active one (a newly configured certificate becomes active), and reports
/// whether an interrupted re-wrap must resume. A key directory that lost the certificates the database needs stops
/// the start with what to do, rather than silently starting over with a new key.
/// </summary>
public sealed class EncryptionInitializer(
    KeyRing keyRing,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time,
    ILogger<EncryptionInitializer> logger
)
{
    /// <returns>True when a requested re-wrap has not finished and should run again.</returns>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Nodes that start together take turns: writing the state row first holds its row lock (PostgreSQL) or the write
        // lock (SQLite) to the commit, so a second node reads the keys the first recorded instead of adding them again.
        await db.EncryptionStates.ExecuteUpdateAsync(
            s => s.SetProperty(x => x.ActiveThumbprint, x => x.ActiveThumbprint),
            cancellationToken
        );
        var now = time.GetUtcNow().UtcDateTime;
        var known = await db.EncryptionKeys.ToDictionaryAsync(k => k.Thumbprint, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        if (keyRing.IsEmpty)
        {
            await GenerateFirstKeyAsync(db, known.Keys, cancellationToken);
        }

        EncryptionCertificate? newlyConfigured = null;
        foreach (var certificate in keyRing.Certificates)
        {
            if (known.TryGetValue(certificate.Thumbprint, out var existing))
            {
                existing.RemovedAt = null;
                continue;
            }

            db.EncryptionKeys.Add(
                new EncryptionKeyRecord
                {
                    Thumbprint = certificate.Thumbprint,
                    Subject = certificate.Certificate.Subject,
                    FirstSeenAt = now,
                    GeneratedByBlazorVault = certificate.Certificate.Subject.StartsWith(
                        KeyRingLoader.GeneratedSubjectPrefix,
                        StringComparison.Ordinal
                    ),
                }
            );
            if (certificate.Source != CertificateSource.KeyDirectory)
            {
                newlyConfigured = certificate;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var active = state.ActiveThumbprint is { } thumbprint ? keyRing.Find(thumbprint) : null;
        if (state.ActiveThumbprint is not null && active is null)
        {
            await HandleMissingActiveAsync(db, state.ActiveThumbprint, cancellationToken);
        }

        var choice = newlyConfigured ?? (active is null ? keyRing.Preferred : null);
        if (choice is not null)
        {
            var previous = state.ActiveThumbprint;
            state.ActiveThumbprint = choice.Thumbprint;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(
                db,
                new AuditEntry(
                    AuditActions.KeyActivated,
                    "Certificate",
                    choice.Thumbprint,
                    Details: new Dictionary<string, object?>
                    {
                        ["previous"] = previous,
                        ["reason"] = newlyConfigured is not null ? "configured certificate" : "start-up",
                    }
                ),
                cancellationToken
            );
        }

        await transaction.CommitAsync(cancellationToken);
        return state.RewrapRequestedAt is not null;
    }

    /// <summary>Only a database that has never known a certificate nor held a secret gets a new key.</summary>
    private async Task GenerateFirstKeyAsync(
        BlazorVaultDbContext db,
        IEnumerable<string> knownThumbprints,
        CancellationToken cancellationToken
    )
    {
        var secrets = await db.Secrets.CountAsync(cancellationToken);
        var expected = knownThumbprints.ToList();
        if (secrets > 0 || expected.Count > 0)
        {
            throw new KeyRingException(
                $"The key directory {keyRing.KeyDirectory} holds no certificate, but this database was encrypted with "
                    + $"{(expected.Count > 0 ? string.Join(", ", expected) : "a certificate")} ({secrets} secret(s)). "
                    + "Restore the key directory from your key backup, "
                    + "or point Storage:KeyDirectory (or Encryption:CertificatePath / CertificateThumbprint) at it, and start again. "
                    + "BlazorVault does not generate a new key here: that would hide the missing one."
            );
        }

        var certificate = keyRing.Generate();
        logger.LogWarning(
            "Generated a new encryption certificate {Thumbprint} at {File}. Back this file up now, separately from the database: without "
                + "it, every secret encrypted with it is lost.",
            certificate.Thumbprint,
            certificate.Location
        );
        await audit.AppendAsync(db, certificate.GeneratedEntry(("reason", "first run: no certificate was configured")), cancellationToken);
    }

    /// <summary>
    /// The active certificate is gone. If it wraps secrets, stop: restoring it is the only way to read them. If it
    /// wraps none, the preferred certificate takes over (audited).
    /// </summary>
    private async Task HandleMissingActiveAsync(BlazorVaultDbContext db, string missing, CancellationToken cancellationToken)
    {
        var stranded = await db.Secrets.CountAsync(s => s.CertificateThumbprint == missing, cancellationToken);
        if (stranded > 0)
        {
            throw new KeyRingException(
                $"The active encryption certificate {missing} is not in the key ring ({keyRing.KeyDirectory}) and wraps {stranded} "
                    + "secret(s). "
                    + "Restore its PFX into the key directory (or configure it) and start again."
            );
        }

        logger.LogWarning(
            "The active encryption certificate {Missing} is not in the key ring; it wrapped no secret, so another certificate becomes "
                + "active.",
            missing
        );
        await audit.AppendAsync(
            db,
            new AuditEntry(AuditActions.KeyMissing, "Certificate", missing, Details: new Dictionary<string, object?> { ["secrets"] = 0 }),
            cancellationToken
        );
    }
}
