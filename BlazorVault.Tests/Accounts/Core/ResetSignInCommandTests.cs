using BlazorVault.Core.Accounts;
using BlazorVault.Core.Audit;
using BlazorVault.Core.Audit.Entities;
using BlazorVault.Core.Common;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// "Reset sign-in" on an account, on SQLite and on PostgreSQL: admins reset agents, agents reset their customers' portal
/// users; every way of signing in besides the password goes (authenticator, recovery codes, passkeys, external logins),
/// the account's sessions end and the audit log says who did it. After a password reset by link, the person may do the
/// same for a short while from the link's page.
/// </summary>
public abstract class ResetSignInCommandTests(ITestDatabaseSource databases) : AcmeAccountsTestBase(databases)
{
    private string _adminId = "";

    private ResetSignInCommand Command => Host.Get<ResetSignInCommand>();

    private IServiceScopeFactory Scopes => Host.Get<IServiceScopeFactory>();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _adminId = await Host.CreateAgentAsync("ada@example.com", isAdmin: true);
        await Scopes.GiveEverySignInFactorAsync(AgentId);
        await Scopes.GiveEverySignInFactorAsync(WileId);
    }

    [Fact]
    public async Task AnAdmin_ResetsAnAgentsSignIn_RemovingEverything_EndingSessions_AndAuditing()
    {
        var stamp = await Host.SecurityStampAsync(AgentId);
        var session = await Host.SessionOfAsync(AgentId);
        await Host.ActAsAsync(_adminId);

        var removed = await Command.ResetAgentAsync(AgentId);

        Assert.True(removed is { TwoFactorEnabled: true, Authenticator: true, RecoveryCodes: SignInFactorTestExtensions.RecoveryCodes });
        Assert.Equal([SignInFactorTestExtensions.OfficeKey, SignInFactorTestExtensions.Phone], removed.Passkeys.Order());
        Assert.Equal(["Contoso"], removed.ExternalLogins);
        await AssertNothingLeftAsync(AgentId);
        Assert.NotEqual(stamp, await Host.SecurityStampAsync(AgentId));
        Assert.Equal(Actor.Anonymous, await Host.Get<ActorResolver>().ResolveAsync(session));
        Assert.True(await Host.PasswordWorksAsync("alex@example.com", TestPasswords.Default));
        var audited = await SingleResetEventAsync(AgentId);
        Assert.Equal(_adminId, audited.ActorId);
        Assert.Null(audited.CustomerId);
        Assert.Contains("\"passkeys\":2", audited.Details, StringComparison.Ordinal);
        Assert.Contains("\"recoveryCodes\":10", audited.Details, StringComparison.Ordinal);

        // The portal user's sign-in is untouched.
        Assert.Equal((true, true, 10, 2, 1, true), await Scopes.SignInFactorsOfAsync(WileId));
    }

    [Fact]
    public async Task AnAgent_ResetsAPortalUsersSignIn_OnTheirCustomer()
    {
        var stamp = await Host.SecurityStampAsync(WileId);
        await Host.ActAsAsync(AgentId);

        var removed = await Command.ResetPortalUserAsync(Acme, WileId);

        Assert.Equal(2, removed.Passkeys.Count);
        await AssertNothingLeftAsync(WileId);
        Assert.NotEqual(stamp, await Host.SecurityStampAsync(WileId));
        var audited = await SingleResetEventAsync(WileId);
        Assert.Equal(AgentId, audited.ActorId);
        Assert.Equal(Acme, audited.CustomerId);
    }

    [Fact]
    public async Task OnlyAdminsResetAgents_OnlyAgentsResetPortalUsers_AndOnlyOfTheCustomerNamed()
    {
        var other = await Host.CreateCustomerAsync("Globex");

        await Host.ActAsAsync(AgentId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Command.ResetAgentAsync(_adminId));
        await Assert.ThrowsAsync<NotFoundException>(() => Command.ResetPortalUserAsync(other, WileId));
        await Assert.ThrowsAsync<NotFoundException>(() => Command.ResetPortalUserAsync(Acme, _adminId));

        await Host.ActAsAsync(_adminId);
        await Assert.ThrowsAsync<NotFoundException>(() => Command.ResetAgentAsync(WileId));

        await Host.ActAsAsync(WileId);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Command.ResetPortalUserAsync(Acme, WileId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Command.ResetAgentAsync(AgentId));

        Assert.Equal((true, true, 10, 2, 1, true), await Scopes.SignInFactorsOfAsync(WileId));
        Assert.Equal((true, true, 10, 2, 1, true), await Scopes.SignInFactorsOfAsync(AgentId));
        await using var db = await Host.OpenDbAsync();
        Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.SignInReset));
    }

    [Fact]
    public async Task AfterAResetByLink_ThePersonSeesWhatRemains_AndRemovesIt_WithinFifteenMinutes()
    {
        var (selector, verifier) = await Host.RequestResetLinkAsync(Wile);
        await Host.Get<PasswordLinkService>().CompleteLinkAsync(selector, verifier, NewPassword, NewPassword);
        var stamp = await Host.SecurityStampAsync(WileId);

        var remaining = await Command.ListAfterPasswordLinkAsync(selector, verifier);
        Assert.True(remaining is { TwoFactorEnabled: true, Authenticator: true, RecoveryCodes: 10 });
        Assert.Equal(2, remaining.Passkeys.Count);

        Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var removed = await Command.ResetAfterPasswordLinkAsync(selector, verifier);

        Assert.Equal(remaining.Passkeys.Order(), removed.Passkeys.Order());
        await AssertNothingLeftAsync(WileId);
        Assert.NotEqual(stamp, await Host.SecurityStampAsync(WileId));
        Assert.True(await Host.PasswordWorksAsync(Wile, NewPassword));
        var audited = await SingleResetEventAsync(WileId);
        Assert.Equal(WileId, audited.ActorId);
        Assert.Contains("password link", audited.Details, StringComparison.Ordinal);
        Assert.True((await Command.ListAfterPasswordLinkAsync(selector, verifier)).IsEmpty);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Command.ListAfterPasswordLinkAsync(selector, verifier));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Command.ResetAfterPasswordLinkAsync(selector, verifier));
    }

    [Fact]
    public async Task ALinkThatDidNotSetThePassword_OrAWrongVerifier_RemovesNothing()
    {
        var (unused, unusedVerifier) = await Host.RequestResetLinkAsync(Wile);
        Clock.Advance(PasswordResetService.ResendInterval);
        var (used, usedVerifier) = await Host.RequestResetLinkAsync(Wile);
        Assert.NotEqual(unused, used);
        await Host.Get<PasswordLinkService>().CompleteLinkAsync(used, usedVerifier, NewPassword, NewPassword);

        // The first link was voided when the second one set the password: it proves nothing.
        await Assert.ThrowsAsync<ValidationFailedException>(() => Command.ResetAfterPasswordLinkAsync(unused, unusedVerifier));
        await Assert.ThrowsAsync<ValidationFailedException>(() => Command.ListAfterPasswordLinkAsync(unused, unusedVerifier));
        foreach (var wrong in new[] { unusedVerifier, usedVerifier[..^1], "", null })
        {
            await Assert.ThrowsAsync<ValidationFailedException>(() => Command.ResetAfterPasswordLinkAsync(used, wrong));
        }

        await Assert.ThrowsAsync<ValidationFailedException>(() => Command.ResetAfterPasswordLinkAsync("not-a-selector", usedVerifier));
        Assert.Equal((true, true, 10, 2, 1, true), await Scopes.SignInFactorsOfAsync(WileId));
    }

    private async Task AssertNothingLeftAsync(string userId)
    {
        Assert.Equal((false, false, 0, 0, 0, false), await Scopes.SignInFactorsOfAsync(userId));
        await using var db = await Host.OpenDbAsync();
        Assert.False(await db.Secrets.AnyAsync(s => s.EntityId == userId && s.Purpose == "account"));
        Assert.False(await db.UserTokens.AnyAsync(t => t.UserId == userId));
    }

    private async Task<AuditEvent> SingleResetEventAsync(string userId)
    {
        await using var db = await Host.OpenDbAsync();
        return await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Action == AuditActions.SignInReset && e.TargetId == userId);
    }

    public sealed class OnSqlite() : ResetSignInCommandTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : ResetSignInCommandTests(postgres);
}
