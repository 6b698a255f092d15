using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Password auto-expiry (Configuration &gt; Users, off by default): N days after the last change a password no
/// longer signs in. The daily job marks expired accounts and queues each reminder once, both set-based.
/// </summary>
public sealed class PasswordExpiry(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    SettingsService settings,
    OutboxWriter outbox,
    IAuditLog audit,
    TimeProvider time
)
{
    public const string JobKey = "password-expiry";

    /// <summary>Set-password links are kept this long after they were made (the longest validity is 30 days), then deleted.</summary>
    public const int LinkRetentionDays = 31;

    /// <summary>
    /// Whether the password no longer signs in, by today's setting (so raising the days takes effect at once); the
    /// job's <see cref="ApplicationUser.PasswordExpiredAt"/> mark is a record, not the rule.
    /// </summary>
    public static bool IsExpired(ApplicationUser user, UserSettings userSettings, DateTime now) =>
        userSettings.PasswordExpiryEnabled
        && user.PasswordHash is not null
        && user.PasswordChangedAt <= now.AddDays(-userSettings.PasswordExpiryDays);

    /// <summary>The daily run: marks expired accounts, queues due reminders, deletes old set-password links.</summary>
    public async Task<(int Expired, int Reminded)> RunAsync(CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        var userSettings = await settings.GetAsync<UserSettings>(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var linkCutoff = now.AddDays(-LinkRetentionDays);
        await db.PasswordLinks.Where(l => l.CreatedAt < linkCutoff).ExecuteDeleteAsync(cancellationToken);
        if (!userSettings.PasswordExpiryEnabled)
        {
            return (0, 0);
        }

        var cutoff = now.AddDays(-userSettings.PasswordExpiryDays);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = await Live(db)
            .Where(u => u.PasswordChangedAt <= cutoff && u.PasswordExpiredAt == null)
            .ExecuteUpdateAsync(
                u =>
                    u.SetProperty(x => x.PasswordExpiredAt, now)
                        // A new stamp ends the account's open sessions within a minute, as a password change would.
                        .SetProperty(x => x.SecurityStamp, x => x.SecurityStamp + "-expired")
                        .SetProperty(x => x.ConcurrencyStamp, x => x.ConcurrencyStamp + "-expired"),
                cancellationToken
            );

        // The mark follows the setting, as sign-in does: raising the days un-expires accounts within them again.
        await db
            .Users.Where(u => u.PasswordExpiredAt != null && u.PasswordChangedAt > cutoff)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordExpiredAt, (DateTime?)null), cancellationToken);

        var reminded = 0;
        if (userSettings.ReminderDays > 0)
        {
            var remindFrom = now.AddDays(userSettings.ReminderDays - userSettings.PasswordExpiryDays);

            // One outbox row per account due a reminder, in one statement; the template is filled at delivery.
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO "OutboxEmails" ("Kind", "ToAddress", "UserId", "HasLink", "Status", "Attempts", "NextAttemptAt", "CreatedAt")
                SELECT {nameof(OutboxEmailKind.ExpiryReminder)}, "Email", "Id", {false}, {nameof(OutboxEmailStatus.Queued)},
                       {0}, {now}, {now}
                FROM "AspNetUsers"
                WHERE "PasswordHash" IS NOT NULL AND "DisabledAt" IS NULL AND "Email" IS NOT NULL AND "PasswordChangedAt" IS NOT NULL
                  AND "PasswordChangedAt" > {cutoff} AND "PasswordChangedAt" <= {remindFrom} AND "ExpiryReminderSentAt" IS NULL
                """,
                cancellationToken
            );
            reminded = await Live(db)
                .Where(u =>
                    u.Email != null && u.PasswordChangedAt > cutoff && u.PasswordChangedAt <= remindFrom && u.ExpiryReminderSentAt == null
                )
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.ExpiryReminderSentAt, now), cancellationToken);
        }

        if (expired > 0)
        {
            await audit.AppendAsync(
                db,
                new AuditEntry(AuditActions.PasswordExpired, Details: new Dictionary<string, object?> { ["accounts"] = expired }),
                cancellationToken
            );
        }

        if (reminded > 0)
        {
            await audit.AppendAsync(
                db,
                new AuditEntry(AuditActions.PasswordExpiryReminders, Details: new Dictionary<string, object?> { ["accounts"] = reminded }),
                cancellationToken
            );
        }

        await transaction.CommitAsync(cancellationToken);
        if (reminded > 0)
        {
            await outbox.DeliverSoonAsync();
        }

        return (expired, reminded);
    }

    /// <summary>Accounts whose password can expire: enabled, with a password.</summary>
    private static IQueryable<ApplicationUser> Live(BlazorVaultDbContext db) =>
        db.Users.Where(u => u.PasswordHash != null && u.DisabledAt == null && u.PasswordChangedAt != null);
}
