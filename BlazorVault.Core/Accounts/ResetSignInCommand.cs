using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// "Reset sign-in": removes every way an account signs in besides its password (authenticator app and two-factor
/// sign-in, recovery codes, passkeys, external logins and their tokens) and rotates its security stamp, so its
/// sessions and remembered browsers end; audited in the same transaction. Admins reset agents; agents reset their
/// customers' portal users; a person whose password a link has just set may reset their own from the link's page.
/// </summary>
public sealed class ResetSignInCommand(
    ICurrentActor currentActor,
    IServiceScopeFactory scopeFactory,
    IAuditLog audit,
    TimeProvider time,
    ILogger<ResetSignInCommand> logger
)
{
    /// <summary>Configuration &gt; Agents: an administrator resets an agent's (or administrator's) sign-in.</summary>
    /// <returns>What was removed.</returns>
    public async Task<SignInFactors> ResetAgentAsync(string userId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAdmin();
        return await ResetAsync(
            async db =>
                await AgentService.Agents(db).AnyAsync(u => u.Id == userId, cancellationToken)
                    ? userId
                    : throw new NotFoundException("The agent"),
            actor: null,
            via: "administrator",
            cancellationToken
        );
    }

    /// <summary>A customer's Users tab: an agent resets a portal user's sign-in.</summary>
    /// <returns>What was removed.</returns>
    public async Task<SignInFactors> ResetPortalUserAsync(int customerId, string userId, CancellationToken cancellationToken = default)
    {
        (await currentActor.GetAsync(cancellationToken)).DemandAgent();
        return await ResetAsync(
            async db =>
                await PortalUserService.PortalUsers(db, customerId).AnyAsync(u => u.Id == userId, cancellationToken)
                    ? userId
                    : throw new NotFoundException("The portal user"),
            actor: null,
            via: "agent",
            cancellationToken
        );
    }

    /// <summary>
    /// What the account whose password the link has just set still signs in with; the link's page shows it. The
    /// verifier proves the link, as it did to set the password.
    /// </summary>
    public async Task<SignInFactors> ListAfterPasswordLinkAsync(
        string? selector,
        string? verifier,
        CancellationToken cancellationToken = default
    )
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlazorVaultDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<BlazorVaultUserManager>();
        var userId = await RecentLinkUserIdAsync(db, selector, verifier, cancellationToken);
        var user = await users.FindByIdAsync(userId) ?? throw LinkCannotRemove();
        return await ListAsync(users, user);
    }

    /// <summary>The one click on the link's page: the person resets their own sign-in, audited as theirs.</summary>
    /// <returns>What was removed.</returns>
    public Task<SignInFactors> ResetAfterPasswordLinkAsync(
        string? selector,
        string? verifier,
        CancellationToken cancellationToken = default
    ) =>
        ResetAsync(
            db => RecentLinkUserIdAsync(db, selector, verifier, cancellationToken),
            actor: user => new AuditActorOverride(user.Id, user.DisplayName),
            via: "password link",
            cancellationToken
        );

    private async Task<SignInFactors> ResetAsync(
        Func<BlazorVaultDbContext, Task<string>> findUserId,
        Func<ApplicationUser, AuditActorOverride>? actor,
        string via,
        CancellationToken cancellationToken
    )
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlazorVaultDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<BlazorVaultUserManager>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var userId = await findUserId(db);

        // Simultaneous resets of one account take turns: the second lists what is left, and its stamp update is not refused.
        await RowLocks.AccountAsync(db, userId, cancellationToken);
        var user = await users.FindByIdAsync(userId) ?? throw new NotFoundException("The account");
        var removed = await ListAsync(users, user);

        await BlazorVaultUserStore.DeleteSecondFactorsAsync(db, user.Id, cancellationToken);
        await db.UserTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(l => l.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.UserPasskeys.Where(p => p.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        user.TwoFactorEnabled = false;
        AccountWriter.ThrowOnFailure(await users.UpdateSecurityStampAsync(user));

        await audit.AppendAsync(
            db,
            new AuditEntry(
                AuditActions.SignInReset,
                "User",
                user.Id,
                user.CustomerId,
                new Dictionary<string, object?>
                {
                    ["via"] = via,
                    ["twoFactor"] = removed.TwoFactorEnabled,
                    ["authenticator"] = removed.Authenticator,
                    ["recoveryCodes"] = removed.RecoveryCodes,
                    ["passkeys"] = removed.Passkeys.Count,
                    ["externalLogins"] = removed.ExternalLogins.Count,
                },
                actor?.Invoke(user)
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Reset the sign-in of account {UserId} ({Via}): its sessions end", user.Id, via);
        return removed;
    }

    private static async Task<SignInFactors> ListAsync(UserManager<ApplicationUser> users, ApplicationUser user)
    {
        var passkeys = await users.GetPasskeysAsync(user);
        var logins = await users.GetLoginsAsync(user);
        return new SignInFactors(
            user.TwoFactorEnabled,
            await users.GetAuthenticatorKeyAsync(user) is not null,
            await users.CountRecoveryCodesAsync(user),
            [.. passkeys.Select(p => string.IsNullOrWhiteSpace(p.Name) ? "Unnamed passkey" : p.Name)],
            [.. logins.Select(l => l.ProviderDisplayName ?? l.LoginProvider)]
        );
    }

    private async Task<string> RecentLinkUserIdAsync(
        BlazorVaultDbContext db,
        string? selector,
        string? verifier,
        CancellationToken cancellationToken
    )
    {
        var link =
            await PasswordLinkService.FindRecentlyUsedAsync(db, selector, verifier, time.GetUtcNow().UtcDateTime, cancellationToken)
            ?? throw LinkCannotRemove();
        var enabled = await db.Users.AnyAsync(u => u.Id == link.UserId && u.DisabledAt == null, cancellationToken);
        return enabled ? link.UserId : throw LinkCannotRemove();
    }

    private static ValidationFailedException LinkCannotRemove() =>
        new(
            "",
            "This link can no longer change how the account signs in. Sign in with the new password to manage two-factor "
                + "authentication and passkeys under My account."
        );
}
