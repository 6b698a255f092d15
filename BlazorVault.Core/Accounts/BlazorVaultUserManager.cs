using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Identity's user manager, with every new password (create, add, change, reset, set from a link) going through
/// <see cref="SetPasswordAsync"/>: validated against the live policy, hashed, recorded in the account's password
/// history, and the auto-expiry clock restarted. A hash upgrade at sign-in is not a new password and records none.
/// </summary>
public sealed class BlazorVaultUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    BlazorVaultDbContext db,
    TimeProvider time
)
    : UserManager<ApplicationUser>(
        store,
        optionsAccessor,
        passwordHasher,
        userValidators,
        passwordValidators,
        keyNormalizer,
        errors,
        services,
        logger
    )
{
    /// <summary>The most history the policy can ask for; older entries are deleted.</summary>
    public const int HistoryKept = 24;

    public override async Task<IdentityResult> CreateAsync(ApplicationUser user, string password)
    {
        var valid = await ValidatePasswordAsync(user, password);
        if (!valid.Succeeded)
        {
            return valid;
        }

        var created = await CreateAsync(user);
        return created.Succeeded ? await SetPasswordAsync(user, password, alreadyValidated: true) : created;
    }

    public override async Task<IdentityResult> AddPasswordAsync(ApplicationUser user, string password) =>
        user.PasswordHash is null ? await SetPasswordAsync(user, password) : IdentityResult.Failed(ErrorDescriber.UserAlreadyHasPassword());

    public override async Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword) =>
        await CheckPasswordAsync(user, currentPassword)
            ? await SetPasswordAsync(user, newPassword)
            : IdentityResult.Failed(ErrorDescriber.PasswordMismatch());

    public override async Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword) =>
        await VerifyUserTokenAsync(user, Options.Tokens.PasswordResetTokenProvider, ResetPasswordTokenPurpose, token)
            ? await SetPasswordAsync(user, newPassword)
            : IdentityResult.Failed(ErrorDescriber.InvalidToken());

    /// <summary>
    /// The policy's verdict on a new password (length, characters, block-lists, history). Call it before opening
    /// a transaction: with history it costs up to 24 PBKDF2 checks, which must not hold the database's write lock.
    /// </summary>
    public Task<IdentityResult> ValidateNewPasswordAsync(ApplicationUser user, string password) => ValidatePasswordAsync(user, password);

    /// <summary>
    /// Sets a new password: validated by the policy (unless <paramref name="alreadyValidated"/>), hashed, added to
    /// the history, the expiry clock restarted, the account's unused set-password links voided and the security
    /// stamp rotated, so the account's other sessions end.
    /// </summary>
    public async Task<IdentityResult> SetPasswordAsync(ApplicationUser user, string password, bool alreadyValidated = false)
    {
        var result = await UpdatePasswordHash(user, password, validatePassword: !alreadyValidated);
        if (!result.Succeeded)
        {
            return result;
        }

        var now = time.GetUtcNow().UtcDateTime;
        user.PasswordChangedAt = now;
        user.PasswordExpiredAt = null;
        user.ExpiryReminderSentAt = null;
        db.PasswordHistory.Add(
            new PasswordHistoryEntry
            {
                UserId = user.Id,
                PasswordHash = user.PasswordHash!,
                CreatedAt = now,
            }
        );
        var older = await db
            .PasswordHistory.Where(h => h.UserId == user.Id)
            .OrderByDescending(h => h.CreatedAt)
            .ThenByDescending(h => h.Id)
            .Skip(HistoryKept - 1)
            .Select(h => h.Id)
            .ToListAsync(CancellationToken);
        if (older.Count > 0)
        {
            await db.PasswordHistory.Where(h => older.Contains(h.Id)).ExecuteDeleteAsync(CancellationToken);
        }

        // A link mailed before the password changed must not undo the change.
        await PasswordLinkService.VoidLinksAsync(db, user.Id, now, CancellationToken);
        return await UpdateUserAsync(user);
    }
}
