using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Access;

/// <summary>
/// The access-grant job's work: every approved grant past its end is recorded once in the audit log as expired, and open
/// pages are told, so the eye goes. The end itself needs no job: each reveal checks the grant's time.
/// </summary>
public sealed class AccessGrantExpirySweep(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    public const string JobKey = "access-grant-expiry";

    public async Task<int> RecordExpiredAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = await db
            .AccessRequests.Where(r => !r.ExpiryRecorded && r.Status == AccessRequestStatus.Approved && r.GrantedUntil <= now)
            .OrderBy(r => r.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        foreach (var grant in ended)
        {
            await audit.AppendAsync(
                db,
                new AuditEntry(
                    AuditActions.AccessExpired,
                    "AccessRequest",
                    grant.Id.ToString(CultureInfo.InvariantCulture),
                    grant.CustomerId,
                    new Dictionary<string, object?>
                    {
                        ["row"] = grant.RowId,
                        ["fieldId"] = grant.FieldId,
                        ["requester"] = grant.RequesterName,
                        ["until"] = grant.GrantedUntil,
                    }
                ),
                cancellationToken
            );
        }

        var ids = ended.Select(g => g.Id).ToList();
        await db
            .AccessRequests.Where(r => ids.Contains(r.Id))
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.ExpiryRecorded, true), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (ended.Count > 0)
        {
            await changes.PublishAccessChangedAsync(ended.Select(g => g.RequesterId), cancellationToken);
        }

        return ended.Count;
    }
}
