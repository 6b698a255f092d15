using System.Security.Claims;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Identity's sign-in manager, recording every sign-in, failed attempt and lockout in the audit log. Successes are
/// recorded where every kind of sign-in ends (issuing the cookie); failures where each kind is decided. An unknown
/// email is recorded without the text typed, which is sometimes a password typed into the wrong field.
/// </summary>
/// <remarks>
/// A password sign-in tells nobody whether the email has an account: an unknown email and a disabled account answer
/// as a real account does to a wrong password, locked out after as many failures (<see cref="DecoyLockout"/>), and
/// every attempt, locked out or not, costs the same PBKDF2 work.
/// </remarks>
public sealed class AuditingSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    IAuditLog audit,
    SettingsService settings,
    PasswordResetService resets,
    OutboxWriter outbox,
    IDbContextFactory<BlazorVaultDbContext> contextFactory,
    DecoyLockout decoyLockout,
    TimeProvider time
) : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private static readonly AuditActorOverride UnknownAccount = new(null, "Unknown account");
    private static readonly ApplicationUser TimingDecoy = new() { Id = "timing-decoy" };
    private static string? _decoyHash;
    private bool _refreshing;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        return user is null
            ? await DecoySignInAsync(UserManager.NormalizeName(userName), null, password, lockoutOnFailure)
            : await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    /// <summary>
    /// The password is checked first; only then does an expired password show (so the expiry tells nothing to
    /// someone who does not know the password), and a reset link is emailed. A disabled account is never checked.
    /// </summary>
    public override async Task<SignInResult> PasswordSignInAsync(
        ApplicationUser user,
        string password,
        bool isPersistent,
        bool lockoutOnFailure
    )
    {
        if (user.DisabledAt is not null)
        {
            return await DecoySignInAsync(user.NormalizedUserName!, user, password, lockoutOnFailure);
        }

        var wasLockedOut = await UserManager.IsLockedOutAsync(user);
        if (wasLockedOut)
        {
            // Identity refuses a locked account without hashing the password: the same work as any other attempt.
            SpendHashWork(password);
        }

        var attempt = await CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        if (attempt.Succeeded && PasswordExpiry.IsExpired(user, await settings.GetAsync<UserSettings>(), time.GetUtcNow().UtcDateTime))
        {
            await resets.SendExpiredResetAsync(user, CancellationToken.None);
            return PasswordExpiredResult.Instance;
        }

        var result = attempt.Succeeded ? await SignInOrTwoFactorAsync(user, isPersistent) : attempt;
        await RecordFailureAsync(result, user, "password");
        if (result.IsLockedOut && !wasLockedOut)
        {
            await NotifyLockoutAsync(user);
        }

        return result;
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        await RecordFailureAsync(result, user, "authenticator code");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var result = await base.TwoFactorRecoveryCodeSignInAsync(recoveryCode);
        await RecordFailureAsync(result, user, "recovery code");
        return result;
    }

    public override async Task<SignInResult> PasskeySignInAsync(string credentialJson)
    {
        var result = await base.PasskeySignInAsync(credentialJson);
        await RecordFailureAsync(result, null, "passkey");
        return result;
    }

    public override async Task RefreshSignInAsync(ApplicationUser user)
    {
        _refreshing = true;
        try
        {
            await base.RefreshSignInAsync(user);
        }
        finally
        {
            _refreshing = false;
        }
    }

    public override async Task SignInWithClaimsAsync(
        ApplicationUser user,
        AuthenticationProperties? authenticationProperties,
        IEnumerable<Claim> additionalClaims
    )
    {
        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
        if (!_refreshing)
        {
            // Identity marks a password sign-in "amr: pwd", others (passkey, external) with the authentication method.
            var method = additionalClaims.FirstOrDefault(c => c.Type is "amr" or ClaimTypes.AuthenticationMethod)?.Value switch
            {
                "pwd" => "password",
                "mfa" => "two-factor",
                var other => other,
            };
            await RecordAsync(AuditActions.SignInSucceeded, Who(user), user, method);
        }
    }

    /// <summary>
    /// A name that cannot sign in (no account, or a disabled one) answers as a real account does to a wrong password,
    /// whatever the password: refused, and locked out after as many failures, for as long.
    /// </summary>
    private async Task<SignInResult> DecoySignInAsync(string normalizedName, ApplicationUser? user, string password, bool lockoutOnFailure)
    {
        SpendHashWork(password);
        var lockedOut = lockoutOnFailure ? decoyLockout.Fail(normalizedName) : decoyLockout.IsLockedOut(normalizedName);
        var result = lockedOut ? SignInResult.LockedOut : SignInResult.Failed;
        await RecordFailureAsync(result, user, "password");
        return result;
    }

    /// <summary>The PBKDF2 work of checking a password, spent where Identity would skip it, so timing tells nothing.</summary>
    private void SpendHashWork(string password) =>
        UserManager.PasswordHasher.VerifyHashedPassword(TimingDecoy, DecoyHash(UserManager.PasswordHasher), password);

    /// <summary>A hash of a random password, made with the live hasher's settings the first time it is needed.</summary>
    private static string DecoyHash(IPasswordHasher<ApplicationUser> hasher) =>
        _decoyHash ??= hasher.HashPassword(
            TimingDecoy,
            Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))
        );

    private async Task NotifyLockoutAsync(ApplicationUser user)
    {
        await using var db = await contextFactory.CreateDbContextAsync();
        if (
            await outbox.QueueAdminNoticeAsync(
                db,
                OutboxEmailKind.AdminLockout,
                user.Id,
                user.LockoutEnd?.UtcDateTime,
                CancellationToken.None
            )
        )
        {
            await outbox.DeliverSoonAsync();
        }
    }

    private async Task RecordFailureAsync(SignInResult result, ApplicationUser? user, string method)
    {
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            return;
        }

        var action = result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed;
        await RecordAsync(action, user is null ? UnknownAccount : Who(user), user, method);
    }

    private Task RecordAsync(string action, AuditActorOverride actor, ApplicationUser? user, string? method) =>
        audit.WriteAsync(
            new AuditEntry(
                action,
                user is null ? null : "User",
                user?.Id,
                user?.CustomerId,
                method is null ? null : new Dictionary<string, object?> { ["method"] = method },
                actor
            )
        );

    private static AuditActorOverride Who(ApplicationUser user) =>
        new(user.Id, string.IsNullOrEmpty(user.DisplayName) ? user.Email ?? user.Id : user.DisplayName);
}

/// <summary>The password was right but has expired (auto-expiry): no sign-in, and a reset link is on its way.</summary>
public sealed class PasswordExpiredResult : SignInResult
{
    public static readonly PasswordExpiredResult Instance = new();

    private PasswordExpiredResult()
    {
        IsNotAllowed = true;
    }
}
