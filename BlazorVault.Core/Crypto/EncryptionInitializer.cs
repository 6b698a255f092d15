using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// At start-up, after the database: records the key ring's certificates, settles the active one (a newly
/// configured certificate, or the first one, becomes active), warns about a generated key that needs a backup,
/// and reports whether an interrupted re-wrap must resume.
/// </summary>
public sealed class EncryptionInitializer(
    KeyRing keyRing,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time,
    ILogger<EncryptionInitializer> logger)
{
    /// <returns>True when a requested re-wrap has not finished and should run again.</returns>
    public async Task<bool> InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var known = await db.EncryptionKeys.ToDictionaryAsync(k => k.Thumbprint, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        EncryptionCertificate? newlyConfigured = null;
        foreach (var certificate in keyRing.Certificates)
        {
            if (known.TryGetValue(certificate.Thumbprint, out var existing))
            {
                existing.RemovedAt = null;
                continue;
            }

            var generated = keyRing.GeneratedAtStartup.Contains(certificate.Thumbprint);
            db.EncryptionKeys.Add(new EncryptionKeyRecord
            {
                Thumbprint = certificate.Thumbprint,
                Subject = certificate.Certificate.Subject,
                FirstSeenAt = now,
                GeneratedByBlazorVault = generated,
            });
            if (generated)
            {
                logger.LogWarning(
                    "Generated a new encryption certificate {Thumbprint} at {File}. Back this file up now, separately from the database: without it, every secret encrypted with it is lost.",
                    certificate.Thumbprint, certificate.Location);
                await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyGenerated, "Certificate", certificate.Thumbprint, Details: new Dictionary<string, object?>
                {
                    ["subject"] = certificate.Certificate.Subject,
                    ["keySize"] = certificate.KeySize,
                    ["file"] = certificate.Location,
                    ["reason"] = "first run: no certificate was configured",
                }), cancellationToken);
            }
            else if (certificate.Source != CertificateSource.KeyDirectory)
            {
                newlyConfigured = certificate;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        var active = state.ActiveThumbprint is { } thumbprint ? keyRing.Find(thumbprint) : null;
        var choice = newlyConfigured ?? (active is null ? keyRing.Preferred : null);
        if (choice is not null)
        {
            if (state.ActiveThumbprint is not null && active is null)
            {
                var stranded = await db.Secrets.CountAsync(s => s.CertificateThumbprint == state.ActiveThumbprint, cancellationToken);
                logger.LogError(
                    "The active encryption certificate {Missing} is not in the key ring; {Count} secret(s) wrapped by it cannot be read until its PFX is restored to the key directory. New secrets are wrapped by {Thumbprint}.",
                    state.ActiveThumbprint, stranded, choice.Thumbprint);
                await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyMissing, "Certificate", state.ActiveThumbprint, Details: new Dictionary<string, object?>
                {
                    ["secrets"] = stranded,
                }), cancellationToken);
            }

            var previous = state.ActiveThumbprint;
            state.ActiveThumbprint = choice.Thumbprint;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyActivated, "Certificate", choice.Thumbprint, Details: new Dictionary<string, object?>
            {
                ["previous"] = previous,
                ["reason"] = newlyConfigured is not null ? "configured certificate" : "start-up",
            }), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return state.RewrapRequestedAt is not null;
    }
}
