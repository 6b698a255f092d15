using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Re-wraps every data key that is not wrapped by the active certificate, in batches: each batch is unwrapped and
/// wrapped on all cores, then committed in one transaction. Killing it at any point loses nothing (an uncommitted
/// batch keeps its old wrapping, which still unwraps); running it again carries on where it stopped.
/// </summary>
public sealed class SecretRewrapper(
    SecretCipher cipher,
    KeyRing keyRing,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time,
    ILogger<SecretRewrapper> logger)
{
    public const string JobKey = "key-rewrap";
    public const int DefaultBatchSize = 500;

    public async Task<RewrapResult> RunAsync(int batchSize, IProgress<RewrapProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        keyRing.Refresh();
        int total;
        string activeThumbprint;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            activeThumbprint = await db.EncryptionStates.Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken) ?? "";
            total = await db.Secrets.CountAsync(s => s.CertificateThumbprint != activeThumbprint, cancellationToken);
        }

        int rewrapped = 0, skipped = 0;
        long after = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (count, skippedInBatch, last, more) = await RunBatchAsync(after, batchSize, cancellationToken);
            if (!more)
            {
                break;
            }

            rewrapped += count;
            skipped += skippedInBatch;
            after = last;
            progress?.Report(new RewrapProgress(rewrapped + skipped, total));
        }

        int remaining;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var state = await db.EncryptionStates.SingleAsync(cancellationToken);
            remaining = await db.Secrets.CountAsync(s => s.CertificateThumbprint != state.ActiveThumbprint, cancellationToken);
            state.RewrapRequestedAt = null;
            state.RewrapRequestedBy = null;
            await db.SaveChangesAsync(cancellationToken);
            await audit.AppendAsync(db, new AuditEntry(AuditActions.KeyRewrapCompleted, "Certificate", state.ActiveThumbprint, Details: new Dictionary<string, object?>
            {
                ["rewrapped"] = rewrapped,
                ["skipped"] = skipped,
                ["remaining"] = remaining,
            }), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new RewrapResult(rewrapped, skipped, remaining);
    }

    /// <summary>The Quartz job's work, with the outcome the Jobs page shows.</summary>
    public async Task<JobOutcome> RunJobAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(DefaultBatchSize, null, cancellationToken);
        var message = $"Re-wrapped {result.Rewrapped} secret(s) with the active certificate"
            + (result.Remaining > 0 ? $"; {result.Remaining} could not be re-wrapped (their certificate is missing or the record was altered)" : "")
            + ".";
        return new JobOutcome(result.Remaining == 0, message);
    }

    /// <returns>More = false when there was nothing left after <paramref name="after"/>.</returns>
    private async Task<(int Rewrapped, int Skipped, long LastId, bool More)> RunBatchAsync(long after, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var active = await db.EncryptionStates.Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken);
        var wrapping = active is null ? null : keyRing.Find(active);
        if (wrapping is null)
        {
            throw new KeyRingException($"The active certificate {active} is not in the key ring; nothing can be re-wrapped.");
        }

        var rows = await db.Secrets
            .Where(s => s.Id > after && s.CertificateThumbprint != wrapping.Thumbprint)
            .OrderBy(s => s.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return (0, 0, after, false);
        }

        var loaded = rows.Select(r => r.CertificateThumbprint).Distinct().Where(t => keyRing.Find(t) is not null).ToHashSet();
        var results = new SealedSecret?[rows.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(0, rows.Count, options, i =>
        {
            try
            {
                results[i] = loaded.Contains(rows[i].CertificateThumbprint) ? cipher.Rewrap(rows[i].ToSealed(), wrapping) : null;
            }
            catch (SecretUnreadableException)
            {
                results[i] = null;
            }
        });

        var now = time.GetUtcNow().UtcDateTime;
        var skipped = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (results[i] is { } rewrapped)
            {
                rows[i].Apply(rewrapped, now);
            }
            else
            {
                skipped++;
                logger.LogWarning("Secret {SecretId} could not be re-wrapped: its certificate {Thumbprint} is missing or its record was altered", rows[i].Id, rows[i].CertificateThumbprint);
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone wrote some of these secrets meanwhile (under the active certificate): read the batch again.
            return (0, 0, after, true);
        }

        return (rows.Count - skipped, skipped, rows[^1].Id, true);
    }
}
