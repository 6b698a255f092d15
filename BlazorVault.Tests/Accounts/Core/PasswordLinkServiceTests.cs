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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// Set-password links on SQLite and on PostgreSQL, taken out of the emails as the person would: reset and welcome links
/// work once, within their validity, and using one voids the others. Asking for a reset link is in
/// <see cref="PasswordResetServiceTests"/>.
/// </summary>
public abstract class PasswordLinkServiceTests(ITestDatabaseSource databases) : AcmeAccountsTestBase(databases)
{
    private PasswordLinkService Links => Host.Get<PasswordLinkService>();

    [Fact]
    public async Task AResetLink_SetsTheNewPassword_AndWorksOnlyOnce()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));

        var signInName = await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        Assert.Equal(Wile, signInName);
        Assert.True(await Host.PasswordWorksAsync(Wile, NewPassword));
        Assert.False(await Host.PasswordWorksAsync(Wile, TestPasswords.Default));
        var again = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(selector, verifier, "another quiet purple hill", "another quiet purple hill")
        );
        Assert.Equal("This link has expired or has already been used. Ask for a new one from the sign-in page.", again.Message);
        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        Assert.True(await Host.PasswordWorksAsync(Wile, NewPassword));
    }

    [Fact]
    public async Task PreviewingALink_DoesNotUseIt()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
        }

        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task ALinkWithAWrongVerifier_SetsNothing_AndStaysUsable()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);
        var (_, otherVerifier) = OneTimeLink.New();

        foreach (var wrong in new[] { otherVerifier, verifier[..^1], "", null })
        {
            await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, wrong, NewPassword, NewPassword));
        }

        Assert.True(await Host.PasswordWorksAsync(Wile, TestPasswords.Default));
        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task ALink_StopsWorkingAfterTheLinkValidityDays()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

        Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
        Assert.True(await Host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task LoweringTheLinkValidity_AlsoShortensLinksAlreadySent()
    {
        await Host.SaveSettingsAsync<EmailSettings>(s => s.LinkValidityDays = 3);
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);
        Clock.Advance(TimeSpan.FromDays(2));
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);

        await Host.SaveSettingsAsync<EmailSettings>(s => s.LinkValidityDays = 1);

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
        Assert.True(await Host.PasswordWorksAsync(Wile, TestPasswords.Default));
    }

    [Fact]
    public async Task APasswordThePolicyRefuses_LeavesTheLinkUsableForAnotherTry()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

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
        var session = await Host.SessionOfAsync(WileId);
        Assert.Equal(WileId, (await Host.Get<ActorResolver>().ResolveAsync(session)).UserId);
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

        await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        Assert.NotEqual(session.FindFirstValue(Host.StampClaim()), await Host.SecurityStampAsync(WileId));
        Assert.Equal(Actor.Anonymous, await Host.Get<ActorResolver>().ResolveAsync(session));
    }

    [Fact]
    public async Task UsingALink_VoidsTheAccountsOtherLinks()
    {
        var first = await Host.RequestResetLinkAsync(Wile);
        Clock.Advance(PasswordResetService.ResendInterval + TimeSpan.FromSeconds(1));
        var second = await Host.RequestResetLinkAsync(Wile);
        Assert.NotEqual(first, second);
        Assert.True((await Links.PreviewLinkAsync(first.Selector)).IsUsable);

        await Links.CompleteLinkAsync(second.Selector, second.Verifier, NewPassword, NewPassword);

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(first.Selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(first.Selector, first.Verifier, "another quiet purple hill", "another quiet purple hill")
        );
        Assert.True(await Host.PasswordWorksAsync(Wile, NewPassword));
    }

    [Fact]
    public async Task ChangingTheAccountsEmail_VoidsLinksMailedToTheOldAddress()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

        await AsSystemAsync(() =>
            Host.Get<PortalUserService>()
                .UpdateAsync(Acme, WileId, new AccountDetailsInput { DisplayName = "Wile", Email = "wile.new@acme.example" })
        );

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task DisablingAnAccount_VoidsItsLinks_SoEnablingItDoesNotBringThemBack()
    {
        var (selector, _) = await Host.RequestResetLinkAsync(Wile);

        await AsSystemAsync(() => Host.Get<PortalUserService>().SetEnabledAsync(Acme, WileId, false));
        await AsSystemAsync(() => Host.Get<PortalUserService>().SetEnabledAsync(Acme, WileId, true));

        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
    }

    [Fact]
    public async Task UsingALink_EndsALockoutFromFailedSignIns()
    {
        await Host.LockOutAsync(WileId);
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

        await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);

        await using var scope = Host.Get<IServiceScopeFactory>().CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.False(await users.IsLockedOutAsync((await users.FindByIdAsync(WileId))!));
    }

    [Fact]
    public async Task APasswordReusedThroughAResetLink_IsRefusedToo()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Links.CompleteLinkAsync(selector, verifier, TestPasswords.Default, TestPasswords.Default)
        );

        Assert.Contains("This password was used recently.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatingAPortalUser_QueuesAWelcomeEmail_WhoseLinkSetsThePassword()
    {
        await Host.ActAsAsync(AgentId);
        await Host.Get<PortalUserService>()
            .CreateAsync(
                Acme,
                new NewAccountInput
                {
                    DisplayName = "Road Runner",
                    Email = "roadrunner@acme.example",
                    Password = "",
                }
            );

        var email = await Host.LatestEmailAsync();
        Assert.Equal(
            (OutboxEmailKind.Welcome, "roadrunner@acme.example", OutboxEmailStatus.Queued),
            (email.Kind, email.ToAddress, email.Status)
        );
        var (selector, verifier, text) = await Host.DeliverAndReadLinkAsync("roadrunner@acme.example");
        Assert.StartsWith("Hello Road Runner,", text, StringComparison.Ordinal);
        Assert.Contains("An account has been created for you: roadrunner@acme.example.", text, StringComparison.Ordinal);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Welcome), await Links.PreviewLinkAsync(selector));

        Assert.Equal("roadrunner@acme.example", await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));

        Assert.True(await Host.PasswordWorksAsync("roadrunner@acme.example", NewPassword));
        Assert.Equal(PasswordLinkPreview.Unusable, await Links.PreviewLinkAsync(selector));
    }

    private Task<bool> AsSystemAsync(Func<Task> action) =>
        Host.AsSystemAsync(async () =>
        {
            await action();
            return true;
        });

    public sealed class OnSqlite() : PasswordLinkServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : PasswordLinkServiceTests(postgres);
}
