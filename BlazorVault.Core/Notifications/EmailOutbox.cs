using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Jobs;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Notifications.Models;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Notifications;

/// <summary>
/// Every email BlazorVault sends. Features queue an email in the transaction of the action that causes it; the
/// "Email outbox" job renders it from its template and delivers it, retrying with back-off (1, 2, 4 … 60 minutes,
/// at most <see cref="MaxAttempts"/> tries); a server's permanent refusal (5xx) fails it at once. Each email keeps
/// its status and the server's last reason. Administrators see the outbox and can send a test email.
/// </summary>
public sealed class EmailOutbox(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    SecretStore secrets,
    SettingsService settings,
    MailTransport transport,
    IJobScheduler scheduler,
    IAuditLog audit,
    PublicAddress address,
    StoragePaths paths,
    TimeProvider time,
    ILogger<EmailOutbox> logger)
{
    public const string JobKey = "email-outbox";
    public const int MaxAttempts = 8;
    private const int BatchSize = 50;

    /// <summary>Adds the email to the caller's transaction; a link is sealed with the installation's certificate.</summary>
    internal async Task QueueAsync(BlazorVaultDbContext db, OutboxEmail email, string? link, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        email.Status = OutboxEmailStatus.Queued;
        email.CreatedAt = now;
        email.NextAttemptAt = now;
        email.HasLink = link is not null;
        db.OutboxEmails.Add(email);
        await db.SaveChangesAsync(cancellationToken);
        if (link is not null)
        {
            await secrets.WriteAsync(db, LinkSlot(email.Id), link, cancellationToken);
        }
    }

    /// <summary>A notice to the admin notification address, when one is set and this kind of notice is on.</summary>
    /// <returns>Whether a notice was queued.</returns>
    internal async Task<bool> QueueAdminNoticeAsync(BlazorVaultDbContext db, OutboxEmailKind kind, string userId, DateTime? expiresAt, CancellationToken cancellationToken)
    {
        var emailSettings = await settings.GetAsync<EmailSettings>(cancellationToken);
        var wanted = kind == OutboxEmailKind.AdminLockout ? emailSettings.NotifyAdminOnLockout : emailSettings.NotifyAdminOnAgentReset;
        if (emailSettings.AdminNotificationAddress is not { Length: > 0 } to || !wanted)
        {
            return false;
        }

        await QueueAsync(db, new OutboxEmail { Kind = kind, ToAddress = to, UserId = userId, ExpiresAt = expiresAt }, null, cancellationToken);
        return true;
    }

    /// <summary>Fails the account's queued emails that carry a set-password link and deletes their links, in the caller's transaction.</summary>
    internal static async Task CancelLinkEmailsAsync(BlazorVaultDbContext db, string userId, string reason, CancellationToken cancellationToken)
    {
        var queued = await db.OutboxEmails.Where(e => e.UserId == userId && e.HasLink && e.Status == OutboxEmailStatus.Queued).Select(e => e.Id).ToListAsync(cancellationToken);
        foreach (var id in queued)
        {
            await SecretStore.DeleteAsync(db, LinkSlot(id), cancellationToken);
        }

        await db.OutboxEmails.Where(e => queued.Contains(e.Id))
            .ExecuteUpdateAsync(e => e.SetProperty(x => x.Status, OutboxEmailStatus.Failed).SetProperty(x => x.LastError, reason), cancellationToken);
    }

    /// <summary>Once the caller's transaction has committed: deliver now instead of at the next scheduled run.</summary>
    internal async Task DeliverSoonAsync()
    {
        try
        {
            await scheduler.TriggerAsync(JobKey);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The email is queued; the job's schedule delivers it anyway.
            logger.LogWarning(ex, "Could not start the email outbox job at once");
        }
    }

    public async Task<OutboxDeliveryResult> DeliverDueAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var (sent, retrying, failed) = (0, 0, 0);
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var due = await db.OutboxEmails
                .Where(e => e.Status == OutboxEmailStatus.Queued && e.NextAttemptAt <= now)
                .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return new OutboxDeliveryResult(sent, retrying, failed);
            }

            var emailSettings = await settings.GetAsync<EmailSettings>(cancellationToken);
            var templates = await settings.GetAsync<EmailTemplateSettings>(cancellationToken);
            IMailSession session;
            try
            {
                session = await transport.OpenAsync(emailSettings, await settings.RevealSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName, cancellationToken), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The server cannot be reached or refuses us: every email of the batch waits for its next try.
                foreach (var email in due)
                {
                    if (await RecordFailureAsync(db, email, ex, cancellationToken))
                    {
                        failed++;
                    }
                    else
                    {
                        retrying++;
                    }
                }

                return new OutboxDeliveryResult(sent, retrying, failed);
            }

            await using (session)
            {
                foreach (var email in due)
                {
                    try
                    {
                        var rendered = await RenderAsync(db, email, emailSettings, templates, cancellationToken);
                        if (rendered is null)
                        {
                            await FailAsync(db, email, "The email's link was deleted before it could be sent.", cancellationToken);
                            failed++;
                            continue;
                        }

                        var pickupFile = await session.SendAsync(MailTransport.Compose(emailSettings, email.ToAddress, rendered.Subject, rendered.Body), cancellationToken);
                        await RecordSentAsync(db, email, rendered.Subject, pickupFile, cancellationToken);
                        sent++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        if (await RecordFailureAsync(db, email, ex, cancellationToken))
                    {
                        failed++;
                    }
                    else
                    {
                        retrying++;
                    }
                    }
                }
            }
        }
    }

    public async Task<PagedResult<OutboxEmailSummary>> ListAsync(OutboxEmailStatus? status, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        (page, pageSize) = Paging.Normalize(page, pageSize);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var query = db.OutboxEmails.AsNoTracking().Where(e => status == null || e.Status == status);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<OutboxEmailSummary>(
            [.. rows.Select(e => new OutboxEmailSummary(e.Id, e.Kind, e.ToAddress, e.Subject, e.Status, e.Attempts, e.CreatedAt, e.SentAt, e.NextAttemptAt, e.LastError,
                e.PickupFile is not null, e.Status == OutboxEmailStatus.Failed && !e.HasLink))],
            total, page, pageSize);
    }

    /// <summary>Queues a failed email again. One that carried a link cannot be: its link is gone; send a new one.</summary>
    public async Task RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var email = await db.OutboxEmails.SingleOrDefaultAsync(e => e.Id == id, cancellationToken) ?? throw new NotFoundException("The email");
        if (email.Status != OutboxEmailStatus.Failed || email.HasLink)
        {
            throw new ValidationFailedException("", email.HasLink
                ? "This email carried a set-password link, which was deleted when it failed. Send a new one from the account instead."
                : "Only a failed email can be sent again.");
        }

        email.Status = OutboxEmailStatus.Queued;
        email.Attempts = 0;
        email.NextAttemptAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(db, AuditOf(AuditActions.EmailRetried, email), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await DeliverSoonAsync();
    }

    /// <summary>
    /// The .eml file of an email delivered to the pickup folder, for an installation without an SMTP server: the
    /// administrator reads it (and may pass on its link). Audited, since it can hold a set-password link.
    /// </summary>
    public async Task<string> OpenPickupFileAsync(long id, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.OutboxEmails.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, cancellationToken) ?? throw new NotFoundException("The email");
        var path = email.PickupFile is null ? null : Path.Combine(paths.MailPickupDirectory, Path.GetFileName(email.PickupFile));
        if (path is null || !File.Exists(path))
        {
            throw new NotFoundException("The email's file in the pickup folder");
        }

        var message = await MimeKit.MimeMessage.LoadAsync(path, cancellationToken);
        await audit.WriteAsync(AuditOf(AuditActions.EmailOpened, email), cancellationToken);
        return message.TextBody ?? "";
    }

    /// <summary>Sends a test email now, with the saved settings, and says what the server answered.</summary>
    public async Task<EmailTestResult> SendTestAsync(string to, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        if (!System.Net.Mail.MailAddress.TryCreate(to?.Trim(), out var recipient))
        {
            throw new ValidationFailedException("To", "Enter an email address.");
        }

        var emailSettings = await settings.GetAsync<EmailSettings>(cancellationToken);
        EmailTestResult result;
        try
        {
            await using var session = await transport.OpenAsync(emailSettings, await settings.RevealSecretAsync<EmailSettings>(EmailSettings.SmtpPasswordName, cancellationToken), cancellationToken);
            var file = await session.SendAsync(MailTransport.Compose(emailSettings, recipient.Address, "BlazorVault test email",
                $"This is a test email from BlazorVault, sent by {actor.Name}. Email delivery works."), cancellationToken);
            result = new EmailTestResult(true, file is null
                ? $"Sent to {recipient.Address} through {emailSettings.SmtpHost}:{emailSettings.SmtpPort}."
                : $"No SMTP server is set: the email was written to the pickup folder as {file}.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new EmailTestResult(false, MailTransport.Describe(ex));
        }

        await audit.WriteAsync(new AuditEntry(AuditActions.EmailTested, null, null, null,
            new Dictionary<string, object?> { ["to"] = recipient.Address, ["succeeded"] = result.Succeeded }), cancellationToken);
        return result;
    }

    private static SecretSlot LinkSlot(long id) => new("outbox", Key(id), "link");

    private static string Key(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An email's audit event: which email, to whom, what kind (and why it failed).</summary>
    private static AuditEntry AuditOf(string action, OutboxEmail email, string? reason = null)
    {
        var details = new Dictionary<string, object?> { ["to"] = email.ToAddress, ["kind"] = email.Kind.ToString() };
        if (reason is not null)
        {
            details["reason"] = reason;
        }

        return new AuditEntry(action, "Email", Key(email.Id), null, details);
    }

    private async Task<RenderedEmail?> RenderAsync(BlazorVaultDbContext db, OutboxEmail email, EmailSettings emailSettings, EmailTemplateSettings templates, CancellationToken cancellationToken)
    {
        var user = email.UserId is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == email.UserId, cancellationToken);
        string link;
        DateTime? expires;
        switch (email.Kind)
        {
            case OutboxEmailKind.Welcome or OutboxEmailKind.PasswordReset:
                var sealedLink = await secrets.ReadAsync(db, LinkSlot(email.Id), cancellationToken);
                if (sealedLink is null)
                {
                    return null;
                }

                link = sealedLink;
                expires = email.ExpiresAt;
                break;
            case OutboxEmailKind.ExpiryReminder:
                var userSettings = await settings.GetAsync<UserSettings>(cancellationToken);
                link = address.Link(emailSettings, "/Account/Manage/ChangePassword");
                expires = user?.PasswordChangedAt?.AddDays(userSettings.PasswordExpiryDays);
                break;
            default:
                link = address.Link(emailSettings, user?.CustomerId is { } customerId ? $"/customers/{customerId}" : "/config/agents");
                expires = email.Kind == OutboxEmailKind.AdminLockout ? user?.LockoutEnd?.UtcDateTime : email.ExpiresAt;
                break;
        }

        return EmailTemplates.Render(templates, email.Kind, new EmailValues(
            user?.Email ?? "", user?.DisplayName ?? "", link, expires is null ? "" : EmailTemplates.Format(expires.Value)));
    }

    private async Task RecordSentAsync(BlazorVaultDbContext db, OutboxEmail email, string subject, string? pickupFile, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        email.Status = OutboxEmailStatus.Sent;
        email.Attempts++;
        email.SentAt = time.GetUtcNow().UtcDateTime;
        email.Subject = subject.Length > 500 ? subject[..500] : subject;
        email.PickupFile = pickupFile;
        email.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        await SecretStore.DeleteAsync(db, LinkSlot(email.Id), cancellationToken);
        await audit.AppendAsync(db, AuditOf(AuditActions.EmailSent, email), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <returns>Whether the email has finally failed (rather than waiting for another try).</returns>
    private async Task<bool> RecordFailureAsync(BlazorVaultDbContext db, OutboxEmail email, Exception exception, CancellationToken cancellationToken)
    {
        var reason = MailTransport.Describe(exception);
        logger.LogWarning("Email {EmailId} ({Kind}) was not delivered: {Reason}", email.Id, email.Kind, reason);
        if (MailTransport.IsPermanent(exception) || email.Attempts + 1 >= MaxAttempts)
        {
            email.Attempts++;
            await FailAsync(db, email, reason, cancellationToken);
            return true;
        }

        email.Attempts++;
        email.LastError = Truncate(reason);
        email.NextAttemptAt = time.GetUtcNow().UtcDateTime.AddMinutes(Math.Min(60, 1 << (email.Attempts - 1)));
        await db.SaveChangesAsync(cancellationToken);
        return false;
    }

    /// <summary>Final: the email will not be sent, and a link it carried is deleted with it.</summary>
    private async Task FailAsync(BlazorVaultDbContext db, OutboxEmail email, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        email.Status = OutboxEmailStatus.Failed;
        email.LastError = Truncate(reason);
        await db.SaveChangesAsync(cancellationToken);
        await SecretStore.DeleteAsync(db, LinkSlot(email.Id), cancellationToken);
        await audit.AppendAsync(db, AuditOf(AuditActions.EmailFailed, email, email.LastError), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Truncate(string text) => text.Length > OutboxEmail.ErrorMaxLength ? text[..OutboxEmail.ErrorMaxLength] : text;
}
