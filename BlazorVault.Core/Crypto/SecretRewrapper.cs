using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Crypto.Entities;
using BlazorVault.Core.Crypto.Models;
using BlazorVault.Core.Jobs.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Crypto;

/// <summary>
/// Re-wraps every data key that is not wrapped by the active certificate, in batches: each batch is unwrapped and
/// wrapped on all cores, then committed in one transaction while the next batch is being unwrapped. Killing it at
/// any point loses nothing (an uncommitted batch keeps its old wrapping, which still unwraps); running it again
/// carries on where it stopped.
/// </summary>
public sealed class SecretRewrapper(
    ICurrentActor currentActor,
    SecretCipher cipher,
    KeyRing keyRing,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time,
    ILogger<SecretRewrapper> logger
)
{
    public const string JobKey = "key-rewrap";
    public const int DefaultBatchSize = 500;

    /// <param name="Wrapping">The active certificate when the batch was read; the commit checks it is still active.</param>
    private sealed record Batch(long After, string Wrapping, List<StoredSecret> Rows, SealedSecret?[] Results)
    {
        public int Skipped => Results.Count(r => r is null);
    }

    /// <summary>
    /// Passes over the secrets until none that can be re-wrapped is left (a certificate activated mid-way sends
    /// the next pass back over the rows already done); clears the request only then.
    /// </summary>
    public async Task<RewrapResult> RunAsync(int batchSize, IProgress<RewrapProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        keyRing.Refresh();
        int rewrapped = 0,
            skipped = 0;
        while (true)
        {
            var (total, readable) = await CountPendingAsync(cancellationToken);
            if (readable == 0)
            {
                await FinishAsync(rewrapped, total, cancellationToken);
                return new RewrapResult(rewrapped, skipped, total);
            }

            var (passRewrapped, passSkipped) = await PassAsync(batchSize, total, rewrapped + skipped, progress, cancellationToken);
            rewrapped += passRewrapped;
            skipped += passSkipped;
            if (passRewrapped == 0)
            {
                // Nothing moved (e.g. every remaining row is altered): stop rather than spin; the request stays for the next run.
                var (remaining, _) = await CountPendingAsync(cancellationToken);
                return new RewrapResult(rewrapped, skipped, remaining);
            }
        }
    }

    /// <summary>One pass in key order: batches read and unwrapped while the previous batch commits.</summary>
    private async Task<(int Rewrapped, int Skipped)> PassAsync(
        int batchSize,
        int total,
        int doneBefore,
        IProgress<RewrapProgress>? progress,
        CancellationToken cancellationToken
    )
    {
        int rewrapped = 0,
            skipped = 0;
        long after = 0;
        (Batch Batch, Task<bool> Committed)? inFlight = null;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await ReadAndRewrapAsync(after, batchSize, cancellationToken);
                if (inFlight is { } previous)
                {
                    inFlight = null;
                    if (!await previous.Committed)
                    {
                        // Someone wrote some of those secrets meanwhile (under the active certificate): read them again.
                        after = previous.Batch.After;
                        continue;
                    }

                    rewrapped += previous.Batch.Rows.Count - previous.Batch.Skipped;
                    skipped += previous.Batch.Skipped;
                    progress?.Report(new RewrapProgress(doneBefore + rewrapped + skipped, total + doneBefore));
                }

                if (batch.Rows.Count == 0)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                // SQLite's async calls complete synchronously: run the commit on its own thread so that it overlaps
                // the next batch's unwrapping.
                inFlight = (batch, Task.Run(() => CommitAsync(batch, cancellationToken), CancellationToken.None));
                after = batch.Rows[^1].Id;
            }
        }
        finally
        {
            if (inFlight is { } unfinished)
            {
                // Never leave a commit running unobserved; if it fails or is cancelled, its batch simply stays as it was.
                await unfinished.Committed.ContinueWith(t => t.Exception, TaskScheduler.Default);
            }
        }

        return (rewrapped, skipped);
    }

    /// <summary>The Quartz job's work, with the outcome the Jobs page shows.</summary>
    public async Task<JobOutcome> RunJobAsync(CancellationToken cancellationToken)
    {
        var result = await RunAsync(DefaultBatchSize, null, cancellationToken);
        var message =
            $"Re-wrapped {result.Rewrapped} secret(s) with the active certificate"
            + (
                result.Remaining > 0
                    ? $"; {result.Remaining} could not be re-wrapped (their certificate is missing or the record was altered)"
                    : ""
            )
            + ".";
        return new JobOutcome(result.Remaining == 0, message);
    }

    /// <summary>
    /// The next rows after <paramref name="after"/> not wrapped by the active certificate, re-wrapped on all cores (not yet saved).
    /// </summary>
    private async Task<Batch> ReadAndRewrapAsync(long after, int batchSize, CancellationToken cancellationToken)
    {
        EncryptionCertificate wrapping;
        List<StoredSecret> rows;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var active = await db.EncryptionStates.Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken);
            wrapping =
                (active is null ? null : keyRing.Find(active))
                ?? throw new KeyRingException($"The active certificate {active} is not in the key ring; nothing can be re-wrapped.");
            rows = await db
                .Secrets.AsNoTracking()
                .Where(s => s.Id > after && s.CertificateThumbprint != wrapping.Thumbprint)
                .OrderBy(s => s.Id)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
        }

        var loaded = rows.Select(r => r.CertificateThumbprint).Distinct().Where(t => keyRing.Find(t) is not null).ToHashSet();
        var results = new SealedSecret?[rows.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken };
        Parallel.For(
            0,
            rows.Count,
            options,
            i =>
            {
                try
                {
                    results[i] = loaded.Contains(rows[i].CertificateThumbprint) ? cipher.Rewrap(rows[i].ToSealed(), wrapping) : null;
                }
                catch (SecretUnreadableException)
                {
                    results[i] = null;
                }
            }
        );

        return new Batch(after, wrapping.Thumbprint, rows, results);
    }

    /// <summary>
    /// Saves one batch in one transaction; false when another writer changed one of its rows meanwhile, or another
    /// certificate became active (so a certificate about to be retired never receives rows).
    /// </summary>
    private async Task<bool> CommitAsync(Batch batch, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Held to the commit: the certificate checked here cannot stop being active before the batch is saved.
        await RowLocks.EncryptionStateSharedAsync(db, cancellationToken);
        var active = await db.EncryptionStates.Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken);
        if (!string.Equals(active, batch.Wrapping, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        for (var i = 0; i < batch.Rows.Count; i++)
        {
            var row = batch.Rows[i];
            if (batch.Results[i] is { } rewrapped)
            {
                db.Secrets.Attach(row);
                row.Apply(rewrapped, now);
            }
            else
            {
                logger.LogWarning(
                    "Secret {SecretId} could not be re-wrapped: its certificate {Thumbprint} is missing or its record was altered",
                    row.Id,
                    row.CertificateThumbprint
                );
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    /// <summary>Secrets not wrapped by the active certificate: all of them, and those whose certificate is loaded.</summary>
    private async Task<(int Total, int Readable)> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.EncryptionStates.Select(s => s.ActiveThumbprint).SingleAsync(cancellationToken) ?? "";
        var byCertificate = await db
            .Secrets.Where(s => s.CertificateThumbprint != active)
            .GroupBy(s => s.CertificateThumbprint)
            .Select(g => new { Thumbprint = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return (byCertificate.Sum(g => g.Count), byCertificate.Where(g => keyRing.Find(g.Thumbprint) is not null).Sum(g => g.Count));
    }

    /// <summary>Clears the request (nothing re-wrappable is left) and audits the outcome.</summary>
    private async Task FinishAsync(int rewrapped, int remaining, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await RowLocks.EncryptionStateAsync(db, cancellationToken);
        var state = await db.EncryptionStates.SingleAsync(cancellationToken);
        state.RewrapRequestedAt = null;
        state.RewrapRequestedBy = null;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.KeyRewrapCompleted,
                "Certificate",
                state.ActiveThumbprint,
                Details: new Dictionary<string, object?> { ["rewrapped"] = rewrapped, ["remaining"] = remaining }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
    }
}
