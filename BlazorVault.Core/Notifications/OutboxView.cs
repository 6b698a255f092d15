using BlazorVault.Core.Audit;
using BlazorVault.Core.Common;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Notifications;

/// <summary>
/// The administrator's Outbox page: every email with its status and the server's last reason, an email from the
/// pickup folder opened, a failed one queued again.
/// </summary>
public sealed class OutboxView(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    OutboxWriter writer,
    IAuditLog audit,
    StoragePaths paths,
    TimeProvider time
)
{
    public async Task<PagedResult<OutboxEmailSummary>> ListAsync(
        OutboxEmailStatus? status,
        int page,
        int pageSize,
        CancellationToken cancellationToken = default
    )
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        (page, pageSize) = Paging.Normalize(page, pageSize);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.OutboxEmails.AsNoTracking().Where(e => status == null || e.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<OutboxEmailSummary>(
            [
                .. rows.Select(e => new OutboxEmailSummary(
                    e.Id,
                    e.Kind,
                    e.ToAddress,
                    e.Subject,
                    e.Status,
                    e.Attempts,
                    e.CreatedAt,
                    e.SentAt,
                    e.NextAttemptAt,
                    e.LastError,
                    e.PickupFile is not null,
                    e.CanRetry,
                    e.LinkRemovedAt
                )),
            ],
            total,
            page,
            pageSize
        );
    }

    /// <summary>Queues a failed email again. One that carried a link cannot be: its link is gone; send a new one.</summary>
    public async Task RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var email =
            await db.OutboxEmails.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) ?? throw new NotFoundException("The email");
        if (!email.CanRetry)
        {
            throw new ValidationFailedException(
                "",
                email.HasLink
                    ? "This email carried a set-password link, which was deleted when it failed. Send a new one from the account instead."
                    : "Only a failed email can be sent again."
            );
        }

        email.Requeue(time.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, OutboxRecords.AuditOf(AuditActions.EmailRetried, email), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await writer.DeliverSoonAsync();
    }

    /// <summary>
    /// The .eml file of an email delivered to the pickup folder, for an installation without an SMTP server: the
    /// administrator reads it (and may pass on its link). Audited, since it can hold a set-password link.
    /// </summary>
    public async Task<string> OpenPickupFileAsync(long id, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var email =
            await db.OutboxEmails.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken)
            ?? throw new NotFoundException("The email");
        var path = email.PickupFile is null ? null : Path.Combine(paths.MailPickupDirectory, Path.GetFileName(email.PickupFile));
        if (path is null || !File.Exists(path))
        {
            throw new NotFoundException("The email's file in the pickup folder");
        }

        var message = await MimeKit.MimeMessage.LoadAsync(path, cancellationToken);
        await audit.WriteAsync(OutboxRecords.AuditOf(AuditActions.EmailOpened, email), cancellationToken);
        return message.TextBody ?? "";
    }
}
