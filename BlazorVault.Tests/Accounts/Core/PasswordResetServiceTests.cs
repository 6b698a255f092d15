using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Entities;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Security;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.Accounts.Core;

/// <summary>
/// Asking for a reset link on SQLite and on PostgreSQL: "Forgotten Password?" telling no one who has an account and sending
/// at most one email per interval, and who may send a reset email to whom.
/// </summary>
public abstract class PasswordResetServiceTests(ITestDatabaseSource databases) : AcmeAccountsTestBase(databases)
{
    private string _admin = "";

    private PasswordResetService Resets => Host.Get<PasswordResetService>();

    private PasswordLinkService Links => Host.Get<PasswordLinkService>();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _admin = await Host.CreateAgentAsync("ada@example.com", isAdmin: true);
    }

    [Theory]
    [InlineData(Wile)]
    [InlineData("nobody@acme.example")]
    public async Task AResetRequest_TakesAtLeastTheFixedAnswerTime_WhetherOrNotTheAddressHasAnAccount(string email)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        await Resets.RequestResetAsync(email);

        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(started) >= PasswordResetService.ResetAnswerTime);
    }

    [Fact]
    public async Task AResetRequest_ForAMissingAddress_SendsNothing_AndThrowsNothing()
    {
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Resets.RequestResetAsync("nobody@acme.example");
        await Resets.RequestResetAsync("");
        await Resets.RequestResetAsync(null);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
        Assert.Equal(new BlazorVault.Core.Notifications.Models.OutboxDeliveryResult(0, 0, 0), await Host.DeliverAsync());
    }

    [Fact]
    public async Task AResetRequest_IgnoresCaseAndSpaces_OfTheAddress()
    {
        var (emails, _) = await CountEmailsAndLinksAsync();

        await Resets.RequestResetAsync("  WILE@Acme.Example ");

        Assert.Equal(emails + 1, (await CountEmailsAndLinksAsync()).Emails);
        var (selector, verifier) = await Host.LinkFromLatestEmailAsync(Wile);
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
    }

    [Fact]
    public async Task ASecondResetRequest_WithinTwoMinutes_SendsNoSecondEmail()
    {
        await Resets.RequestResetAsync(Wile);
        var (emails, links) = await CountEmailsAndLinksAsync();

        Clock.Advance(PasswordResetService.ResendInterval - TimeSpan.FromSeconds(1));
        await Resets.RequestResetAsync(Wile);
        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());

        Clock.Advance(TimeSpan.FromSeconds(2));
        await Resets.RequestResetAsync(Wile);
        Assert.Equal((emails + 1, links + 1), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AResetRequest_RightAfterTheWelcomeEmail_IsStillSent()
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
        var (welcome, _, _) = await Host.DeliverAndReadLinkAsync("roadrunner@acme.example");

        var (reset, _) = await Host.RequestResetLinkAsync("roadrunner@acme.example");

        Assert.NotEqual(welcome, reset);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(reset));
    }

    [Fact]
    public async Task AResetRequest_ForADisabledAccount_SendsNothing()
    {
        await Host.ActAsAsync(AgentId);
        await Host.Get<PortalUserService>().SetEnabledAsync(Acme, WileId, enabled: false);
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Resets.RequestResetAsync(Wile);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AnAgent_SendsAResetEmailToAPortalUser()
    {
        await Host.ActAsAsync(AgentId);

        await Resets.SendResetEmailAsync(WileId);

        var (selector, verifier) = await Host.LinkFromLatestEmailAsync(Wile);
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));
        Assert.Equal(Wile, await Links.CompleteLinkAsync(selector, verifier, NewPassword, NewPassword));
    }

    [Fact]
    public async Task AnAgent_CannotSendAResetEmailToAnAgent()
    {
        var other = await Host.CreateAgentAsync("bo@example.com");
        await Host.ActAsAsync(AgentId);
        var (emails, links) = await CountEmailsAndLinksAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Resets.SendResetEmailAsync(other));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Resets.SendResetEmailAsync(_admin));

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task APortalUser_CannotSendResetEmails()
    {
        var coyote = await Host.CreatePortalUserAsync(Acme, "coyote@acme.example");
        await Host.ActAsAsync(coyote);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Resets.SendResetEmailAsync(WileId));
    }

    [Fact]
    public async Task AnAdmin_SendsAResetEmailToAnAgent()
    {
        await Host.ActAsAsync(_admin);

        await Resets.SendResetEmailAsync(AgentId);

        var (selector, verifier) = await Host.LinkFromLatestEmailAsync("alex@example.com");
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));
    }

    private async Task<(int Emails, int Links)> CountEmailsAndLinksAsync()
    {
        await using var db = await Host.OpenDbAsync();
        return (await db.OutboxEmails.CountAsync(), await db.PasswordLinks.CountAsync());
    }

    public sealed class OnSqlite() : PasswordResetServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : PasswordResetServiceTests(postgres);
}
