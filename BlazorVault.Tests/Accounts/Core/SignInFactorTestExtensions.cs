using System.Security.Cryptography;
using BlazorVault.Core.Accounts.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// Gives an account every way of signing in besides its password, through Identity's own user manager: an
/// authenticator app with two-factor sign-in on, recovery codes, two passkeys and an external login with its token.
/// </summary>
internal static class SignInFactorTestExtensions
{
    public const int RecoveryCodes = 10;
    public const string OfficeKey = "Office security key";
    public const string Phone = "Phone";
    public const string ExternalProvider = "OpenIdConnect";

    public static async Task GiveEverySignInFactorAsync(this IServiceScopeFactory scopes, string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        Succeeded(await users.ResetAuthenticatorKeyAsync(user));
        Succeeded(await users.SetTwoFactorEnabledAsync(user, true));
        Assert.Equal(RecoveryCodes, (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodes))!.Count());
        foreach (var name in new[] { OfficeKey, Phone })
        {
            Succeeded(await users.AddOrUpdatePasskeyAsync(user, Passkey(name)));
        }

        Succeeded(await users.AddLoginAsync(user, new UserLoginInfo(ExternalProvider, $"subject-{userId}", "Contoso")));
        Succeeded(await users.SetAuthenticationTokenAsync(user, ExternalProvider, "refresh_token", "a refresh token"));
    }

    /// <summary>What the account has now, read by a fresh user manager.</summary>
    public static async Task<(bool TwoFactor, bool Authenticator, int Codes, int Passkeys, int Logins, bool Token)> SignInFactorsOfAsync(
        this IServiceScopeFactory scopes,
        string userId
    )
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        return (
            await users.GetTwoFactorEnabledAsync(user),
            await users.GetAuthenticatorKeyAsync(user) is not null,
            await users.CountRecoveryCodesAsync(user),
            (await users.GetPasskeysAsync(user)).Count,
            (await users.GetLoginsAsync(user)).Count,
            await users.GetAuthenticationTokenAsync(user, ExternalProvider, "refresh_token") is not null
        );
    }

    private static UserPasskeyInfo Passkey(string name) =>
        new(
            RandomNumberGenerator.GetBytes(32),
            RandomNumberGenerator.GetBytes(77),
            DateTimeOffset.UtcNow,
            signCount: 0,
            transports: ["usb"],
            isUserVerified: true,
            isBackupEligible: false,
            isBackedUp: false,
            attestationObject: RandomNumberGenerator.GetBytes(64),
            clientDataJson: RandomNumberGenerator.GetBytes(64)
        )
        {
            Name = name,
        };

    private static void Succeeded(IdentityResult result) =>
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
}
