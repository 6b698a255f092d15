using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Asking for a reset link: "Forgotten Password?", an agent or administrator sending one, and a password found expired
/// at sign-in. The link itself, and setting a password from it, are <see cref="PasswordLinkService"/>'s.
/// </summary>
public sealed class PasswordResetService(
    ICurrentActor currentActor,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    PasswordLinkService links,
    OutboxWriter outbox,
    IAuditLog audit,
    TimeProvider time
)
{
    /// <summary>The least time "Forgotten Password?" takes to answer, whether or not the address has an account.</summary>
    public static readonly TimeSpan ResetAnswerTime = TimeSpan.FromMilliseconds(250);

    /// <summary>A second reset request within this time sends no second email (the answer is the same).</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromMinutes(2);

    private static readonly AuditActorOverride Anonymous = new(null, "Anonymous");

    /// <summary>
    /// "Forgotten Password?": emails a reset link when the address belongs to an enabled account. The caller learns
    /// nothing either way: same result, no exception, and at most one email per <see cref="ResendInterval"/>.
    /// </summary>
    public async Task RequestResetAsync(string? email, CancellationToken cancellationToken = default)
    {
        // Both answers take at least this long, so the few milliseconds an email costs do not tell who has an account.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var emailed = await RequestResetCoreAsync(email, cancellationToken);
        TimeSpan rest;
        while ((rest = ResetAnswerTime - System.Diagnostics.Stopwatch.GetElapsedTime(started)) > TimeSpan.Zero)
        {
            // A timer may fire a little early; wait again for what is left.
            await Task.Delay(rest + TimeSpan.FromMilliseconds(1), cancellationToken);
        }

        if (emailed)
        {
            await outbox.DeliverSoonAsync();
        }
    }

    /// <summary>
    /// "Send password reset email" on a portal user (agents) or an agent (administrators). The admin notification
    /// address hears of it when the setting asks.
    /// </summary>
    public async Task SendResetEmailAsync(string userId, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var user =
            await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new NotFoundException("The user");
        if (user.CustomerId is null)
        {
            actor.DemandAdmin();
        }

        if (user.DisabledAt is not null)
        {
            throw new ValidationFailedException("", "The account is disabled. Enable it before sending a password reset email.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expires = await links.IssueLinkAsync(db, user, PasswordLinkPurpose.Reset, cancellationToken);
        var notified = await outbox.QueueAdminNoticeAsync(db, OutboxEmailKind.AdminAgentReset, user.Id, expires, cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.PasswordResetSent,
                "User",
                user.Id,
                user.CustomerId,
                new Dictionary<string, object?> { ["to"] = user.Email, ["adminNotified"] = notified }
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        await outbox.DeliverSoonAsync();
    }

    /// <summary>A password has expired at sign-in: a reset link, unless one went out moments ago.</summary>
    internal async Task SendExpiredResetAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var emailed = await IssueResetUnlessRecentAsync(db, user, cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.PasswordExpiredSignIn,
                "User",
                user.Id,
                user.CustomerId,
                new Dictionary<string, object?> { ["emailed"] = emailed },
                new AuditActorOverride(user.Id, user.DisplayName)
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        if (emailed)
        {
            await outbox.DeliverSoonAsync();
        }
    }

    /// <returns>Whether a reset email was queued.</returns>
    private async Task<bool> RequestResetCoreAsync(string? email, CancellationToken cancellationToken)
    {
        var address = email?.Trim() ?? "";
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var normalized = address.ToUpperInvariant();
        var user = address.Length is > 0 and <= 320
            ? await db
                .Users.AsNoTracking()
                .SingleOrDefaultAsync(u => u.NormalizedEmail == normalized && u.DisabledAt == null, cancellationToken)
            : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (user is null)
        {
            await audit.AppendAsync(
                db,
                new AuditEntry(
                    AuditActions.PasswordResetRequested,
                    Details: new Dictionary<string, object?> { ["account"] = "unknown" },
                    Actor: Anonymous
                ),
                cancellationToken
            );
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        var emailed = await IssueResetUnlessRecentAsync(db, user, cancellationToken);
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.PasswordResetRequested,
                "User",
                user.Id,
                user.CustomerId,
                new Dictionary<string, object?> { ["emailed"] = emailed },
                Anonymous
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        return emailed;
    }

    /// <summary>A reset link for a request the person made, unless one went out within <see cref="ResendInterval"/>.</summary>
    /// <returns>Whether a reset email was queued.</returns>
    private async Task<bool> IssueResetUnlessRecentAsync(BlazorVaultDbContext db, ApplicationUser user, CancellationToken cancellationToken)
    {
        // Simultaneous requests for one account take turns, so the second sees the link the first issued.
        await RowLocks.AccountAsync(db, user.Id, cancellationToken);
        var since = time.GetUtcNow().UtcDateTime - ResendInterval;
        if (
            await db.PasswordLinks.AnyAsync(
                l => l.UserId == user.Id && l.Purpose == PasswordLinkPurpose.Reset && l.CreatedAt > since,
                cancellationToken
            )
        )
        {
            return false;
        }

        return await links.IssueLinkAsync(db, user, PasswordLinkPurpose.Reset, cancellationToken) is not null;
    }
}
