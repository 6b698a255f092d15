using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// A person's own password: change it (My Account) and generate one by the policy. Asking for a reset link is
/// <see cref="PasswordResetService"/>'s; welcome and reset links, and setting a password from one, are
/// <see cref="PasswordLinkService"/>'s.
/// </summary>
public sealed class PasswordService(
    ICurrentActor currentActor,
    IServiceScopeFactory scopeFactory,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    OutboxWriter outbox,
    SettingsService settings,
    IAuditLog audit,
    ILogger<PasswordService> logger
)
{
    /// <summary>My Account &gt; Password: the current password, then a new one the policy accepts.</summary>
    /// <returns>
    /// The account as saved, with the new security stamp that ends its other sessions: the session that made the change
    /// is signed in again from it, not from a copy loaded before the change.
    /// </returns>
    public async Task<ApplicationUser> ChangeAsync(ChangePasswordInput input, CancellationToken cancellationToken = default)
    {
        var actor = await currentActor.GetAsync(cancellationToken);
        if (actor.UserId is null)
        {
            throw new AccessDeniedException("Sign in to change your password.");
        }

        var validator = new InputValidator();
        if (string.IsNullOrEmpty(input.CurrentPassword))
        {
            validator.Add(nameof(input.CurrentPassword), "Enter your current password.");
        }

        RequireConfirmation(validator, input.NewPassword, input.ConfirmPassword);
        validator.ThrowIfInvalid();

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<BlazorVaultUserManager>();
        var db = scope.ServiceProvider.GetRequiredService<BlazorVaultDbContext>();
        var user = await users.FindByIdAsync(actor.UserId) ?? throw new NotFoundException("Your account");
        // Wrong current passwords count towards lockout, as failed sign-ins do: the form must not be a way to guess.
        if (await users.IsLockedOutAsync(user))
        {
            throw new ValidationFailedException(
                nameof(input.CurrentPassword),
                "Too many wrong passwords: the account is locked for a while. Try again later."
            );
        }

        if (!await users.CheckPasswordAsync(user, input.CurrentPassword))
        {
            await users.AccessFailedAsync(user);
            if (await users.IsLockedOutAsync(user))
            {
                await RecordLockoutAsync(user, cancellationToken);
            }

            throw new ValidationFailedException(nameof(input.CurrentPassword), "The current password is incorrect.");
        }

        ThrowOnFailure(await users.ValidateNewPasswordAsync(user, input.NewPassword));
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        ThrowOnFailure(await users.SetPasswordAsync(user, input.NewPassword, alreadyValidated: true));
        await audit.AppendAsync(db, new AuditEntry(AuditActions.PasswordChanged, "User", user.Id, user.CustomerId), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Account {UserId} changed its password", user.Id);
        return user;
    }

    /// <summary>"Generate": a password from the live policy's generator alphabet and length.</summary>
    public async Task<string> GenerateAsync(CancellationToken cancellationToken = default)
    {
        var policy = await settings.GetAsync<PasswordPolicySettings>(cancellationToken);
        return PasswordGenerator.Generate(policy.GeneratorAlphabet, policy.GeneratedLength);
    }

    internal static void ThrowOnFailure(Microsoft.AspNetCore.Identity.IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new ValidationFailedException(
                nameof(ChangePasswordInput.NewPassword),
                string.Join(" ", result.Errors.Select(e => e.Description).Distinct())
            );
        }
    }

    internal static void RequireConfirmation(InputValidator validator, string newPassword, string confirmPassword)
    {
        if (string.IsNullOrEmpty(newPassword))
        {
            validator.Add(nameof(ChangePasswordInput.NewPassword), "Enter a new password.");
        }
        else if (newPassword != confirmPassword)
        {
            validator.Add(nameof(ChangePasswordInput.ConfirmPassword), "The new password and its confirmation do not match.");
        }
    }

    /// <summary>The change form's wrong guesses locked the account: audited, and the admin notice as for sign-in.</summary>
    private async Task RecordLockoutAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var notified = await LockoutRecord.AppendAsync(db, audit, outbox, user, "change-password form", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (notified)
        {
            await outbox.DeliverSoonAsync();
        }
    }
}
