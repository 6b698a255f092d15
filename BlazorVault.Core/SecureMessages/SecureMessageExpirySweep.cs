using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Tickets.Entities;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.SecureMessages;

/// <summary>
/// The expiry job's work: every active message past its expiry loses its content and becomes Expired in one statement,
/// with one timeline entry per message in the same transaction and one audit event with the count.
/// </summary>
public sealed class SecureMessageExpirySweep(
    ICurrentActor currentActor,
    IAuditLog audit,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    TimeProvider time
)
{
    public const string JobKey = "secure-message-expiry";

    /// <summary>The timeline entry of an expired message, whether the sweep or a late visitor found it first.</summary>
    internal const string TimelineText = "The secure message expired unviewed; its content is now deleted.";

    internal static readonly TicketActor TimelineActor = new("", "BlazorVault");

    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Set-based, as the update: one timeline entry per expiring message, in the same transaction.
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "TicketActivities" ("TicketId", "Kind", "Body", "ActorId", "ActorName", "CreatedAt")
            SELECT "TicketId", {nameof(TicketActivityKind.SecureMessage)}, {TimelineText}, {""}, {TimelineActor.Name}, {now}
            FROM "SecureMessages" WHERE "Status" = {nameof(SecureMessageStatus.Active)} AND "ExpiresAt" <= {now}
            """,
            cancellationToken
        );
        var expired = await db
            .SecureMessages.Where(m => m.Status == SecureMessageStatus.Active && m.ExpiresAt <= now)
            .EndAsync(SecureMessageStatus.Expired, now, null, cancellationToken);
        if (expired > 0)
        {
            await audit.AppendAsync(
                db,
                new AuditEntry(AuditActions.SecureMessageExpired, Details: new Dictionary<string, object?> { ["messages"] = expired }),
                cancellationToken
            );
        }

        await transaction.CommitAsync(cancellationToken);
        return expired;
    }
}
