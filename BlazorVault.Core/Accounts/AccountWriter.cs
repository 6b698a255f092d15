using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Creates and changes Identity accounts. Each operation runs in its own DI scope, so the UserManager and its
/// DbContext live for one operation even when the caller is a long-lived interactive circuit. Callers authorize.
/// </summary>
public sealed class AccountWriter(
    IServiceScopeFactory scopeFactory,
    IAuditLog audit,
    PasswordLinkService links,
    OutboxWriter outbox,
    TimeProvider time,
    ILogger<AccountWriter> logger
)
{
    /// <summary>Creates the account and runs <paramref name="alsoInTransaction"/> in the same transaction.</summary>
    /// <param name="createdBy">Who the audit log names as creator when it is not the current actor (first-run setup).</param>
    /// <param name="welcome">
    /// Queue the welcome email with a set-password link in the same transaction; the password may then be left
    /// empty for the person to choose.
    /// </param>
    internal async Task<string> CreateAsync(
        NewAccountInput input,
        IReadOnlyCollection<string> roles,
        int? customerId,
        Func<BlazorVaultDbContext, ApplicationUser, Task>? alsoInTransaction,
        CancellationToken cancellationToken,
        Func<ApplicationUser, AuditActorOverride>? createdBy = null,
        bool welcome = false
    )
    {
        var validator = new InputValidator();
        var displayName = validator.Required(nameof(input.DisplayName), "Name", input.DisplayName, ApplicationUser.DisplayNameMaxLength);
        var email = validator.Email(nameof(input.Email), input.Email);
        if (string.IsNullOrEmpty(input.Password) && !welcome)
        {
            validator.Add(nameof(input.Password), "Password is required.");
        }

        validator.ThrowIfInvalid();

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<BlazorVaultUserManager>();
        var db = scope.ServiceProvider.GetRequiredService<BlazorVaultDbContext>();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CustomerId = customerId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var hasPassword = !string.IsNullOrEmpty(input.Password);
        if (hasPassword)
        {
            // Before the transaction: the policy's checks must not hold the database's write lock.
            ThrowOnFailure(await users.ValidateNewPasswordAsync(user, input.Password));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        ThrowOnFailure(await users.CreateAsync(user));
        if (hasPassword)
        {
            ThrowOnFailure(await users.SetPasswordAsync(user, input.Password, alreadyValidated: true));
        }

        ThrowOnFailure(await users.AddToRolesAsync(user, roles));
        if (roles.Contains(Security.Roles.Agent))
        {
            // A new agent has what every agent had before groups, until an administrator places them elsewhere.
            db.AgentGroupMembers.Add(new AgentGroupMember(AgentGroup.BuiltInId, user.Id));
            await db.SaveChangesAsync(cancellationToken);
        }

        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.UserCreated,
                "User",
                user.Id,
                customerId,
                new Dictionary<string, object?> { ["email"] = email, ["roles"] = string.Join(",", roles) },
                createdBy?.Invoke(user)
            ),
            cancellationToken
        );
        if (alsoInTransaction is not null)
        {
            await alsoInTransaction(db, user);
        }

        if (welcome)
        {
            await links.QueueWelcomeAsync(db, user, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Created account {UserId} with roles {Roles}", user.Id, string.Join(",", roles));
        if (welcome)
        {
            await outbox.DeliverSoonAsync();
        }

        return user.Id;
    }

    internal async Task UpdateDetailsAsync(string userId, AccountDetailsInput input, CancellationToken cancellationToken)
    {
        var validator = new InputValidator();
        var displayName = validator.Required(nameof(input.DisplayName), "Name", input.DisplayName, ApplicationUser.DisplayNameMaxLength);
        var email = validator.Email(nameof(input.Email), input.Email);
        validator.ThrowIfInvalid();

        await ChangeAsync(
            userId,
            guard: null,
            async (users, user, db) =>
            {
                var changes = new Dictionary<string, object?>();
                if (user.DisplayName != displayName)
                {
                    changes["name"] = new[] { user.DisplayName, displayName };
                    user.DisplayName = displayName;
                }

                if (!string.Equals(user.Email, email, StringComparison.OrdinalIgnoreCase))
                {
                    changes["email"] = new[] { user.Email, email };
                    user.Email = email;
                    user.UserName = email;
                    user.EmailConfirmed = true;

                    // Links mailed to the old address stop working, and so do sessions signed in under the old name.
                    await PasswordLinkService.VoidLinksAsync(db, user.Id, time.GetUtcNow().UtcDateTime, cancellationToken);
                    ThrowOnFailure(await users.UpdateSecurityStampAsync(user));
                }

                if (changes.Count == 0)
                {
                    return;
                }

                ThrowOnFailure(await users.UpdateAsync(user));
                await audit.AppendAsync(
                    db,
                    new AuditEntry(AuditActions.UserUpdated, "User", user.Id, user.CustomerId, changes),
                    cancellationToken
                );
            },
            cancellationToken
        );
    }

    /// <summary>
    /// Disabling marks the account, locks it indefinitely (so sign-in is refused) and rotates its security stamp
    /// (so open sessions end). Enabling clears all three, including any lockout from failed sign-ins.
    /// </summary>
    /// <param name="guard">Checked in the change's transaction after its locks, so two concurrent changes cannot both pass it.</param>
    internal Task SetEnabledAsync(
        string userId,
        bool enabled,
        Func<BlazorVaultDbContext, Task>? guard,
        CancellationToken cancellationToken
    ) =>
        ChangeAsync(
            userId,
            guard,
            async (users, user, db) =>
            {
                user.DisabledAt = enabled ? null : time.GetUtcNow().UtcDateTime;
                ThrowOnFailure(await users.SetLockoutEnabledAsync(user, true));
                ThrowOnFailure(await users.SetLockoutEndDateAsync(user, enabled ? null : DateTimeOffset.MaxValue));
                ThrowOnFailure(await users.ResetAccessFailedCountAsync(user));
                ThrowOnFailure(await users.UpdateSecurityStampAsync(user));
                if (!enabled)
                {
                    // A link mailed before the account was disabled must not come back to life when it is enabled again.
                    await PasswordLinkService.VoidLinksAsync(db, user.Id, time.GetUtcNow().UtcDateTime, cancellationToken);
                }

                await audit.AppendAsync(
                    db,
                    new AuditEntry(enabled ? AuditActions.UserEnabled : AuditActions.UserDisabled, "User", user.Id, user.CustomerId),
                    cancellationToken
                );
                logger.LogInformation("Account {UserId} {State}", userId, enabled ? "enabled" : "disabled");
            },
            cancellationToken
        );

    /// <param name="guard">Checked in the change's transaction after its locks, so two concurrent changes cannot both pass it.</param>
    internal Task SetRoleAsync(
        string userId,
        string role,
        bool member,
        Func<BlazorVaultDbContext, Task>? guard,
        CancellationToken cancellationToken
    ) =>
        ChangeAsync(
            userId,
            guard,
            async (users, user, db) =>
            {
                if (await users.IsInRoleAsync(user, role) == member)
                {
                    return;
                }

                ThrowOnFailure(member ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role));
                ThrowOnFailure(await users.UpdateSecurityStampAsync(user));
                await audit.AppendAsync(
                    db,
                    new AuditEntry(
                        member ? AuditActions.RoleGranted : AuditActions.RoleRemoved,
                        "User",
                        user.Id,
                        user.CustomerId,
                        new Dictionary<string, object?> { ["role"] = role }
                    ),
                    cancellationToken
                );
                logger.LogInformation("Account {UserId} role {Role} {Change}", userId, role, member ? "granted" : "removed");
            },
            cancellationToken
        );

    private async Task ChangeAsync(
        string userId,
        Func<BlazorVaultDbContext, Task>? guard,
        Func<UserManager<ApplicationUser>, ApplicationUser, BlazorVaultDbContext, Task> change,
        CancellationToken cancellationToken
    )
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<BlazorVaultDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Changes take turns as on SQLite (PostgreSQL: the account, then the audit head that every audited write takes): a
        // guard that counts other accounts sees every change committed before it, and none commits until this one ends.
        await RowLocks.AccountAsync(db, userId, cancellationToken);
        await RowLocks.AuditChainHeadAsync(db, cancellationToken);
        if (guard is not null)
        {
            await guard(db);
        }

        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("The user");
        await change(users, user, db);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Turns Identity's errors into field errors the forms can show beside the right field.</summary>
    internal static void ThrowOnFailure(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        var errors = result
            .Errors.GroupBy(e => FieldFor(e.Code))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).Distinct().ToArray());
        throw new ValidationFailedException(errors);
    }

    private static string FieldFor(string code) =>
        code switch
        {
            _ when code.StartsWith("Password", StringComparison.Ordinal) => nameof(NewAccountInput.Password),
            _ when code.Contains("Email", StringComparison.Ordinal) || code.Contains("UserName", StringComparison.Ordinal) => nameof(
                NewAccountInput.Email
            ),
            _ => "",
        };
}
