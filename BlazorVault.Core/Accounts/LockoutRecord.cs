using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// A form that asks for the account's password again (change password, break-glass) locked the account with wrong guesses:
/// the lockout is audited and the admin notice queued as for sign-in, in the caller's transaction.
/// </summary>
internal static class LockoutRecord
{
    /// <param name="method">The form, as the audit event names it, e.g. "change-password form".</param>
    /// <returns>Whether an admin notice was queued (deliver it once the transaction has committed).</returns>
    public static async Task<bool> AppendAsync(
        BlazorVaultDbContext db,
        IAuditLog audit,
        OutboxWriter outbox,
        ApplicationUser user,
        string method,
        CancellationToken cancellationToken
    )
    {
        var notified = await outbox.QueueAdminNoticeAsync(
            db,
            OutboxEmailKind.AdminLockout,
            user.Id,
            user.LockoutEnd?.UtcDateTime,
            cancellationToken
        );
        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.LockedOut,
                "User",
                user.Id,
                user.CustomerId,
                new Dictionary<string, object?> { ["method"] = method }
            ),
            cancellationToken
        );
        return notified;
    }
}
