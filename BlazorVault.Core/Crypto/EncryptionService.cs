using System.Diagnostics;
using System.Security.Cryptography;
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
/// Configuration &gt; Encryption, for administrators: the certificates and what each wraps, a health check, new
/// keys (only after the two backup acknowledgements), the active certificate, removal and re-wrapping. Every key
/// operation is audited.
/// </summary>
public sealed class EncryptionService(
    ICurrentActor currentActor,
    KeyRing keyRing,
    StoragePaths paths,
    IAuditLog audit,
    IJobScheduler scheduler,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time)
{
    /// <summary>How long before the active certificate expires the warning appears.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    public const string LossAcknowledgement = "I understand that if I lose the encryption key file, any data encrypted with it will be lost.";
    public const string BackupAcknowledgement = "I have prepared a secure method of backing up the key file, separately from the database.";

    public async Task<EncryptionOverview> GetOverviewAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        keyRing.Refresh();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.EncryptionStates.AsNoTracking().SingleAsync(cancellationToken);
        var counts = await CountByCertificateAsync(db, cancellationToken);
        var records = await db.EncryptionKeys.AsNoTracking().ToDictionaryAsync(k => k.Thumbprint, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var views = new List<CertificateView>();
        foreach (var certificate in keyRing.Certificates.OrderByDescending(c => c.Certificate.NotBefore))
        {
            var count = counts.GetValueOrDefault(certificate.Thumbprint);
            var isActive = string.Equals(certificate.Thumbprint, state.ActiveThumbprint, StringComparison.OrdinalIgnoreCase);
            var record = records.GetValueOrDefault(certificate.Thumbprint);
            views.Add(new CertificateView(
                certificate.Thumbprint,
                certificate.Certificate.Subject,
                certificate.KeySize,
                certificate.Certificate.NotBefore.ToUniversalTime(),
                certificate.Certificate.NotAfter.ToUniversalTime(),
                isActive,
                IsLoaded: true,
                count,
                certificate.Source,
                certificate.Location,
                BackupAcknowledged: record is not { GeneratedByBlazorVault: true, BackupAcknowledgedAt: null },
                CanRemove: !isActive && count == 0 && certificate.Source == CertificateSource.KeyDirectory,
                ExpiresSoon: certificate.Certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime <= ExpiryWarning));
        }

        foreach (var (thumbprint, count) in counts.Where(c => keyRing.Find(c.Key) is null))
        {
            views.Add(new CertificateView(thumbprint, records.GetValueOrDefault(thumbprint)?.Subject ?? "(unknown certificate)", null, null, null,
                IsActive: false, IsLoaded: false, count, null, null, BackupAcknowledged: true, CanRemove: false));
        }

        var warnings = Notices(state, counts, records).Select(n => n.Message).ToList();
        return new EncryptionOverview(paths.KeyDirectory, views, CheckHealth(state.ActiveThumbprint), await RewrapStatusAsync(db, state, cancellationToken), warnings);
    }

    /// <summary>Things an administrator must see on every page: an unacknowledged key backup, expiry, a missing certificate.</summary>
    public async Task<IReadOnlyList<EncryptionNotice>> GetNoticesAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.EncryptionStates.AsNoTracking().SingleAsync(cancellationToken);
        var counts = await CountByCertificateAsync(db, cancellationToken);
        var records = await db.EncryptionKeys.AsNoTracking().ToDictionaryAsync(k => k.Thumbprint, StringComparer.OrdinalIgnoreCase, cancellationToken);
        return Notices(state, counts, records);
    }

    public async Task<RewrapStatus> GetRewrapStatusAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.EncryptionStates.AsNoTracking().SingleAsync(cancellationToken);
        return await RewrapStatusAsync(db, state, cancellationToken);
    }

    /// <summary>A new self-signed RSA-3072 certificate in the key directory, only once both acknowledgements are given.</summary>
    public async Task<CertificateView> GenerateKeyAsync(bool understandsLoss, bool hasBackupMethod, bool makeActive, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        DemandAcknowledgements(understandsLoss, hasBackupMethod);
        var certificate = keyRing.Generate();
        var now = time.GetUtcNow().UtcDateTime;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.EncryptionKeys.Add(new EncryptionKeyRecord
            {
                Thumbprint = certificate.Thumbprint,
                Subject = certificate.Certificate.Subject,
                FirstSeenAt = now,
                GeneratedByBlazorVault = true,
                BackupAcknowledgedAt = now,
                BackupAcknowledgedBy = actor.Name,
            });
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyGenerated, "Certificate", certificate.Thumbprint, Details: new Dictionary<string, object?>
            {
                ["subject"] = certificate.Certificate.Subject,
                ["keySize"] = certificate.KeySize,
                ["file"] = certificate.Location,
                ["acknowledged"] = new[] { LossAcknowledgement, BackupAcknowledgement },
            }), cancellationToken);
            if (makeActive)
            {
                await SetActiveAsync(db, certificate, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return (await GetOverviewAsync(cancellationToken)).Certificates.Single(c => c.Thumbprint == certificate.Thumbprint);
    }

    /// <summary>New data keys are wrapped by this certificate from now on; existing ones move with a re-wrap.</summary>
    public async Task ActivateAsync(string thumbprint, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var certificate = keyRing.Find(thumbprint) ?? throw new NotFoundException("The certificate");
        if (certificate.Certificate.NotAfter.ToUniversalTime() <= time.GetUtcNow().UtcDateTime)
        {
            throw new ValidationFailedException("", $"This certificate expired on {certificate.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}. Generate a new key instead.");
        }

        if (certificate.Certificate.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509KeyUsageExtension>().FirstOrDefault() is { } usage
            && !usage.KeyUsages.HasFlag(System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment))
        {
            throw new ValidationFailedException("", "This certificate's key usage does not allow key encipherment. Use a certificate issued for encryption.");
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await SetActiveAsync(db, certificate, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task AcknowledgeBackupAsync(string thumbprint, bool understandsLoss, bool hasBackupMethod, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        DemandAcknowledgements(understandsLoss, hasBackupMethod);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.EncryptionKeys.SingleOrDefaultAsync(k => k.Thumbprint == thumbprint, cancellationToken)
            ?? throw new NotFoundException("The certificate");
        if (record.BackupAcknowledgedAt is not null)
        {
            return;
        }

        record.BackupAcknowledgedAt = time.GetUtcNow().UtcDateTime;
        record.BackupAcknowledgedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyBackupAcknowledged, "Certificate", thumbprint, Details: new Dictionary<string, object?>
        {
            ["acknowledged"] = new[] { LossAcknowledgement, BackupAcknowledgement },
        }), cancellationToken);
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
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
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
            errors.Add("This certificate comes from the configuration. Remove it from Encryption:CertificateThumbprint or Encryption:CertificatePath instead.");
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
        await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyRemoved, "Certificate", certificate.Thumbprint, Details: new Dictionary<string, object?>
        {
            ["subject"] = certificate.Certificate.Subject,
            ["movedTo"] = retiredTo,
        }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Asks for every data key to be re-wrapped by the active certificate; the job runs it (and resumes it after a restart).</summary>
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
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        var pending = await db.Secrets.CountAsync(s => s.CertificateThumbprint != state.ActiveThumbprint, cancellationToken);
        state.RewrapRequestedAt = time.GetUtcNow().UtcDateTime;
        state.RewrapRequestedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyRewrapStarted, "Certificate", state.ActiveThumbprint, Details: new Dictionary<string, object?>
        {
            ["pending"] = pending,
        }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return pending;
    }

    private async Task SetActiveAsync(BlazorVaultDbContext db, EncryptionCertificate certificate, CancellationToken cancellationToken)
    {
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        var previous = state.ActiveThumbprint;
        if (string.Equals(previous, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        state.ActiveThumbprint = certificate.Thumbprint;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyActivated, "Certificate", certificate.Thumbprint, Details: new Dictionary<string, object?>
        {
            ["previous"] = previous,
        }), cancellationToken);
    }

    private EncryptionHealth CheckHealth(string? activeThumbprint)
    {
        var active = activeThumbprint is null ? null : keyRing.Find(activeThumbprint);
        if (active is null)
        {
            return new EncryptionHealth(false, "No active certificate is loaded: new secrets cannot be stored.", 0);
        }

        var probe = GC.AllocateUninitializedArray<byte>(SecretCipher.KeySize, pinned: true);
        var unwrapped = GC.AllocateUninitializedArray<byte>(active.WrappedKeyLength, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(probe);
            var started = Stopwatch.GetTimestamp();
            var ok = active.TryUnwrap(active.Wrap(probe), unwrapped, out var written)
                && CryptographicOperations.FixedTimeEquals(probe, unwrapped.AsSpan(0, written));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return ok
                ? new EncryptionHealth(true, $"Healthy: a test key wrapped and unwrapped with the active certificate in {elapsed:0.0} ms.", elapsed)
                : new EncryptionHealth(false, "The test wrap/unwrap round trip with the active certificate failed: its private key does not match.", elapsed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(probe);
            CryptographicOperations.ZeroMemory(unwrapped);
        }
    }

    private List<EncryptionNotice> Notices(EncryptionState state, Dictionary<string, int> counts, Dictionary<string, EncryptionKeyRecord> records)
    {
        var notices = new List<EncryptionNotice>();
        if (keyRing.RefreshProblem is { } problem)
        {
            notices.Add(new EncryptionNotice($"A file in the key directory was not loaded: {problem}", IsError: true));
        }

        foreach (var record in records.Values.Where(r => r is { GeneratedByBlazorVault: true, BackupAcknowledgedAt: null, RemovedAt: null }))
        {
            var file = keyRing.Find(record.Thumbprint)?.Location ?? paths.KeyDirectory;
            notices.Add(new EncryptionNotice(
                $"BlazorVault generated an encryption key ({file}). Back it up now, separately from the database: if it is lost, every password encrypted with it is lost. Acknowledge the backup on the Encryption page.",
                IsError: false));
        }

        if (state.ActiveThumbprint is { } thumbprint && keyRing.Find(thumbprint) is { } active)
        {
            var expires = active.Certificate.NotAfter.ToUniversalTime();
            var now = time.GetUtcNow().UtcDateTime;
            if (expires <= now)
            {
                notices.Add(new EncryptionNotice($"The active encryption certificate expired on {expires:yyyy-MM-dd}. Generate a new key and re-wrap all secrets with it.", IsError: true));
            }
            else if (expires - now <= ExpiryWarning)
            {
                notices.Add(new EncryptionNotice($"The active encryption certificate expires on {expires:yyyy-MM-dd} ({(int)Math.Ceiling((expires - now).TotalDays)} days). Generate a new key and re-wrap all secrets with it.", IsError: false));
            }
        }

        foreach (var (missing, count) in counts.Where(c => keyRing.Find(c.Key) is null))
        {
            notices.Add(new EncryptionNotice(
                $"{count} secret(s) are wrapped by certificate {missing}, which is not loaded: they cannot be read until its PFX is restored to the key directory.",
                IsError: true));
        }

        return notices;
    }

    private async Task<RewrapStatus> RewrapStatusAsync(BlazorVaultDbContext db, EncryptionState state, CancellationToken cancellationToken)
    {
        var counts = await CountByCertificateAsync(db, cancellationToken);
        var total = counts.Values.Sum();
        var byActive = state.ActiveThumbprint is null ? 0 : counts.GetValueOrDefault(state.ActiveThumbprint);
        var unreadable = counts.Where(c => keyRing.Find(c.Key) is null).Sum(c => c.Value);
        var running = await scheduler.IsRunningAsync(SecretRewrapper.JobKey, cancellationToken);
        return new RewrapStatus(state.RewrapRequestedAt is not null, running, total, byActive, unreadable);
    }

    private static async Task<Dictionary<string, int>> CountByCertificateAsync(BlazorVaultDbContext db, CancellationToken cancellationToken) =>
        await db.Secrets.GroupBy(s => s.CertificateThumbprint)
            .Select(g => new { Thumbprint = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Thumbprint, g => g.Count, StringComparer.OrdinalIgnoreCase, cancellationToken);

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
