using System.Security.Claims;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Common;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// Set-password links on a real SQLite file, taken out of the emails as the person would: reset and welcome links
/// (once, within their validity, voiding the others), "Forgotten Password?" telling no one who has an account, and
/// who may send a reset email to whom.
/// </summary>
public sealed class PasswordLinkServiceTests : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string NewPassword = "purple tractor on a quiet hill";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private int _acme;
    private string _wile = "";
    private string _agent = "";
    private string _admin = "";

    private PasswordLinkService Links => _host.Get<PasswordLinkService>();

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
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));

        var signInName = await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        Assert.Equal(Wile, signInName);
        Assert.True(await _host.PasswordWorksAsync(Wile, NewPassword));
        Assert.False(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
        var again = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(selector, verifier, "another quiet purple hill", "another quiet purple hill")
        );
        Assert.Equal("This link has expired or has already been used. Ask for a new one from the sign-in page.", again.Message);
        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        Assert.True(await _host.PasswordWorksAsync(Wile, NewPassword));
    }

    [Fact]
    public async Task PreviewingALink_DoesNotUseIt()
    {
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
        }

        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task ALinkWithAWrongVerifier_SetsNothing_AndStaysUsable()
    {
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);
        var (_, otherVerifier) = OneTimeLink.New();

        foreach (var wrong in new[] { otherVerifier, verifier[..^1], "", null })
        {
            await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, wrong, NewPassword, NewPassword));
        }

        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task ALink_StopsWorkingAfterTheLinkValidityDays()
    {
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        _clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task LoweringTheLinkValidity_AlsoShortensLinksAlreadySent()
    {
        await _host.SaveSettingsAsync<EmailSettings>(s => s.LinkValidityDays = 3);
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);

        await _host.SaveSettingsAsync<EmailSettings>(s => s.LinkValidityDays = 1);

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
        Assert.True(await _host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task APasswordThePolicyRefuses_LeavesTheLinkUsableForAnotherTry()
    {
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(selector, verifier, "short", "short")
        );

        Assert.StartsWith(
            "Passwords must be at least 12 characters.",
            Assert.Single(refused.Errors[nameof(ChangePasswordInput.NewPassword)]),
            StringComparison.Ordinal
        );
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task UsingALink_EndsTheAccountsOtherSessions()
    {
        var session = await _host.SessionOfAsync(_wile);
        Assert.Equal(_wile, (await _host.Get<ActorResolver>().ResolveAsync(session)).UserId);
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        Assert.NotEqual(session.FindFirstValue(_host.StampClaim()), await _host.SecurityStampAsync(_wile));
        Assert.Equal(Actor.Anonymous, await _host.Get<ActorResolver>().ResolveAsync(session));
    }

    [Fact]
    public async Task UsingALink_VoidsTheAccountsOtherLinks()
    {
        var first = await _host.RequestResetLinkAsync(Wile);
        _clock.Advance(PasswordLinkService.ResendInterval + TimeSpan.FromSeconds(1));
        var second = await _host.RequestResetLinkAsync(Wile);
        Assert.NotEqual(first, second);
        Assert.True((await Links.PreviewLinkAsync(first.Selector)).IsUsable);

        await Links.CompleteLinkAsync(second.Selector, second.Verifier, NewPassword, NewPassword);

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(first.Selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(first.Selector, first.Verifier, "another quiet purple hill", "another quiet purple hill")
        );
        Assert.True(await _host.PasswordWorksAsync(Wile, NewPassword));
    }

    [Fact]
    public async Task ChangingTheAccountsEmail_VoidsLinksMailedToTheOldAddress()
    {
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        await AsSystemAsync(() =>
            _host
                .Get<PortalUserService>()
                .UpdateAsync(_acme, _wile, new AccountDetailsInput { DisplayName = "Wile", Email = "wile.new@acme.example" })
        );

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task DisablingAnAccount_VoidsItsLinks_SoEnablingItDoesNotBringThemBack()
    {
        var (selector, _) = await _host.RequestResetLinkAsync(Wile);

        await AsSystemAsync(() => _host.Get<PortalUserService>().SetEnabledAsync(_acme, _wile, false));
        await AsSystemAsync(() => _host.Get<PortalUserService>().SetEnabledAsync(_acme, _wile, true));

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task UsingALink_EndsALockoutFromFailedSignIns()
    {
        await _host.LockOutAsync(_wile);
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        await using var scope = _host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(_wile))!));
    }

    [Fact]
    public async Task APasswordReusedThroughAResetLink_IsRefusedToo()
    {
        var (selector, verifier) = await _host.RequestResetLinkAsync(Wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(selector, verifier, TestPasswords.Default, TestPasswords.Default)
        );

        Assert.Contains("This password was used recently.", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Wile)]
    [InlineData("nobody@acme.example")]
    public async Task AResetRequest_TakesAtLeastTheFixedAnswerTime_WhetherOrNotTheAddressHasAnAccount(string email)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        await Links.RequestResetAsync(email);

        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) >= PasswordLinkService.ResetAnswerTime);
    }

    [Fact]
    public async Task AResetRequest_ForAMissingAddress_SendsNothing_AndThrowsNothing()
    {
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Links.RequestResetAsync("nobody@acme.example");
        await Links.RequestResetAsync("");
        await Links.RequestResetAsync(null);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
        Assert.Equal(new BlazorVault.Core.Notifications.Models.OutboxDeliveryResult(0, 0, 0), await _host.DeliverAsync());
    }

    [Fact]
    public async Task AResetRequest_IgnoresCaseAndSpaces_OfTheAddress()
    {
        var (emails, _) = await CountEmailsAndLinksAsync();

        await Links.RequestResetAsync("  WILE@Acme.Example ");

        Assert.Equal(emails + 1, (await CountEmailsAndLinksAsync()).Emails);
        var (selector, verifier) = await _host.LinkFromLatestEmailAsync(Wile);
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
    }

    [Fact]
    public async Task ASecondResetRequest_WithinTwoMinutes_SendsNoSecondEmail()
    {
        await Links.RequestResetAsync(Wile);
        var (emails, links) = await CountEmailsAndLinksAsync();

        _clock.Advance(PasswordLinkService.ResendInterval - TimeSpan.FromSeconds(1));
        await Links.RequestResetAsync(Wile);
        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Links.RequestResetAsync(Wile);
        Assert.Equal((emails + 1, links + 1), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AResetRequest_RightAfterTheWelcomeEmail_IsStillSent()
    {
        await _host.ActAsAsync(_agent);
        await _host
            .Get<PortalUserService>()
            .CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Road Runner",
                    Email = "roadrunner@acme.example",
                    Password = "",
                }
            );
        var (welcome, _, _) = await _host.DeliverAndReadLinkAsync("roadrunner@acme.example");

        var (reset, _) = await _host.RequestResetLinkAsync("roadrunner@acme.example");

        Assert.NotEqual(welcome, reset);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(reset));
    }

    [Fact]
    public async Task AResetRequest_ForADisabledAccount_SendsNothing()
    {
        await _host.ActAsAsync(_agent);
        await _host.Get<PortalUserService>().SetEnabledAsync(_acme, _wile, enabled: false);
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Links.RequestResetAsync(Wile);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AnAgent_SendsAResetEmailToAPortalUser()
    {
        await _host.ActAsAsync(_agent);

        await Links.SendResetEmailAsync(_wile);

        var (selector, verifier) = await _host.LinkFromLatestEmailAsync(Wile);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));
        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task AnAgent_CannotSendAResetEmailToAnAgent()
    {
        var other = await _host.CreateAgentAsync("bo@example.com");
        await _host.ActAsAsync(_agent);
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Links.SendResetEmailAsync(other));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Links.SendResetEmailAsync(_admin));

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task APortalUser_CannotSendResetEmails()
    {
        var coyote = await _host.CreatePortalUserAsync(_acme, "coyote@acme.example");
        await _host.ActAsAsync(coyote);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Links.SendResetEmailAsync(_wile));
    }

    [Fact]
    public async Task AnAdmin_SendsAResetEmailToAnAgent()
    {
        await _host.ActAsAsync(_admin);

        await Links.SendResetEmailAsync(_agent);

        var (selector, verifier) = await _host.LinkFromLatestEmailAsync("alex@example.com");
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task CreatingAPortalUser_QueuesAWelcomeEmail_WhoseLinkSetsThePassword()
    {
        await _host.ActAsAsync(_agent);
        await _host
            .Get<PortalUserService>()
            .CreateAsync(
                _acme,
                new NewAccountInput
                {
                    DisplayName = "Road Runner",
                    Email = "roadrunner@acme.example",
                    Password = "",
                }
            );

        var email = await _host.LatestEmailAsync();
        Assert.Equal(
            (OutboxEmailKind.Welcome, "roadrunner@acme.example", OutboxEmailStatus.Queued),
            (email.Kind, email.ToAddress, email.Status)
        );
        var (selector, verifier, text) = await _host.DeliverAndReadLinkAsync("roadrunner@acme.example");
        Assert.StartsWith("Hello Road Runner,", text, StringComparison.Ordinal);
        Assert.Contains("An account has been created for you: roadrunner@acme.example.", text, StringComparison.Ordinal);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Welcome), await Links.PreviewLinkAsync(selector));

        Assert.Equal("roadrunner@acme.example", await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));

        Assert.True(await _host.PasswordWorksAsync("roadrunner@acme.example", NewPassword));
        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private Task<bool> AsSystemAsync(Func<Task> action) =>
        _host.AsSystemAsync(async () =>
        {
            await action();
            return true;
        });

    private async Task<(int Emails, int Links)> CountEmailsAndLinksAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return (await db.OutboxEmails.CountAsync(), await db.PasswordLinks.CountAsync());
    }
}
