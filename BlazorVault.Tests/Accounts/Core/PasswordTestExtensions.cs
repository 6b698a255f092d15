using System.Security.Claims;
using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Settings;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// What the password tests do as the person would: take the link out of the delivered email, try a password, hold
/// a session; and the settings and lockouts they arrange.
/// </summary>
internal static partial class PasswordTestExtensions
{
    public static async Task<(string Selector, string Verifier)> RequestResetLinkAsync(this CoreTestHost host, string email)
    {
        await host.Get<PasswordResetService>().RequestResetAsync(email);
        return await host.LinkFromLatestEmailAsync(email);
    }

    public static async Task<(string Selector, string Verifier)> LinkFromLatestEmailAsync(this CoreTestHost host, string to)
    {
        var (selector, verifier, _) = await host.DeliverAndReadLinkAsync(to);
        return (selector, verifier);
    }

    /// <summary>
    /// Delivers the outbox to the pickup folder and reads the link out of the newest email to <paramref name="to"/>,
    /// as its reader would.
    /// </summary>
    public static async Task<(string Selector, string Verifier, string Text)> DeliverAndReadLinkAsync(this CoreTestHost host, string to)
    {
        await host.DeliverAsync();
        long id;
        await using (var db = await host.OpenDbAsync())
        {
            id = await db
                .OutboxEmails.AsNoTracking()
                .Where(e => e.ToAddress == to && e.Status == OutboxEmailStatus.Sent && e.HasLink)
                .OrderByDescending(e => e.Id)
                .Select(e => e.Id)
                .FirstAsync();
        }

        var text = (await host.AsSystemAsync(() => host.Get<OutboxView>().OpenPickupFileAsync(id))).ReplaceLineEndings("\n");
        var match = LinkPattern().Match(text);
        Assert.True(match.Success, $"No set-password link in the email:\n{text}");
        return (match.Groups["selector"].Value, match.Groups["verifier"].Value, text);
    }

    public static async Task SaveSettingsAsync<T>(this CoreTestHost host, Action<T> change)
        where T : SettingsSection, new() =>
        await host.AsSystemAsync(async () =>
        {
            var settings = host.Get<SettingsService>();
            var values = await settings.GetAsync<T>();
            change(values);
            await settings.SaveAsync(values);
            return true;
        });

    /// <summary>Whether the password signs in, checked by a fresh user manager (no cached account).</summary>
    public static async Task<bool> PasswordWorksAsync(this CoreTestHost host, string email, string password)
    {
        await using var scope = host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}.");
        return await users.CheckPasswordAsync(user, password);
    }

    public static string StampClaim(this CoreTestHost host) =>
        host.Get<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;

    public static async Task<string?> SecurityStampAsync(this CoreTestHost host, string userId)
    {
        await using var db = await host.OpenDbAsync();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    /// <summary>
    /// A signed-in session's principal, as the sign-in cookie carries it: the account and its security stamp of the
    /// moment.
    /// </summary>
    public static async Task<ClaimsPrincipal> SessionOfAsync(this CoreTestHost host, string userId) =>
        new(
            new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(host.StampClaim(), (await host.SecurityStampAsync(userId))!)],
                IdentityConstants.ApplicationScheme
            )
        );

    public static async Task LockOutAsync(this CoreTestHost host, string userId)
    {
        await using var scope = host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        // Identity's lockout reads the system clock, not the TimeProvider.
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(15));
        Assert.True(await users.IsLockedOutAsync(user));
    }

    [GeneratedRegex("/account/password/(?<selector>[A-Za-z0-9_-]+)#(?<verifier>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
