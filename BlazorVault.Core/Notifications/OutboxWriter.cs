using BlazorVault.Core.Crypto;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Notifications;

/// <summary>
/// How features send email: they queue it in the transaction of the action that causes it, and once that has
/// committed ask for delivery at once. <see cref="EmailDelivery"/> renders and sends it.
/// </summary>
public sealed class OutboxWriter(
    SecretStore secrets,
    SettingsService settings,
    IJobScheduler scheduler,
    TimeProvider time,
    ILogger<OutboxWriter> logger
)
{
    /// <summary>Adds the email to the caller's transaction; a link is sealed with the installation's certificate.</summary>
    internal async Task QueueAsync(
        BlazorVaultDbContext db,
        OutboxEmailKind kind,
        string toAddress,
        string? userId,
        DateTime? expiresAt,
        string? link,
        CancellationToken cancellationToken
    )
    {
        var email = OutboxEmail.Queue(kind, toAddress, userId, expiresAt, hasLink: link is not null, time.GetUtcNow().UtcDateTime);
        db.OutboxEmails.Add(email);
        await db.SaveChangesAsync(cancellationToken);
        if (link is not null)
        {
            await secrets.WriteAsync(db, OutboxRecords.LinkSlot(email.Id), link, cancellationToken);
        }
    }

    /// <summary>A notice to the admin notification address, when one is set and this kind of notice is on.</summary>
    /// <returns>Whether a notice was queued.</returns>
    internal async Task<bool> QueueAdminNoticeAsync(
        BlazorVaultDbContext db,
        OutboxEmailKind kind,
        string userId,
        DateTime? expiresAt,
        CancellationToken cancellationToken
    )
    {
        var emailSettings = await settings.GetAsync<EmailSettings>(cancellationToken);
        var wanted = kind == OutboxEmailKind.AdminLockout ? emailSettings.NotifyAdminOnLockout : emailSettings.NotifyAdminOnAgentReset;
        if (emailSettings.AdminNotificationAddress is not { Length: > 0 } to || !wanted)
        {
            return false;
        }

        await QueueAsync(db, kind, to, userId, expiresAt, null, cancellationToken);
        return true;
    }

    /// <summary>
    /// Fails the account's queued emails that carry a set-password link and deletes their links, in the caller's
    /// transaction.
    /// </summary>
    internal static async Task CancelLinkEmailsAsync(
        BlazorVaultDbContext db,
        string userId,
        string reason,
        CancellationToken cancellationToken
    )
    {
        var queued = await db
            .OutboxEmails.Where(e => e.UserId == userId && e.HasLink && e.Status == OutboxEmailStatus.Queued)
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in queued)
        {
            await SecretStore.DeleteAsync(db, OutboxRecords.LinkSlot(id), cancellationToken);
        }

        await db
            .OutboxEmails.Where(e => queued.Contains(e.Id))
            .ExecuteUpdateAsync(
                e => e.SetProperty(x => x.Status, OutboxEmailStatus.Failed).SetProperty(x => x.LastError, reason),
                cancellationToken
            );
    }

    /// <summary>Once the caller's transaction has committed: deliver now instead of at the next scheduled run.</summary>
    internal async Task DeliverSoonAsync()
    {
        try
        {
            await scheduler.TriggerAsync(EmailDelivery.JobKey);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The email is queued; the job's schedule delivers it anyway.
            logger.LogWarning(ex, "Could not start the email outbox job at once");
        }
    }
}
