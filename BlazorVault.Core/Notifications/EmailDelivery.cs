using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
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
/// The "Email outbox" job's work: renders each due email from its template and delivers it, retrying with
/// back-off (1, 2, 4 … 60 minutes, at most <see cref="MaxAttempts"/> tries); a server's permanent refusal (5xx)
/// fails it at once. Each email keeps its status and the server's last reason. Also the administrator's test email,
/// through the same transport.
/// </summary>
public sealed class EmailDelivery(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    SecretStore secrets,
    SettingsService settings,
    MailTransport transport,
    IAuditLog audit,
    PublicAddress address,
    TimeProvider time,
    ILogger<EmailDelivery> logger
)
{
    public const string JobKey = "email-outbox";
    public const int MaxAttempts = 8;
    private const int BatchSize = 50;

    public async Task<OutboxDeliveryResult> DeliverDueAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var (sent, retrying, failed) = (0, 0, 0);
        while (true)
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            var now = time.GetUtcNow().UtcDateTime;
            var due = await db
                .OutboxEmails.Where(e => e.Status == OutboxEmailStatus.Queued && e.NextAttemptAt <= now)
                .OrderBy(e => e.NextAttemptAt)
                .ThenBy(e => e.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return new OutboxDeliveryResult(sent, retrying, failed);
            }

            var templates = await settings.GetAsync<EmailTemplateSettings>(cancellationToken);
            EmailSettings emailSettings;
            IMailSession session;
            try
            {
                (emailSettings, session) = await OpenSessionAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The server cannot be reached or refuses us: every email of the batch waits for its next try.
                foreach (var email in due)
                {
                    if (await RecordFailedAttemptAsync(db, email, ex, cancellationToken))
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
                            email.MarkFailed("The email's link was deleted before it could be sent.");
                            await RecordFinalFailureAsync(db, email, cancellationToken);
                            failed++;
                            continue;
                        }

                        var message = MailTransport.Compose(emailSettings, email.ToAddress, rendered.Subject, rendered.Body);
                        var pickupFile = await session.SendAsync(message, cancellationToken);
                        await RecordSentAsync(db, email, rendered.Subject, pickupFile, cancellationToken);
                        sent++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        if (await RecordFailedAttemptAsync(db, email, ex, cancellationToken))
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

    /// <summary>Sends a test email now, with the saved settings, and says what the server answered.</summary>
    public async Task<EmailTestResult> SendTestAsync(string to, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAdmin();
        if (!System.Net.Mail.MailAddress.TryCreate(to?.Trim(), out var recipient))
        {
            throw new ValidationFailedException("To", "Enter an email address.");
        }

        EmailTestResult result;
        try
        {
            var (emailSettings, opened) = await OpenSessionAsync(cancellationToken);
            await using var session = opened;
            var file = await session.SendAsync(
                MailTransport.Compose(
                    emailSettings,
                    recipient.Address,
                    "BlazorVault test email",
                    $"This is a test email from BlazorVault, sent by {actor.Name}. Email delivery works."
                ),
                cancellationToken
            );
            result = new EmailTestResult(
                true,
                file is null
                    ? $"Sent to {recipient.Address} through {emailSettings.SmtpHost}:{emailSettings.SmtpPort}."
                    : $"No SMTP server is set: the email was written to the pickup folder as {file}."
            );
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = new EmailTestResult(false, MailTransport.Describe(ex));
        }

        await audit.WriteAsync(
            new AuditEntry(
                AuditActions.EmailTested,
                null,
                null,
                null,
                new Dictionary<string, object?> { ["to"] = recipient.Address, ["succeeded"] = result.Succeeded }
            ),
            cancellationToken
        );
        return result;
    }

    /// <summary>A session with the email settings and the SMTP password read together, so the password only goes to its server.</summary>
    private async Task<(EmailSettings Settings, IMailSession Session)> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var (emailSettings, password) = await settings.ReadWithSecretAsync<EmailSettings>(
            EmailSettings.SmtpPasswordName,
            cancellationToken
        );
        return (emailSettings, await transport.OpenAsync(emailSettings, password, cancellationToken));
    }

    private async Task<RenderedEmail?> RenderAsync(
        BlazorVaultDbContext db,
        OutboxEmail email,
        EmailSettings emailSettings,
        EmailTemplateSettings templates,
        CancellationToken cancellationToken
    )
    {
        var user = email.UserId is null
            ? null
            : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == email.UserId, cancellationToken);
        string link;
        DateTime? expires;
        switch (email.Kind)
        {
            case OutboxEmailKind.Welcome or OutboxEmailKind.PasswordReset:
                var sealedLink = await secrets.ReadAsync(db, OutboxRecords.LinkSlot(email.Id), cancellationToken);
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
            case OutboxEmailKind.AccessRequested:
                link = address.Link(emailSettings, "/access-requests");
                expires = null;
                break;
            case OutboxEmailKind.BreakGlass:
                link = address.Link(emailSettings, $"/config/at-risk?agent={Uri.EscapeDataString(email.UserId ?? "")}");
                expires = null;
                break;
            default:
                link = address.Link(emailSettings, user?.CustomerId is { } customerId ? $"/customers/{customerId}" : "/config/agents");
                expires = email.Kind == OutboxEmailKind.AdminLockout ? user?.LockoutEnd?.UtcDateTime : email.ExpiresAt;
                break;
        }

        return EmailTemplates.Render(
            templates,
            email.Kind,
            new EmailValues(user?.Email ?? "", user?.DisplayName ?? "", link, expires is null ? "" : EmailTemplates.Format(expires.Value))
        );
    }

    private async Task RecordSentAsync(
        BlazorVaultDbContext db,
        OutboxEmail email,
        string subject,
        string? pickupFile,
        CancellationToken cancellationToken
    )
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        email.MarkSent(time.GetUtcNow().UtcDateTime, subject, pickupFile);
        await db.SaveChangesAsync(cancellationToken);
        await SecretStore.DeleteAsync(db, OutboxRecords.LinkSlot(email.Id), cancellationToken);
        await audit.AppendAsync(db, OutboxRecords.AuditOf(AuditActions.EmailSent, email), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <returns>Whether the email has finally failed (rather than waiting for another try).</returns>
    private async Task<bool> RecordFailedAttemptAsync(
        BlazorVaultDbContext db,
        OutboxEmail email,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        var reason = MailTransport.Describe(exception);
        logger.LogWarning("Email {EmailId} ({Kind}) was not delivered: {Reason}", email.Id, email.Kind, reason);
        var attempt = email.Attempts + 1;
        if (MailTransport.IsPermanent(exception) || attempt >= MaxAttempts)
        {
            email.FailAttempt(reason);
            await RecordFinalFailureAsync(db, email, cancellationToken);
            return true;
        }

        email.ScheduleRetry(reason, time.GetUtcNow().UtcDateTime.AddMinutes(Math.Min(60, 1 << (attempt - 1))));
        await db.SaveChangesAsync(cancellationToken);
        return false;
    }

    /// <summary>Final: the email will not be sent, and a link it carried is deleted with it.</summary>
    private async Task RecordFinalFailureAsync(BlazorVaultDbContext db, OutboxEmail email, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await SecretStore.DeleteAsync(db, OutboxRecords.LinkSlot(email.Id), cancellationToken);
        await audit.AppendAsync(db, OutboxRecords.AuditOf(AuditActions.EmailFailed, email, email.LastError), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
