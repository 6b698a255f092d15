using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Crypto;
using BlazorVault.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Identity's EF Core user store, except that an account's authenticator key and recovery codes are sealed secrets
/// (<see cref="SecretStore"/>: AES-256-GCM, data key wrapped by the certificate) instead of clear rows of
/// <c>AspNetUserTokens</c>, so a copy of the database alone yields no second factor. They are staged on the store's
/// context and saved by the account update that Identity always follows them with, under its concurrency check.
/// </summary>
/// <remarks>
/// Identity's own <c>ProtectPersonalData</c> is left off: it would also encrypt e-mail addresses and user names with a
/// deterministic lookup protector, which the set-based SQL, the lists, the audit log's actor search and uniqueness
/// all read in clear, while the secret store already gives these values per-value keys and the re-wrap job.
/// </remarks>
public sealed class BlazorVaultUserStore(BlazorVaultDbContext context, SecretStore secrets, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, BlazorVaultDbContext>(context, describer)
{
    /// <summary>The slot purpose of an account's second factors; the slot's entity is the account's id.</summary>
    internal const string SlotPurpose = "account";

    /// <summary>Where Identity's own store kept them in clear (before BlazorVault sealed them).</summary>
    internal const string IdentityLoginProvider = "[AspNetUserStore]";
    internal const string AuthenticatorKeyName = "AuthenticatorKey";
    internal const string RecoveryCodesName = "RecoveryCodes";

    private const char CodeSeparator = ';';

    internal static SecretSlot AuthenticatorKeySlot(string userId) => new(SlotPurpose, userId, "authenticator-key");

    internal static SecretSlot RecoveryCodesSlot(string userId) => new(SlotPurpose, userId, "recovery-codes");

    /// <summary>The slot that replaces one of Identity's clear token rows; null for a token that is not a second factor.</summary>
    internal static SecretSlot? SlotFor(IdentityUserToken<string> token) =>
        token.LoginProvider != IdentityLoginProvider ? null
        : token.Name == AuthenticatorKeyName ? AuthenticatorKeySlot(token.UserId)
        : token.Name == RecoveryCodesName ? RecoveryCodesSlot(token.UserId)
        : null;

    /// <summary>Deletes the account's sealed second factors within the caller's transaction.</summary>
    /// <returns>How many there were (0 to 2).</returns>
    internal static Task<int> DeleteSecondFactorsAsync(BlazorVaultDbContext db, string userId, CancellationToken cancellationToken) =>
        db.Secrets.Where(s => s.Purpose == SlotPurpose && s.EntityId == userId).ExecuteDeleteAsync(cancellationToken);

    public override Task SetAuthenticatorKeyAsync(ApplicationUser user, string key, CancellationToken cancellationToken) =>
        secrets.StageAsync(Context, AuthenticatorKeySlot(user.Id), key, cancellationToken);

    public override Task<string?> GetAuthenticatorKeyAsync(ApplicationUser user, CancellationToken cancellationToken) =>
        secrets.ReadAsync(Context, AuthenticatorKeySlot(user.Id), cancellationToken);

    public override Task ReplaceCodesAsync(ApplicationUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        secrets.StageAsync(Context, RecoveryCodesSlot(user.Id), string.Join(CodeSeparator, recoveryCodes), cancellationToken);

    public override async Task<bool> RedeemCodeAsync(ApplicationUser user, string code, CancellationToken cancellationToken)
    {
        var codes = await ReadCodesAsync(user, cancellationToken);
        if (!codes.Contains(code, StringComparer.Ordinal))
        {
            return false;
        }

        await ReplaceCodesAsync(user, codes.Where(c => c != code), cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(ApplicationUser user, CancellationToken cancellationToken) =>
        (await ReadCodesAsync(user, cancellationToken)).Length;

    private async Task<string[]> ReadCodesAsync(ApplicationUser user, CancellationToken cancellationToken) =>
        (await secrets.ReadAsync(Context, RecoveryCodesSlot(user.Id), cancellationToken) ?? "").Split(
            CodeSeparator,
            StringSplitOptions.RemoveEmptyEntries
        );
}
