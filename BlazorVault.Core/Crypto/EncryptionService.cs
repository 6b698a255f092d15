using System.Security.Cryptography.X509Certificates;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Configuration &gt; Encryption, the key operations for administrators: new keys (only after the two backup
/// acknowledgements), the active certificate, backup confirmation, removal and re-wrapping. Every key operation is
/// audited. What the page shows is <see cref="EncryptionStatusService"/>.
/// </summary>
public sealed class EncryptionService(
    ICurrentActor currentActor,
    KeyRing keyRing,
    StoragePaths paths,
    IAuditLog audit,
    IJobScheduler scheduler,
    EncryptionStatusService status,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public const string LossAcknowledgement =
        "I understand that if I lose the encryption key file, any data encrypted with it will be lost.";

    public const string BackupAcknowledgement = "I have prepared a secure method of backing up the key file, separately from the database.";

    /// <summary>A new self-signed RSA-3072 certificate in the key directory, only once both acknowledgements are given.</summary>
    public async Task<CertificateView> GenerateKeyAsync(
        bool understandsLoss,
        bool hasBackupMethod,
        bool makeActive,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        DemandAcknowledgements(understandsLoss, hasBackupMethod);
        var certificate = keyRing.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            // Before the audit event, which takes the state shared: making the key active then takes it exclusively.
            await RowLocks.EncryptionStateAsync(db, cancellationToken);
            db.EncryptionKeys.Add(
                new EncryptionKeyRecord
                {
                    Thumbprint = certificate.Thumbprint,
                    Subject = certificate.Certificate.Subject,
                    FirstSeenAt = now,
                    GeneratedByBlazorVault = true,
                    BackupAcknowledgedAt = now,
                    BackupAcknowledgedBy = actor.Name,
                }
            );
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(
                db,
                certificate.GeneratedEntry(("acknowledged", new[] { LossAcknowledgement, BackupAcknowledgement })),
                cancellationToken
            );
            if (makeActive)
            {
                await SetActiveAsync(db, certificate, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return (await status.GetOverviewAsync(cancellationToken)).Certificates.Single(c => c.Thumbprint == certificate.Thumbprint);
    }

    /// <summary>New data keys are wrapped by this certificate from now on; existing ones move with a re-wrap.</summary>
    public async Task ActivateAsync(string thumbprint, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var certificate = keyRing.Find(thumbprint) ?? throw new NotFoundException("The certificate");
        var expires = certificate.Certificate.NotAfter.ToUniversalTime();
        if (expires <= time.GetUtcNow().UtcDateTime)
        {
            throw new ValidationFailedException("", $"This certificate expired on {expires:yyyy-MM-dd}. Generate a new key instead.");
        }

        if (
            certificate.Certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyEncipherment)
        )
        {
            throw new ValidationFailedException(
                "",
                "This certificate's key usage does not allow key encipherment. Use a certificate issued for encryption."
            );
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SetActiveAsync(db, certificate, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AcknowledgeBackupAsync(
        string thumbprint,
        bool understandsLoss,
        bool hasBackupMethod,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        DemandAcknowledgements(understandsLoss, hasBackupMethod);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record =
            await db.EncryptionKeys.SingleOrDefaultAsync(k => k.Thumbprint == thumbprint, cancellationToken)
            ?? throw new NotFoundException("The certificate");
        if (record.BackupAcknowledgedAt is not null)
        {
            return;
        }

        record.BackupAcknowledgedAt = time.GetUtcNow().UtcDateTime;
        record.BackupAcknowledgedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.KeyBackupAcknowledged,
                "Certificate",
                thumbprint,
                Details: new Dictionary<string, object?> { ["acknowledged"] = new[] { LossAcknowledgement, BackupAcknowledgement } }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Moves a key-directory certificate that wraps no secret and is not active into <c>retired/</c>. A certificate
    /// that still wraps secrets cannot be removed: re-wrap first.
    /// </summary>
    public async Task RemoveAsync(string thumbprint, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var certificate = keyRing.Find(thumbprint) ?? throw new NotFoundException("The certificate");
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // With the state locked no certificate is activated and no re-wrap requested meanwhile, and every write that
        // read this certificate as active has committed (writers hold the state shared), so the count below is final.
        await RowLocks.EncryptionStateAsync(db, cancellationToken);
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        var wraps = await db.Secrets.CountAsync(s => s.CertificateThumbprint == certificate.Thumbprint, cancellationToken);
        var errors = new List<string>();
        if (string.Equals(state.ActiveThumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add("This is the active certificate. Make another certificate active first.");
        }

        if (wraps > 0)
        {
            errors.Add($"This certificate still wraps {wraps} secret(s). Re-wrap all secrets with the active certificate first.");
        }

        if (state.RewrapRequestedAt is not null || await scheduler.IsRunningAsync(SecretRewrapper.JobKey, cancellationToken))
        {
            errors.Add("A re-wrap is under way. Wait for it to finish, then remove the certificate.");
        }

        if (certificate.Source != CertificateSource.KeyDirectory)
        {
            errors.Add(
                "This certificate comes from the configuration. "
                    + "Remove it from Encryption:CertificateThumbprint or Encryption:CertificatePath instead."
            );
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { [""] = [.. errors] });
        }

        var record = await db.EncryptionKeys.SingleOrDefaultAsync(k => k.Thumbprint == certificate.Thumbprint, cancellationToken);
        record?.RemovedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        var retiredTo = KeyRingLoader.Retire(certificate, paths.KeyDirectory);
        keyRing.Remove(certificate.Thumbprint);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.KeyRemoved,
                "Certificate",
                certificate.Thumbprint,
                Details: new Dictionary<string, object?> { ["subject"] = certificate.Certificate.Subject, ["movedTo"] = retiredTo }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Asks for every data key to be re-wrapped by the active certificate; the job runs it (and resumes it after a restart).
    /// </summary>
    public async Task StartRewrapAsync(CancellationToken cancellationToken = default)
    {
        await RequestRewrapAsync(cancellationToken);
        await scheduler.TriggerAsync(SecretRewrapper.JobKey, cancellationToken);
    }

    /// <summary>Records the request (so that a restart resumes it) and audits it; the caller runs the re-wrap.</summary>
    public async Task<int> RequestRewrapAsync(CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RowLocks.EncryptionStateAsync(db, cancellationToken);
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        var pending = await db.Secrets.CountAsync(s => s.CertificateThumbprint != state.ActiveThumbprint, cancellationToken);
        state.RewrapRequestedAt = time.GetUtcNow().UtcDateTime;
        state.RewrapRequestedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.KeyRewrapStarted,
                "Certificate",
                state.ActiveThumbprint,
                Details: new Dictionary<string, object?> { ["pending"] = pending }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return pending;
    }

    /// <summary>Waits for the writes that read the previous certificate as active; writes that start meanwhile wait for this one.</summary>
    private async Task SetActiveAsync(BlazorVaultDbContext db, EncryptionCertificate certificate, CancellationToken cancellationToken)
    {
        await RowLocks.EncryptionStateAsync(db, cancellationToken);
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        var previous = state.ActiveThumbprint;
        if (string.Equals(previous, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        state.ActiveThumbprint = certificate.Thumbprint;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.KeyActivated,
                "Certificate",
                certificate.Thumbprint,
                Details: new Dictionary<string, object?> { ["previous"] = previous }
            ),
            cancellationToken
        );
    }

    private static void DemandAcknowledgements(bool understandsLoss, bool hasBackupMethod)
    {
        var errors = new Dictionary<string, string[]>();
        if (!understandsLoss)
        {
            errors["UnderstandsLoss"] = ["Confirm that you understand losing the key file loses the data."];
        }

        if (!hasBackupMethod)
        {
            errors["HasBackupMethod"] = ["Confirm that you have a secure way to back up the key file."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
