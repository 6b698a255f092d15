using System.Security.Claims;
using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Notifications;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// A person's own password on a real SQLite file, with the links taken out of the emails as the person would:
/// reset and welcome links (once, within their validity, voiding the others), the policy's history and
/// block-lists, and who may send a reset email to whom.
/// </summary>
public sealed partial class PasswordServiceTests : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string NewPassword = "purple tractor on a quiet hill";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private int _acme;
    private string _wile = "";
    private string _agent = "";
    private string _admin = "";

    private PasswordService Passwords => _host.Get<PasswordService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock);
        _acme = await _host.CreateCustomerAsync("Acme");
        _wile = await _host.CreatePortalUserAsync(_acme, Wile);
        _agent = await _host.CreateAgentAsync("alex@example.com");
        _admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
    }

    [Fact]
    public async Task AResetLink_SetsTheNewPassword_AndWorksOnlyOnce()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Passwords.PreviewLinkAsync(selector));

        var signInName = await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        Assert.Equal(Wile, signInName);
        Assert.True(await PasswordWorksAsync(Wile, NewPassword));
        Assert.False(await PasswordWorksAsync(Wile, TestPasswords.Default));
        var again = await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, verifier, "another quiet purple hill", "another quiet purple hill"));
        Assert.Equal("This link has expired or has already been used. Ask for a new one from the sign-in page.", again.Message);
        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
        Assert.True(await PasswordWorksAsync(Wile, NewPassword));
    }

    [Fact]
    public async Task PreviewingALink_DoesNotUseIt()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Passwords.PreviewLinkAsync(selector)).IsUsable);
        }

        Assert.Equal(Wile, await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task ALinkWithAWrongVerifier_SetsNothing_AndStaysUsable()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);
        var (_, otherVerifier) = OneTimeLink.New();

        foreach (var wrong in new[] { otherVerifier, verifier[..^1], "", null })
        {
            await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, wrong, NewPassword, NewPassword));
        }

        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
        Assert.Equal(Wile, await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task ALink_StopsWorkingAfterTheLinkValidityDays()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        _clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.True((await Passwords.PreviewLinkAsync(selector)).IsUsable);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task LoweringTheLinkValidity_AlsoShortensLinksAlreadySent()
    {
        await SaveAsync<EmailSettings>(s => s.LinkValidityDays = 3);
        var (selector, verifier) = await RequestResetLinkAsync(Wile);
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await Passwords.PreviewLinkAsync(selector)).IsUsable);

        await SaveAsync<EmailSettings>(s => s.LinkValidityDays = 1);

        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task APasswordThePolicyRefuses_LeavesTheLinkUsableForAnotherTry()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, verifier, "short", "short"));

        Assert.StartsWith("Passwords must be at least 12 characters.", Assert.Single(refused.Errors[nameof(ChangePasswordInput.NewPassword)]), StringComparison.Ordinal);
        Assert.True((await Passwords.PreviewLinkAsync(selector)).IsUsable);
        Assert.Equal(Wile, await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task UsingALink_EndsTheAccountsOtherSessions()
    {
        var session = await SessionOfAsync(_wile);
        Assert.Equal(_wile, (await _host.Get<ActorResolver>().ResolveAsync(session)).UserId);
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        Assert.NotEqual(session.FindFirstValue(StampClaim), await SecurityStampAsync(_wile));
        Assert.Equal(Actor.Anonymous, await _host.Get<ActorResolver>().ResolveAsync(session));
    }

    [Fact]
    public async Task UsingALink_VoidsTheAccountsOtherLinks()
    {
        var first = await RequestResetLinkAsync(Wile);
        _clock.Advance(PasswordService.ResendInterval + TimeSpan.FromSeconds(1));
        var second = await RequestResetLinkAsync(Wile);
        Assert.NotEqual(first, second);
        Assert.True((await Passwords.PreviewLinkAsync(first.Selector)).IsUsable);

        await Passwords.CompleteLinkAsync(second.Selector, second.Verifier, NewPassword, NewPassword);

        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(first.Selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(first.Selector, first.Verifier, "another quiet purple hill", "another quiet purple hill"));
        Assert.True(await PasswordWorksAsync(Wile, NewPassword));
    }

    [Fact]
    public async Task ChangingTheAccountsEmail_VoidsLinksMailedToTheOldAddress()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        await AsSystemAsync(() => _host.Get<PortalUserService>().UpdateAsync(_acme, _wile, new AccountDetailsInput { DisplayName = "Wile", Email = "wile.new@acme.example" }));

        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task DisablingAnAccount_VoidsItsLinks_SoEnablingItDoesNotBringThemBack()
    {
        var (selector, _) = await RequestResetLinkAsync(Wile);

        await AsSystemAsync(() => _host.Get<PortalUserService>().SetEnabledAsync(_acme, _wile, false));
        await AsSystemAsync(() => _host.Get<PortalUserService>().SetEnabledAsync(_acme, _wile, true));

        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task UsingALink_EndsALockoutFromFailedSignIns()
    {
        await LockOutAsync(_wile);
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        await using var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(_wile))!));
    }

    [Fact]
    public async Task AReusedPassword_IsRefused()
    {
        await SaveAsync<PasswordPolicySettings>(p => p.HistoryCount = 3);
        await _host.ActAsAsync(_wile);
        await ChangeAsync(TestPasswords.Default, "orange tractor number one");
        await ChangeAsync("orange tractor number one", "orange tractor number two");

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync("orange tractor number two", TestPasswords.Default));

        Assert.Equal(["This password was used recently. Choose one that differs from the last 3."], refused.Errors[nameof(ChangePasswordInput.NewPassword)]);
        Assert.True(await PasswordWorksAsync(Wile, "orange tractor number two"));
        var current = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync("orange tractor number two", "orange tractor number two"));
        Assert.Contains("This password was used recently.", current.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOldPassword_IsAcceptedAgain_AfterThreeNewerOnes()
    {
        await SaveAsync<PasswordPolicySettings>(p => p.HistoryCount = 3);
        await _host.ActAsAsync(_wile);
        await ChangeAsync(TestPasswords.Default, "orange tractor number one");
        await ChangeAsync("orange tractor number one", "orange tractor number two");
        await ChangeAsync("orange tractor number two", "orange tractor number three");

        await ChangeAsync("orange tractor number three", TestPasswords.Default);

        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task APasswordReusedThroughAResetLink_IsRefusedToo()
    {
        var (selector, verifier) = await RequestResetLinkAsync(Wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => Passwords.CompleteLinkAsync(selector, verifier, TestPasswords.Default, TestPasswords.Default));

        Assert.Contains("This password was used recently.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommonPassword_IsRefusedByTheBlockList()
    {
        await SaveAsync<PasswordPolicySettings>(p => p.MinLength = 8);
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync(TestPasswords.Default, "password123"));

        Assert.Equal(["This password is on the list of commonly used passwords. Choose a less predictable one."], refused.Errors[nameof(ChangePasswordInput.NewPassword)]);
        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task TheAccountsOwnEmail_IsRefusedAsItsPassword()
    {
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync(TestPasswords.Default, Wile));

        Assert.Equal([$"Passwords may not contain \"{Wile}\", which is part of the account's details."], refused.Errors[nameof(ChangePasswordInput.NewPassword)]);
        Assert.False(await PasswordWorksAsync(Wile, Wile));
    }

    [Fact]
    public async Task ChangingThePassword_WithAWrongCurrentPassword_IsRefused()
    {
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync("not my password at all", NewPassword));

        Assert.Equal(["The current password is incorrect."], refused.Errors[nameof(ChangePasswordInput.CurrentPassword)]);
        Assert.False(await PasswordWorksAsync(Wile, NewPassword));
        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
        await using var db = await _host.OpenDbAsync();
        Assert.Equal(1, (await db.Users.AsNoTracking().SingleAsync(u => u.Id == _wile)).AccessFailedCount);
    }

    [Fact]
    public async Task WhileTheAccountIsLockedOut_TheChangeFormRefusesEvenTheRightCurrentPassword()
    {
        await LockOutAsync(_wile);
        await _host.ActAsAsync(_wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() => ChangeAsync(TestPasswords.Default, NewPassword));

        Assert.Contains("locked", refused.Errors[nameof(ChangePasswordInput.CurrentPassword)][0], StringComparison.Ordinal);
        Assert.True(await PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task ChangingThePassword_VoidsResetLinksMailedBefore()
    {
        var (selector, _) = await RequestResetLinkAsync(Wile);
        await _host.ActAsAsync(_wile);

        await ChangeAsync(TestPasswords.Default, NewPassword);

        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task ChangingThePassword_WithTheRightCurrentPassword_EndsOtherSessions()
    {
        var session = await SessionOfAsync(_wile);
        await _host.ActAsAsync(_wile);

        await ChangeAsync(TestPasswords.Default, NewPassword);

        Assert.True(await PasswordWorksAsync(Wile, NewPassword));
        Assert.Equal(Actor.Anonymous, await _host.Get<ActorResolver>().ResolveAsync(session));
    }

    [Theory]
    [InlineData(Wile)]
    [InlineData("nobody@acme.example")]
    public async Task AResetRequest_TakesAtLeastTheFixedAnswerTime_WhetherOrNotTheAddressHasAnAccount(string email)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        await Passwords.RequestResetAsync(email);

        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) >= PasswordService.ResetAnswerTime);
    }

    [Fact]
    public async Task AResetRequest_ForAMissingAddress_SendsNothing_AndThrowsNothing()
    {
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Passwords.RequestResetAsync("nobody@acme.example");
        await Passwords.RequestResetAsync("");
        await Passwords.RequestResetAsync(null);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
        Assert.Equal(new BlazorVault.Core.Notifications.Models.OutboxDeliveryResult(0, 0, 0), await DeliverAsync());
    }

    [Fact]
    public async Task AResetRequest_IgnoresCaseAndSpaces_OfTheAddress()
    {
        var (emails, _) = await CountEmailsAndLinksAsync();

        await Passwords.RequestResetAsync("  WILE@Acme.Example ");

        Assert.Equal(emails + 1, (await CountEmailsAndLinksAsync()).Emails);
        var (selector, verifier) = await LinkFromLatestEmailAsync(Wile);
        Assert.True((await Passwords.PreviewLinkAsync(selector)).IsUsable);
    }

    [Fact]
    public async Task ASecondResetRequest_WithinTwoMinutes_SendsNoSecondEmail()
    {
        await Passwords.RequestResetAsync(Wile);
        var (emails, links) = await CountEmailsAndLinksAsync();

        _clock.Advance(PasswordService.ResendInterval - TimeSpan.FromSeconds(1));
        await Passwords.RequestResetAsync(Wile);
        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Passwords.RequestResetAsync(Wile);
        Assert.Equal((emails + 1, links + 1), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AResetRequest_RightAfterTheWelcomeEmail_IsStillSent()
    {
        await _host.ActAsAsync(_agent);
        await _host.Get<PortalUserService>().CreateAsync(_acme, new NewAccountInput { DisplayName = "Road Runner", Email = "roadrunner@acme.example", Password = "" });
        var (welcome, _, _) = await DeliverAndReadLinkAsync("roadrunner@acme.example");

        var (reset, _) = await RequestResetLinkAsync("roadrunner@acme.example");

        Assert.NotEqual(welcome, reset);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Passwords.PreviewLinkAsync(reset));
    }

    [Fact]
    public async Task AResetRequest_ForADisabledAccount_SendsNothing()
    {
        await _host.ActAsAsync(_agent);
        await _host.Get<PortalUserService>().SetEnabledAsync(_acme, _wile, enabled: false);
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Passwords.RequestResetAsync(Wile);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AnAgent_SendsAResetEmailToAPortalUser()
    {
        await _host.ActAsAsync(_agent);

        await Passwords.SendResetEmailAsync(_wile);

        var (selector, verifier) = await LinkFromLatestEmailAsync(Wile);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Passwords.PreviewLinkAsync(selector));
        Assert.Equal(Wile, await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task AnAgent_CannotSendAResetEmailToAnAgent()
    {
        var other = await _host.CreateAgentAsync("bo@example.com");
        await _host.ActAsAsync(_agent);
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Passwords.SendResetEmailAsync(other));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Passwords.SendResetEmailAsync(_admin));

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task APortalUser_CannotSendResetEmails()
    {
        var coyote = await _host.CreatePortalUserAsync(_acme, "coyote@acme.example");
        await _host.ActAsAsync(coyote);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Passwords.SendResetEmailAsync(_wile));
    }

    [Fact]
    public async Task AnAdmin_SendsAResetEmailToAnAgent()
    {
        await _host.ActAsAsync(_admin);

        await Passwords.SendResetEmailAsync(_agent);

        var (selector, verifier) = await LinkFromLatestEmailAsync("alex@example.com");
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Passwords.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task CreatingAPortalUser_QueuesAWelcomeEmail_WhoseLinkSetsThePassword()
    {
        await _host.ActAsAsync(_agent);
        await _host.Get<PortalUserService>().CreateAsync(_acme, new NewAccountInput { DisplayName = "Road Runner", Email = "roadrunner@acme.example", Password = "" });

        var email = await LatestEmailAsync();
        Assert.Equal((OutboxEmailKind.Welcome, "roadrunner@acme.example", OutboxEmailStatus.Queued), (email.Kind, email.ToAddress, email.Status));
        var (selector, verifier, text) = await DeliverAndReadLinkAsync("roadrunner@acme.example");
        Assert.StartsWith("Hello Road Runner,", text, StringComparison.Ordinal);
        Assert.Contains("An account has been created for you: roadrunner@acme.example.", text, StringComparison.Ordinal);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Welcome), await Passwords.PreviewLinkAsync(selector));

        Assert.Equal("roadrunner@acme.example", await Passwords.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));

        Assert.True(await PasswordWorksAsync("roadrunner@acme.example", NewPassword));
        Assert.Equal(PasswordLinkPreview.Unusable, await Passwords.PreviewLinkAsync(selector));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private string StampClaim => _host.Get<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;

    private Task<bool> AsSystemAsync(Func<Task> action) =>
        _host.AsSystemAsync(async () =>
        {
            await action();
            return true;
        });

    private Task ChangeAsync(string current, string next) =>
        Passwords.ChangeAsync(new ChangePasswordInput { CurrentPassword = current, NewPassword = next, ConfirmPassword = next });

    private async Task<(string Selector, string Verifier)> RequestResetLinkAsync(string email)
    {
        await Passwords.RequestResetAsync(email);
        return await LinkFromLatestEmailAsync(email);
    }

    private async Task<(string Selector, string Verifier)> LinkFromLatestEmailAsync(string to)
    {
        var (selector, verifier, _) = await DeliverAndReadLinkAsync(to);
        return (selector, verifier);
    }

    /// <summary>Delivers the outbox to the pickup folder and reads the link out of the newest email to <paramref name="to"/>, as its reader would.</summary>
    private async Task<(string Selector, string Verifier, string Text)> DeliverAndReadLinkAsync(string to)
    {
        await DeliverAsync();
        long id;
        await using (var db = await _host.OpenDbAsync())
        {
            id = await db.OutboxEmails.AsNoTracking()
                .Where(e => e.ToAddress == to && e.Status == OutboxEmailStatus.Sent && e.HasLink)
                .OrderByDescending(e => e.Id).Select(e => e.Id).FirstAsync();
        }

        var text = (await _host.AsSystemAsync(() => _host.Get<EmailOutbox>().OpenPickupFileAsync(id))).ReplaceLineEndings("\n");
        var match = LinkPattern().Match(text);
        Assert.True(match.Success, $"No set-password link in the email:\n{text}");
        return (match.Groups["selector"].Value, match.Groups["verifier"].Value, text);
    }

    private Task<BlazorVault.Core.Notifications.Models.OutboxDeliveryResult> DeliverAsync() =>
        _host.AsSystemAsync(() => _host.Get<EmailOutbox>().DeliverDueAsync());

    private async Task<OutboxEmail> LatestEmailAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return await db.OutboxEmails.AsNoTracking().OrderByDescending(e => e.Id).FirstAsync();
    }

    private async Task<(int Emails, int Links)> CountEmailsAndLinksAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return (await db.OutboxEmails.CountAsync(), await db.PasswordLinks.CountAsync());
    }

    private async Task SaveAsync<T>(Action<T> change)
        where T : class, ISettingsSection, new() =>
        await _host.AsSystemAsync(async () =>
        {
            var settings = _host.Get<SettingsService>();
            var values = await settings.GetAsync<T>();
            change(values);
            await settings.SaveAsync(values);
            return true;
        });

    /// <summary>Whether the password signs in, checked by a fresh user manager (no cached account).</summary>
    private async Task<bool> PasswordWorksAsync(string email, string password)
    {
        await using var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}.");
        return await users.CheckPasswordAsync(user, password);
    }

    private async Task<string?> SecurityStampAsync(string userId)
    {
        await using var db = await _host.OpenDbAsync();
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.SecurityStamp).SingleAsync();
    }

    /// <summary>A signed-in session's principal, as the sign-in cookie carries it: the account and its security stamp of the moment.</summary>
    private async Task<ClaimsPrincipal> SessionOfAsync(string userId) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(StampClaim, (await SecurityStampAsync(userId))!)],
            IdentityConstants.ApplicationScheme));

    private async Task LockOutAsync(string userId)
    {
        await using var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(userId))!;
        // Identity's lockout reads the system clock, not the TimeProvider.
        await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(15));
        Assert.True(await users.IsLockedOutAsync(user));
    }

    [GeneratedRegex("/account/password/(?<selector>[A-Za-z0-9_-]+)#(?<verifier>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
