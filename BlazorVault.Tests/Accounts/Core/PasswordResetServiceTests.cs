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
/// Asking for a reset link on a real SQLite file: "Forgotten Password?" telling no one who has an account and sending
/// at most one email per interval, and who may send a reset email to whom.
/// </summary>
public sealed class PasswordResetServiceTests : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string NewPassword = "purple tractor on a quiet hill";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    private CoreTestHost _host = default!;
    private int _acme;
    private string _wile = "";
    private string _agent = "";
    private string _admin = "";

    private PasswordResetService Resets => _host.Get<PasswordResetService>();

    private PasswordLinkService Links => _host.Get<PasswordLinkService>();

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync(time: _clock);
        _acme = await _host.CreateCustomerAsync("Acme");
        _wile = await _host.CreatePortalUserAsync(_acme, Wile);
        _agent = await _host.CreateAgentAsync("alex@example.com");
        _admin = await _host.CreateAgentAsync("ada@example.com", isAdmin: true);
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
        Assert.Equal(new BlazorVault.Core.Notifications.Models.OutboxDeliveryResult(0, 0, 0), await _host.DeliverAsync());
    }

    [Fact]
    public async Task AResetRequest_IgnoresCaseAndSpaces_OfTheAddress()
    {
        var (emails, _) = await CountEmailsAndLinksAsync();

        await Resets.RequestResetAsync("  WILE@Acme.Example ");

        Assert.Equal(emails + 1, (await CountEmailsAndLinksAsync()).Emails);
        var (selector, verifier) = await _host.LinkFromLatestEmailAsync(Wile);
        Assert.True((await Links.PreviewLinkAsync(selector)).IsUsable);
    }

    [Fact]
    public async Task ASecondResetRequest_WithinTwoMinutes_SendsNoSecondEmail()
    {
        await Resets.RequestResetAsync(Wile);
        var (emails, links) = await CountEmailsAndLinksAsync();

        _clock.Advance(PasswordResetService.ResendInterval - TimeSpan.FromSeconds(1));
        await Resets.RequestResetAsync(Wile);
        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Resets.RequestResetAsync(Wile);
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

        await Resets.RequestResetAsync(Wile);

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task AnAgent_SendsAResetEmailToAPortalUser()
    {
        await _host.ActAsAsync(_agent);

        await Resets.SendResetEmailAsync(_wile);

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

        await Assert.ThrowsAsync<AccessDeniedException>(() => Resets.SendResetEmailAsync(other));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Resets.SendResetEmailAsync(_admin));

        Assert.Equal((emails, links), await CountEmailsAndLinksAsync());
    }

    [Fact]
    public async Task APortalUser_CannotSendResetEmails()
    {
        var coyote = await _host.CreatePortalUserAsync(_acme, "coyote@acme.example");
        await _host.ActAsAsync(coyote);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Resets.SendResetEmailAsync(_wile));
    }

    [Fact]
    public async Task AnAdmin_SendsAResetEmailToAnAgent()
    {
        await _host.ActAsAsync(_admin);

        await Resets.SendResetEmailAsync(_agent);

        var (selector, verifier) = await _host.LinkFromLatestEmailAsync("alex@example.com");
        Assert.Equal(new PasswordLinkPreview(true, PasswordLinkPurpose.Reset), await Links.PreviewLinkAsync(selector));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private async Task<(int Emails, int Links)> CountEmailsAndLinksAsync()
    {
        await using var db = await _host.OpenDbAsync();
        return (await db.OutboxEmails.CountAsync(), await db.PasswordLinks.CountAsync());
    }
}
