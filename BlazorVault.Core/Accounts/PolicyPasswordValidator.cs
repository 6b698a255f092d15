using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Applies the live password policy to every new password (setup, create, agent- and admin-set, change, reset):
/// length, allowed characters, the block-list of common passwords, context words (the account's name and email,
/// its customer's name, the product's name) and the history of the last N passwords.
/// </summary>
internal sealed class PolicyPasswordValidator(SettingsService settings, BlazorVaultDbContext db) : IPasswordValidator<ApplicationUser>
{
    /// <summary>Context words shorter than this are too common inside passphrases to refuse.</summary>
    private const int MinContextWordLength = 4;

    /// <summary>Letters and digits a password needs beyond its context words.</summary>
    private const int MinRemainder = 8;
    private static readonly char[] WordSeparators = [' ', '.', '@', '-', '_', '+', ',', '\''];

    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        var policy = await settings.GetAsync<PasswordPolicySettings>();
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length < policy.MinLength)
        {
            errors.Add(
                new IdentityError { Code = "PasswordTooShort", Description = $"Passwords must be at least {policy.MinLength} characters." }
            );
        }

        if (password.Length > policy.MaxLength)
        {
            errors.Add(
                new IdentityError { Code = "PasswordTooLong", Description = $"Passwords must be at most {policy.MaxLength} characters." }
            );
        }

        if (policy.AllowedAlphabet is { Length: > 0 } allowed && password.Any(c => !allowed.Contains(c)))
        {
            errors.Add(
                new IdentityError
                {
                    Code = "PasswordCharactersNotAllowed",
                    Description = "Passwords may only use the allowed characters set in the password policy.",
                }
            );
        }

        if (policy.BlockCommonPasswords && CommonPasswords.Shared.Contains(password))
        {
            errors.Add(
                new IdentityError
                {
                    Code = "PasswordCommon",
                    Description = "This password is on the list of commonly used passwords. Choose a less predictable one.",
                }
            );
        }

        if (policy.BlockContextWords && await ContextWordInAsync(user, password) is { } word)
        {
            errors.Add(
                new IdentityError
                {
                    Code = "PasswordContextWord",
                    Description = $"Passwords may not contain \"{word}\", which is part of the account's details.",
                }
            );
        }

        if (errors.Count == 0 && policy.HistoryCount > 0 && await IsInHistoryAsync(manager, user, password, policy.HistoryCount))
        {
            errors.Add(
                new IdentityError
                {
                    Code = "PasswordReused",
                    Description = $"This password was used recently. Choose one that differs from the last {policy.HistoryCount}.",
                }
            );
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    /// <summary>
    /// A context word the password rests on: once every context word in it is taken out, fewer than
    /// <see cref="MinRemainder"/> characters are left ("wile@acme.example", "WileCoyote2024"). A long passphrase
    /// that happens to contain a name ("canary-admin-…") is not refused.
    /// </summary>
    private async Task<string?> ContextWordInAsync(ApplicationUser user, string password)
    {
        var customer = user.CustomerId is { } id
            ? await db.Customers.AsNoTracking().Where(c => c.Id == id).Select(c => c.Name).SingleOrDefaultAsync()
            : null;
        string?[] details = [user.Email, user.UserName, user.DisplayName, customer, "BlazorVault"];
        var words = details
            .Where(d => !string.IsNullOrWhiteSpace(d))
            .SelectMany(d =>
                d!.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Prepend(d!.Trim())
            )
            .Where(w => w.Length >= MinContextWordLength)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(w => w.Length)
            .ToList();
        var found = words.FirstOrDefault(w => password.Contains(w, StringComparison.OrdinalIgnoreCase));
        if (found is null)
        {
            return null;
        }

        var remainder = words.Aggregate(password, (rest, word) => rest.Replace(word, "", StringComparison.OrdinalIgnoreCase));
        return remainder.Count(char.IsLetterOrDigit) < MinRemainder ? found : null;
    }

    /// <summary>The current password counts too: it is the newest of the last N.</summary>
    private async Task<bool> IsInHistoryAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string password, int count)
    {
        var hashes = await db
            .PasswordHistory.AsNoTracking()
            .Where(h => h.UserId == user.Id)
            .OrderByDescending(h => h.CreatedAt)
            .ThenByDescending(h => h.Id)
            .Take(count)
            .Select(h => h.PasswordHash)
            .ToListAsync();
        if (user.PasswordHash is { } current && !hashes.Contains(current))
        {
            hashes.Insert(0, current);
        }

        return hashes
            .Take(count)
            .Any(hash => manager.PasswordHasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);
    }
}
