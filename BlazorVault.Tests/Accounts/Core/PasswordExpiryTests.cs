using System.Security.Claims;
using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// Password auto-expiry with a clock the test moves: off by default, one reminder per password, the daily run marks
/// expired accounts, an expired password does not sign in (a reset link is emailed instead), and a new password
/// from that link signs in again.
/// </summary>
/// <remarks>
/// Sign-in goes through the real <see cref="AuditingSignInManager"/> built from the host's services. Core's test host
/// has no authentication (the web host adds it), so the test supplies the scheme provider and, for a successful
/// sign-in, an authentication service that records the cookie sign-in instead of writing a cookie.
/// </remarks>
public abstract partial class PasswordExpiryTests(ITestDatabaseSource databases) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string NewPassword = "purple tractor on a quiet hill";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private string _wile = "";
    private DateTime _passwordSetAt;

    private PasswordExpiry Expiry => _host.Get<PasswordExpiry>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock, databases: databases);
        var acme = await _host.CreateCustomerAsync("Acme");
        _passwordSetAt = _clock.GetUtcNow().UtcDateTime;
        _wile = await _host.CreatePortalUserAsync(acme, Wile);
    }

    [Fact]
    public async Task AutoExpiry_IsOffByDefault_AndTheDailyRunThenDoesNothing()
    {
        Assert.False((await _host.Get<SettingsService>().GetAsync<UserSettings>()).PasswordExpiryEnabled);
        _clock.Advance(TimeSpan.FromDays(365));

        Assert.Equal((0, 0), await RunAsync());

        Assert.Null((await UserAsync()).PasswordExpiredAt);
        Assert.Equal(0, await RemindersToWileAsync());
        var (result, signIns) = await SignInAsync(TestPasswords.Default);
        Assert.True(result.Succeeded, $"A year-old password should sign in while auto-expiry is off, but got {result}.");
        Assert.Single(signIns);
    }

    [Fact]
    public async Task APasswordDueToExpire_GetsExactlyOneReminder_EvenWhenTheDailyRunRunsTwice()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(82));
        Assert.Equal((0, 0), await RunAsync());

        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal((0, 1), await RunAsync());
        Assert.Equal((0, 0), await RunAsync());
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal((0, 0), await RunAsync());

        Assert.Equal(1, await RemindersToWileAsync());
        Assert.Null((await UserAsync()).PasswordExpiredAt);
    }

    [Fact]
    public async Task TheReminder_SaysWhenThePasswordExpires_AndLinksToTheChangePasswordPage()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(85));
        await RunAsync();

        var (subject, text) = await DeliverAndOpenLatestAsync();

        var expires = EmailTemplates.Format(_passwordSetAt.AddDays(90));
        Assert.Equal($"Your BlazorVault password expires on {expires}", subject);
        Assert.Contains(
            $"The password of {Wile} expires on {expires}. Change it before then at:\n\n"
                + "http://localhost:5000/Account/Manage/ChangePassword\n",
            text,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task ANewPassword_RestartsTheClock_AndEarnsItsOwnReminder()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(85));
        Assert.Equal((0, 1), await RunAsync());
        await _host.ActAsAsync(_wile);
        await _host
            .Get<PasswordService>()
            .ChangeAsync(
                new ChangePasswordInput
                {
                    CurrentPassword = TestPasswords.Default,
                    NewPassword = NewPassword,
                    ConfirmPassword = NewPassword,
                }
            );

        _clock.Advance(TimeSpan.FromDays(82));
        Assert.Equal((0, 0), await RunAsync());
        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal((0, 1), await RunAsync());

        Assert.Equal(2, await RemindersToWileAsync());
    }

    [Fact]
    public async Task After91Days_TheDailyRunMarksTheAccountExpired()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await RunAsync()).Expired);
        _clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        var stamp = (await UserAsync()).SecurityStamp;
        Assert.Equal((1, 0), await RunAsync());

        Assert.Equal(_clock.GetUtcNow().UtcDateTime, (await UserAsync()).PasswordExpiredAt);
        Assert.NotEqual(stamp, (await UserAsync()).SecurityStamp);
        Assert.Equal((0, 0), await RunAsync());
    }

    [Fact]
    public async Task AnExpiredPassword_DoesNotSignIn_AndAResetLinkIsEmailed()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(91));
        await RunAsync();
        var emails = await CountEmailsToWileAsync(OutboxEmailKind.PasswordReset);

        var (result, signIns) = await SignInAsync(TestPasswords.Default);

        Assert.IsType<PasswordExpiredResult>(result);
        Assert.False(result.Succeeded);
        Assert.Empty(signIns);
        Assert.Equal(emails + 1, await CountEmailsToWileAsync(OutboxEmailKind.PasswordReset));
    }

    [Fact]
    public async Task RaisingTheExpiryDays_LetsAMarkedAccountSignInAgain_AndTheNextRunClearsTheMark()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(91));
        await RunAsync();
        Assert.NotNull((await UserAsync()).PasswordExpiredAt);

        await _host.SaveSettingsAsync<UserSettings>(users => users.PasswordExpiryDays = 180);

        Assert.True((await SignInAsync(TestPasswords.Default)).Result.Succeeded);
        await RunAsync();
        Assert.Null((await UserAsync()).PasswordExpiredAt);
    }

    [Fact]
    public async Task AnExpiredPassword_IsRefusedAtSignIn_EvenBeforeTheDailyRun()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(91));

        var (result, signIns) = await SignInAsync(TestPasswords.Default);

        Assert.IsType<PasswordExpiredResult>(result);
        Assert.Empty(signIns);
    }

    [Fact]
    public async Task AWrongPassword_OnAnExpiredAccount_IsAnOrdinaryFailure_AndEmailsNothing()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(91));
        await RunAsync();
        var emails = await CountEmailsToWileAsync(OutboxEmailKind.PasswordReset);

        var (result, _) = await SignInAsync("not the password at all");

        Assert.IsNotType<PasswordExpiredResult>(result);
        Assert.Equal(SignInResult.Failed.ToString(), result.ToString());
        Assert.Equal(emails, await CountEmailsToWileAsync(OutboxEmailKind.PasswordReset));
    }

    [Fact]
    public async Task AfterTheResetLinkIsUsed_TheNewPasswordSignsIn()
    {
        await EnableExpiryAsync();
        _clock.Advance(TimeSpan.FromDays(91));
        await RunAsync();
        Assert.IsType<PasswordExpiredResult>((await SignInAsync(TestPasswords.Default)).Result);
        var (_, text) = await DeliverAndOpenLatestAsync();
        var link = LinkPattern().Match(text);
        Assert.True(link.Success, $"No set-password link in the email:\n{text}");

        await _host
            .Get<PasswordLinkService>()
            .CompleteLinkAsync(link.Groups["selector"].Value, link.Groups["verifier"].Value, NewPassword, NewPassword);

        Assert.Null((await UserAsync()).PasswordExpiredAt);
        var (result, signIns) = await SignInAsync(NewPassword);
        Assert.True(result.Succeeded, $"The new password should sign in, but got {result}.");
        Assert.Equal(_wile, Assert.Single(signIns).FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal((0, 0), await RunAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private async Task EnableExpiryAsync() =>
        await _host.AsSystemAsync(async () =>
        {
            await _host
                .Get<SettingsService>()
                .SaveAsync(
                    new UserSettings
                    {
                        PasswordExpiryEnabled = true,
                        PasswordExpiryDays = 90,
                        ReminderDays = 7,
                    }
                );
            return true;
        });

    private Task<(int Expired, int Reminded)> RunAsync() => _host.AsSystemAsync(() => Expiry.RunAsync());

    /// <summary>A password sign-in through the real sign-in manager, in its own scope as a request has.</summary>
    /// <returns>The result, and the principals signed in with the application cookie.</returns>
    private async Task<(SignInResult Result, IReadOnlyList<ClaimsPrincipal> SignIns)> SignInAsync(string password)
    {
        await using var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var schemes = new AuthenticationSchemeProvider(Options.Create(new AuthenticationOptions()));
        var signInManager = ActivatorUtilities.CreateInstance<AuditingSignInManager>(scope.ServiceProvider, schemes);
        var authentication = new RecordingAuthenticationService();
        var requestServices = new ServiceCollection().AddSingleton<IAuthenticationService>(authentication).BuildServiceProvider();
        await using (requestServices)
        {
            signInManager.Context = new DefaultHttpContext { RequestServices = requestServices };
            var result = await signInManager.PasswordSignInAsync(Wile, password, isPersistent: false, lockoutOnFailure: true);
            return (result, authentication.SignIns);
        }
    }

    private async Task<ApplicationUser> UserAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == _wile);
    }

    private async Task<int> RemindersToWileAsync() => await CountEmailsToWileAsync(OutboxEmailKind.ExpiryReminder);

    private async Task<int> CountEmailsToWileAsync(OutboxEmailKind kind)
    {
        await using var db = await _host.OpenDbAsync();
        return await db.OutboxEmails.CountAsync(e => e.ToAddress == Wile && e.UserId == _wile && e.Kind == kind);
    }

    /// <summary>Delivers the outbox to the pickup folder and opens the newest email, as an administrator can.</summary>
    private async Task<(string Subject, string Text)> DeliverAndOpenLatestAsync()
    {
        await _host.AsSystemAsync(() => _host.Get<EmailDelivery>().DeliverDueAsync());
        OutboxEmail email;
        await using (var db = await _host.OpenDbAsync())
        {
            email = await db.OutboxEmails.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync();
        }

        Assert.Equal((Wile, OutboxEmailStatus.Sent), (email.ToAddress, email.Status));
        var text = await _host.AsSystemAsync(() => _host.Get<OutboxView>().OpenPickupFileAsync(email.Id));
        return (email.Subject!, text.ReplaceLineEndings("\n"));
    }

    [GeneratedRegex("/account/password/(?<selector>[A-Za-z0-9_-]+)#(?<verifier>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    /// <summary>Stands in for the cookie handler: records who was signed in with the application scheme.</summary>
    private sealed class RecordingAuthenticationService : IAuthenticationService
    {
        private readonly List<ClaimsPrincipal> _signIns = [];

        public IReadOnlyList<ClaimsPrincipal> SignIns => _signIns;

        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) =>
            Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties)
        {
            Assert.Equal(IdentityConstants.ApplicationScheme, scheme);
            _signIns.Add(principal);
            return Task.CompletedTask;
        }

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }

    public sealed class OnSqlite() : PasswordExpiryTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : PasswordExpiryTests(postgres);
}
