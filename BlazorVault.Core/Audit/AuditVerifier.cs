using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Audit;

/// <summary>Walks the whole chain in order and reports the first event whose link or hash does not match.</summary>
public sealed class AuditVerifier(ICurrentActor currentActor, IDbContextFactory<BlazorVaultDbContext> contextFactory)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        var previous = AuditChain.Genesis;
        long count = 0;
        await foreach (
            var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken)
        )
        {
            if (e.Sequence != count + 1)
            {
                return new AuditVerification(count, e.Sequence, $"event {count + 1} is missing");
            }

            if (e.PreviousHash != previous)
            {
                return new AuditVerification(count, e.Sequence, "its link to the event before it does not match");
            }

            if (AuditChain.ComputeHash(e) != e.Hash)
            {
                return new AuditVerification(count, e.Sequence, "its content does not match its hash (the row was changed)");
            }

            previous = e.Hash;
            count++;
        }

        var head = await db.AuditChainHeads.AsNoTracking().SingleAsync(cancellationToken);
        if (head.LastSequence != count || head.LastHash != previous)
        {
            return new AuditVerification(
                count,
                null,
                $"the log ends at event {count} but the chain head names event {head.LastSequence} (events were removed from the end)"
            );
        }

        return new AuditVerification(count, null, null);
    }
}
