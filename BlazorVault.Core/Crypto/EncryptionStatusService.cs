using System.Diagnostics;
using System.Security.Cryptography;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Configuration &gt; Encryption as administrators see it, changing nothing: the certificates and what each wraps, a
/// health check, the re-wrap's progress, and the notices (backup, expiry, missing certificate) every admin page shows.
/// The key operations are in <see cref="EncryptionService"/>.
/// </summary>
public sealed class EncryptionStatusService(
    ICurrentActor currentActor,
    KeyRing keyRing,
    StoragePaths paths,
    IJobScheduler scheduler,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    /// <summary>How long before the active certificate expires the warning appears.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    public async Task<EncryptionOverview> GetOverviewAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        keyRing.Refresh();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.EncryptionStates.AsNoTracking().SingleAsync(cancellationToken);
        var counts = await CountByCertificateAsync(db, cancellationToken);
        var records = await db
            .EncryptionKeys.AsNoTracking()
            .ToDictionaryAsync(k => k.Thumbprint, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var views = new List<CertificateView>();
        foreach (var certificate in keyRing.Certificates.OrderByDescending(c => c.Certificate.NotBefore))
        {
            var count = counts.GetValueOrDefault(certificate.Thumbprint);
            var isActive = string.Equals(certificate.Thumbprint, state.ActiveThumbprint, StringComparison.OrdinalIgnoreCase);
            var record = records.GetValueOrDefault(certificate.Thumbprint);
            views.Add(
                new CertificateView(
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
                    ExpiresSoon: certificate.Certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime <= ExpiryWarning
                )
            );
        }

        foreach (var (thumbprint, count) in counts.Where(c => keyRing.Find(c.Key) is null))
        {
            var subject = records.GetValueOrDefault(thumbprint)?.Subject ?? "(unknown certificate)";
            views.Add(
                new CertificateView(
                    thumbprint,
                    subject,
                    null,
                    null,
                    null,
                    IsActive: false,
                    IsLoaded: false,
                    count,
                    null,
                    null,
                    BackupAcknowledged: true,
                    CanRemove: false
                )
            );
        }

        var warnings = Notices(state, counts, records).Select(n => n.Message).ToList();
        var health = CheckHealth(state.ActiveThumbprint);
        return new EncryptionOverview(paths.KeyDirectory, views, health, await RewrapStatusAsync(db, state, cancellationToken), warnings);
    }

    /// <summary>Things an administrator must see on every page: an unacknowledged key backup, expiry, a missing certificate.</summary>
    public async Task<IReadOnlyList<EncryptionNotice>> GetNoticesAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.EncryptionStates.AsNoTracking().SingleAsync(cancellationToken);
        var counts = await CountByCertificateAsync(db, cancellationToken);
        var records = await db
            .EncryptionKeys.AsNoTracking()
            .ToDictionaryAsync(k => k.Thumbprint, StringComparer.OrdinalIgnoreCase, cancellationToken);
        return Notices(state, counts, records);
    }

    public async Task<RewrapStatus> GetRewrapStatusAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var state = await db.EncryptionStates.AsNoTracking().SingleAsync(cancellationToken);
        return await RewrapStatusAsync(db, state, cancellationToken);
    }

    /// <summary>
    /// Whether the active certificate is loaded and passes the test wrap/unwrap: the readiness probe's question, asked
    /// without an actor because the answer is only yes or no.
    /// </summary>
    public async Task<bool> IsActiveCertificateHealthyAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.EncryptionStates.AsNoTracking().Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken);
        return CheckHealth(active).IsHealthy;
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
            var ok =
                active.TryUnwrap(active.Wrap(probe), unwrapped, out var written)
                && CryptographicOperations.FixedTimeEquals(probe, unwrapped.AsSpan(0, written));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return ok
                ? new EncryptionHealth(
                    true,
                    $"Healthy: a test key wrapped and unwrapped with the active certificate in {elapsed:0.0} ms.",
                    elapsed
                )
                : new EncryptionHealth(
                    false,
                    "The test wrap/unwrap round trip with the active certificate failed: its private key does not match.",
                    elapsed
                );
        }
        finally
        {
            CryptographicOperations.ZeroMemory(probe);
            CryptographicOperations.ZeroMemory(unwrapped);
        }
    }

    private List<EncryptionNotice> Notices(
        EncryptionState state,
        Dictionary<string, int> counts,
        Dictionary<string, EncryptionKeyRecord> records
    )
    {
        var notices = new List<EncryptionNotice>();
        if (keyRing.RefreshProblem is { } problem)
        {
            notices.Add(new EncryptionNotice($"A file in the key directory was not loaded: {problem}", IsError: true));
        }

        var unacknowledged = records.Values.Where(r => r is { GeneratedByBlazorVault: true, BackupAcknowledgedAt: null, RemovedAt: null });
        foreach (var record in unacknowledged)
        {
            var file = keyRing.Find(record.Thumbprint)?.Location ?? paths.KeyDirectory;
            notices.Add(
                new EncryptionNotice(
                    $"BlazorVault generated an encryption key ({file}). Back it up now, separately from the database: if it is lost, "
                        + "every password encrypted with it is lost. Acknowledge the backup on the Encryption page.",
                    IsError: false
                )
            );
        }

        if (state.ActiveThumbprint is { } thumbprint && keyRing.Find(thumbprint) is { } active)
        {
            var expires = active.Certificate.NotAfter.ToUniversalTime();
            var now = time.GetUtcNow().UtcDateTime;
            if (expires <= now)
            {
                notices.Add(
                    new EncryptionNotice(
                        $"The active encryption certificate expired on {expires:yyyy-MM-dd}. "
                            + "Generate a new key and re-wrap all secrets with it.",
                        IsError: true
                    )
                );
            }
            else if (expires - now <= ExpiryWarning)
            {
                var days = (int)Math.Ceiling((expires - now).TotalDays);
                notices.Add(
                    new EncryptionNotice(
                        $"The active encryption certificate expires on {expires:yyyy-MM-dd} ({days} days). "
                            + "Generate a new key and re-wrap all secrets with it.",
                        IsError: false
                    )
                );
            }
        }

        foreach (var (missing, count) in counts.Where(c => keyRing.Find(c.Key) is null))
        {
            notices.Add(
                new EncryptionNotice(
                    $"{count} secret(s) are wrapped by certificate {missing}, which is not loaded: "
                        + "they cannot be read until its PFX is restored to the key directory.",
                    IsError: true
                )
            );
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

    private static async Task<Dictionary<string, int>> CountByCertificateAsync(
        BlazorVaultDbContext db,
        CancellationToken cancellationToken
    ) =>
        await db
            .Secrets.GroupBy(s => s.CertificateThumbprint)
            .Select(g => new { Thumbprint = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Thumbprint, g => g.Count, StringComparer.OrdinalIgnoreCase, cancellationToken);
}
