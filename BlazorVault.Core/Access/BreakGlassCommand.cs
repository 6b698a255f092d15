using System.Data.Common;
using System.Globalization;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Core.Access;

/// <summary>
/// Break-glass: when the Vault setting allows it, an agent whose groups let them list a password but not reveal it reveals
/// it anyway in an emergency, with a reason and their own password again. In one transaction, committed before anything is
/// decrypted: the audit event, the cell's "last revealed" facts, Needs rotation on the cell, a notice to every enabled
/// administrator and an email to each who has an address.
/// </summary>
public sealed class BreakGlassCommand(
    ICurrentActor currentActor,
    IAuditLog audit,
    SecretStore secrets,
    SettingsService settings,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    IServiceScopeFactory scopeFactory,
    OutboxWriter outbox,
    ISettingsChangeNotifier changes,
    TimeProvider time
)
{
    public const int ReasonMaxLength = RevealSecretCommand.ReasonMaxLength;

    public async Task<RevealedSecret> RevealAsync(
        int rowId,
        int fieldId,
        string? reason,
        string? currentPassword,
        CancellationToken cancellationToken = default
    )
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        actor.DemandAgent();
        if (!(await settings.GetAsync<VaultSettings>(cancellationToken)).AllowBreakGlass)
        {
            throw new AccessDeniedException("Break-glass is turned off: ask someone who may reveal this password.");
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        var validator = new InputValidator();
        if (reason is null)
        {
            validator.Add("Reason", "Say why this is an emergency: every administrator reads it.");
        }
        else if (reason.Length > ReasonMaxLength)
        {
            validator.Add("Reason", $"At most {ReasonMaxLength} characters.");
        }

        if (string.IsNullOrEmpty(currentPassword))
        {
            validator.Add("CurrentPassword", "Enter your password.");
        }

        validator.ThrowIfInvalid();
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var target = await RevealSecretCommand.FindTargetAsync(db, actor, rowId, fieldId, cancellationToken);
        if (target is null)
        {
            throw new NotFoundException("The password field");
        }

        // Out of scope or no level on the table: not found, as everywhere else. Checked before the password, so that someone
        // who may not even see the row learns nothing and records nothing about it.
        DemandBreakGlassLevel(await CustomerRights.DemandAsync(db, actor, target.CustomerId, cancellationToken), target.TableId);
        await DemandPasswordAsync(actor, target, rowId, fieldId, reason!, currentPassword!, cancellationToken);

        var revealedAt = time.GetUtcNow().UtcDateTime;
        var emailed = 0;
        List<string> notified = [];
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

            // Read again in the transaction that records it: a group change committed meanwhile counts.
            DemandBreakGlassLevel(await CustomerRights.DemandAsync(db, actor, target.CustomerId, cancellationToken), target.TableId);
            var marked = await db
                .CustomValues.Where(v => v.RowId == rowId && v.FieldId == fieldId && v.SecretChangedAt != null)
                .ExecuteUpdateAsync(
                    v =>
                        v.SetProperty(x => x.LastRevealedAt, revealedAt)
                            .SetProperty(x => x.LastRevealedBy, actor.Name)
                            .SetProperty(x => x.RotationRequestedAt, revealedAt)
                            .SetProperty(x => x.RotationRequestedBy, actor.Name)
                            .SetProperty(x => x.RotationReason, Truncate($"Break-glass reveal by {actor.Name}")),
                    cancellationToken
                );
            if (marked == 0)
            {
                throw new NotFoundException("The password");
            }

            await audit.AppendAsync(db, target.Event(AuditActions.BreakGlassRevealed, actor, rowId, fieldId, reason!), cancellationToken);
            var customer = await db.Customers.Where(c => c.Id == target.CustomerId).Select(c => c.Name).SingleAsync(cancellationToken);
            var admins = await db
                .Users.Where(u =>
                    u.DisabledAt == null
                    && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin))
                )
                .Select(u => new { u.Id, u.Email })
                .ToListAsync(cancellationToken);
            notified = [.. admins.Select(a => a.Id)];
            AccessChanges.AddNotices(
                db,
                notified,
                AccessNoticeKind.BreakGlass,
                $"Break-glass: {actor.Name} revealed a password at {customer} ({target.Table}, {target.Field}). Reason: {reason}",
                $"/customers/{target.CustomerId.ToString(CultureInfo.InvariantCulture)}",
                revealedAt
            );
            await db.SaveChangesAsync(cancellationToken);
            foreach (var email in admins.Select(a => a.Email).OfType<string>().Where(e => e.Length > 0))
            {
                await outbox.QueueAsync(db, OutboxEmailKind.BreakGlass, email, actor.UserId, null, null, cancellationToken);
                emailed++;
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or InvalidOperationException)
        {
            throw new AuditUnavailableException(
                "The break-glass reveal could not be recorded in the audit log, so the password was not shown. Try again; if it "
                    + "keeps failing, tell an administrator.",
                ex
            );
        }

        if (emailed > 0)
        {
            await outbox.DeliverSoonAsync();
        }

        await changes.PublishNoticesChangedAsync(notified, cancellationToken);
        await changes.PublishCustomObjectsChangedAsync(cancellationToken);
        var plaintext =
            await secrets.ReadAsync(db, CustomValue.SecretSlotOf(rowId, fieldId), cancellationToken)
            ?? throw new NotFoundException("The password");
        return new RevealedSecret(plaintext, revealedAt, actor.Name);
    }

    /// <summary>Break-glass is for a row the agent sees (List) but may not reveal; with Reveal, the eye does it.</summary>
    private static void DemandBreakGlassLevel(CustomerRights rights, int tableId)
    {
        var level = rights.LevelOn(tableId);
        if (level == AccessLevel.None)
        {
            throw new NotFoundException("The table");
        }

        if (level >= AccessLevel.Reveal)
        {
            throw new ValidationFailedException("", "You may reveal this password: use the eye instead of break-glass.");
        }
    }

    /// <summary>
    /// The agent's own password again. Wrong ones count towards lockout as failed sign-ins do and are audited as failed
    /// break-glass; nothing is revealed or marked.
    /// </summary>
    private async Task DemandPasswordAsync(
        Actor actor,
        RevealTarget target,
        int rowId,
        int fieldId,
        string reason,
        string password,
        CancellationToken cancellationToken
    )
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<BlazorVaultUserManager>();
        var user = await users.FindByIdAsync(actor.UserId!) ?? throw new NotFoundException("Your account");
        if (await users.IsLockedOutAsync(user))
        {
            throw new ValidationFailedException(
                "CurrentPassword",
                "Too many wrong passwords: the account is locked for a while. Try again later."
            );
        }

        if (await users.CheckPasswordAsync(user, password))
        {
            return;
        }

        await users.AccessFailedAsync(user);
        var lockedOut = await users.IsLockedOutAsync(user);
        var notified = false;
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await audit.AppendAsync(db, target.Event(AuditActions.BreakGlassFailed, actor, rowId, fieldId, reason), cancellationToken);
            notified = lockedOut && await LockoutRecord.AppendAsync(db, audit, outbox, user, "break-glass form", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (notified)
        {
            await outbox.DeliverSoonAsync();
        }

        throw new ValidationFailedException("CurrentPassword", "The password is incorrect.");
    }

    private static string Truncate(string text) =>
        text.Length > CustomValue.RotationReasonMaxLength ? text[..(CustomValue.RotationReasonMaxLength - 1)] + "…" : text;
}
