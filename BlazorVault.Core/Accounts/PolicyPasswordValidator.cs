using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using Microsoft.AspNetCore.Identity;

namespace BlazorVault.Core.Accounts;

/// <summary>
/// Applies the live password policy's length and allowed characters to every new password (setup, agent- and
/// admin-set, change). History and block-lists join in the account-passwords issue.
/// </summary>
internal sealed class PolicyPasswordValidator(SettingsService settings) : IPasswordValidator<ApplicationUser>
{
    public async Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password)
    {
        var policy = await settings.GetAsync<PasswordPolicySettings>();
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length < policy.MinLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooShort", Description = $"Passwords must be at least {policy.MinLength} characters." });
        }

        if (password.Length > policy.MaxLength)
        {
            errors.Add(new IdentityError { Code = "PasswordTooLong", Description = $"Passwords must be at most {policy.MaxLength} characters." });
        }

        if (policy.AllowedAlphabet is { Length: > 0 } allowed && password.Any(c => !allowed.Contains(c)))
        {
            errors.Add(new IdentityError { Code = "PasswordCharactersNotAllowed", Description = "Passwords may only use the allowed characters set in the password policy." });
        }

        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }
}
