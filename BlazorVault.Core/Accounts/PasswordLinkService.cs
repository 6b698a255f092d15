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
/// Set-password links: issue one (a new account's welcome link, or a reset link that
/// <see cref="PasswordResetService"/> asks for), preview it, set a new password from it, void them. Links are one-time
/// links (<see cref="OneTimeLink"/>): valid for "Days until welcome and password emails expire", read when the link is
/// used, once; using one ends the account's other sessions and voids its other links.
/// </summary>
public sealed class PasswordLinkService(
    IServiceScopeFactory scopeFactory,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    OutboxWriter outbox,
    SettingsService settings,
    PublicAddress address,
    IAuditLog audit,
    TimeProvider time,
    ILogger<PasswordLinkService> logger
)
{
    public const string LinkPath = "/account/password/";

    /// <summary>
    /// What the link's page shows before the new password is typed, from the selector alone (the verifier is in the
    /// URL fragment, which a GET does not carry); never spends the link. The account is not named until the
    /// verifier is proven.
    /// </summary>
    public async Task<PasswordLinkPreview> PreviewLinkAsync(string? selector, CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindLiveLinkAsync(db, selector, cancellationToken);
        return found is null ? PasswordLinkPreview.Unusable : new PasswordLinkPreview(true, found.Value.Link.Purpose);
    }

    /// <summary>
    /// Sets the password from a link. The link is spent in the transaction that sets the password, so of two
    /// simultaneous uses one wins; a password the policy refuses leaves the link usable for another try.
    /// </summary>
    /// <returns>The account's sign-in name.</returns>
    public async Task<string> CompleteLinkAsync(
        string? selector,
        string? verifier,
        string newPassword,
        string confirmPassword,
        CancellationToken cancellationToken = default
    )
    {
        var validator = new InputValidator();
        PasswordService.RequireConfirmation(validator, newPassword, confirmPassword);
        validator.ThrowIfInvalid();

        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BlazorVaultDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<BlazorVaultUserManager>();
        var verifierHash = OneTimeLink.HashVerifier(verifier);
        var found = await FindLiveLinkAsync(db, selector, cancellationToken);
        if (found is not { Link: var link } || verifierHash is null || !OneTimeLink.Matches(link.VerifierHash, verifierHash))
        {
            throw LinkUnusable();
        }

        var user = await users.FindByIdAsync(link.UserId) ?? throw LinkUnusable();
        PasswordService.ThrowOnFailure(await users.ValidateNewPasswordAsync(user, newPassword));

        var now = time.GetUtcNow().UtcDateTime;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Uses of two links of one account take turns, so the second finds its link voided by the first (and does not
        // wait on the first's void while the first waits on its own).
        await RowLocks.AccountAsync(db, user.Id, cancellationToken);
        var won = await db
            .PasswordLinks.Where(l => l.Id == link.Id && l.UsedAt == null)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.UsedAt, now).SetProperty(x => x.PasswordSetAt, now), cancellationToken);
        if (won != 1)
        {
            throw LinkUnusable();
        }

        PasswordService.ThrowOnFailure(await users.SetPasswordAsync(user, newPassword, alreadyValidated: true));
        if (user.DisabledAt is null)
        {
            // The person proved they hold the mailbox: a lockout from failed sign-ins ends too.
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }

        await audit.AppendAsync(
            db,
            new AuditEntry(
                link.Purpose == PasswordLinkPurpose.Welcome ? AuditActions.PasswordSet : AuditActions.PasswordReset,
                "User",
                user.Id,
                user.CustomerId,
                new Dictionary<string, object?> { ["link"] = link.Purpose.ToString() },
                new AuditActorOverride(user.Id, user.DisplayName)
            ),
            cancellationToken
        );
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Account {UserId} set a new password from a {Purpose} link", user.Id, link.Purpose);
        return user.Email ?? "";
    }

    /// <summary>A new account's welcome email, in the transaction that creates it.</summary>
    internal Task QueueWelcomeAsync(BlazorVaultDbContext db, ApplicationUser user, CancellationToken cancellationToken) =>
        IssueLinkAsync(db, user, PasswordLinkPurpose.Welcome, cancellationToken);

    /// <summary>A new link of the purpose and its email, in the caller's transaction.</summary>
    /// <returns>When the link expires at today's setting; null when the account was disabled meanwhile (no link).</returns>
    internal async Task<DateTime?> IssueLinkAsync(
        BlazorVaultDbContext db,
        ApplicationUser user,
        PasswordLinkPurpose purpose,
        CancellationToken cancellationToken
    )
    {
        // Read again inside the caller's transaction: an email change or a disable committed since the caller read
        // the account has voided its links, and a new one must not go to the old address.
        var email = await db
            .Users.AsNoTracking()
            .Where(u => u.Id == user.Id && u.DisabledAt == null)
            .Select(u => u.Email)
            .SingleOrDefaultAsync(cancellationToken);
        if (email is null)
        {
            return null;
        }

        var (selector, verifier) = OneTimeLink.New();
        var now = time.GetUtcNow().UtcDateTime;
        db.PasswordLinks.Add(PasswordLink.Issue(selector, OneTimeLink.HashVerifier(verifier)!, user.Id, purpose, now));
        await db.SaveChangesAsync(cancellationToken);
        var emailSettings = await settings.GetAsync<EmailSettings>(cancellationToken);
        var expires = now.AddDays(emailSettings.LinkValidityDays);
        await outbox.QueueAsync(
            db,
            purpose == PasswordLinkPurpose.Welcome ? OutboxEmailKind.Welcome : OutboxEmailKind.PasswordReset,
            email,
            user.Id,
            expires,
            address.Link(emailSettings, $"{LinkPath}{selector}#{verifier}"),
            cancellationToken
        );
        return expires;
    }

    /// <summary>
    /// Spends every unused set-password link of the account (another link was used, the email address changed, the
    /// account was disabled), and fails its queued emails that carry one, deleting their links.
    /// </summary>
    internal static async Task VoidLinksAsync(BlazorVaultDbContext db, string userId, DateTime now, CancellationToken cancellationToken)
    {
        await db
            .PasswordLinks.Where(l => l.UserId == userId && l.UsedAt == null)
            .ExecuteUpdateAsync(l => l.SetProperty(x => x.UsedAt, now), cancellationToken);
        await OutboxWriter.CancelLinkEmailsAsync(
            db,
            userId,
            "The link was void before delivery: the account's email, state or password changed.",
            cancellationToken
        );
    }

    /// <summary>
    /// The link when it set its account's password less than <see cref="PasswordLink.SecondFactorRemovalWindow"/> ago and
    /// <paramref name="verifier"/> is its own; null otherwise (a voided link proves nothing).
    /// </summary>
    internal static async Task<PasswordLink?> FindRecentlyUsedAsync(
        BlazorVaultDbContext db,
        string? selector,
        string? verifier,
        DateTime now,
        CancellationToken cancellationToken
    )
    {
        var verifierHash = OneTimeLink.HashVerifier(verifier);
        if (!OneTimeLink.IsWellFormedSelector(selector) || verifierHash is null)
        {
            return null;
        }

        var link = await db.PasswordLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Selector == selector, cancellationToken);
        return link is not null && link.SetThePasswordRecently(now) && OneTimeLink.Matches(link.VerifierHash, verifierHash) ? link : null;
    }

    private static ValidationFailedException LinkUnusable() =>
        new("", "This link has expired or has already been used. Ask for a new one from the sign-in page.");

    /// <summary>The link and its account when the link can be used now: unused, within today's validity, account enabled.</summary>
    private async Task<(PasswordLink Link, ApplicationUser User)?> FindLiveLinkAsync(
        BlazorVaultDbContext db,
        string? selector,
        CancellationToken cancellationToken
    )
    {
        if (!OneTimeLink.IsWellFormedSelector(selector))
        {
            return null;
        }

        var link = await db.PasswordLinks.AsNoTracking().SingleOrDefaultAsync(l => l.Selector == selector, cancellationToken);
        if (link is null || link.UsedAt is not null)
        {
            return null;
        }

        var validityDays = (await settings.GetAsync<EmailSettings>(cancellationToken)).LinkValidityDays;
        if (link.HasExpired(validityDays, time.GetUtcNow().UtcDateTime))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == link.UserId && u.DisabledAt == null, cancellationToken);
        return user is null ? null : (link, user);
    }
}
