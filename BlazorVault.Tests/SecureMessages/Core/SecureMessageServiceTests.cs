using System.Text;
using BlazorVault.Core.Common;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Security;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;

namespace BlazorVault.Tests.SecureMessages.Core;

/// <summary>The agents' side on SQLite and on PostgreSQL: who may create, what is checked, revoking, and no secrets at rest.</summary>
public abstract class SecureMessageServiceTests(ITestDatabaseSource databases) : SecureMessageTestBase(databases)
{
    [Fact]
    public async Task NeitherContentNorPassphraseNorVerifier_IsStoredInClearOrLogged_BeforeOrAfterViewing()
    {
        var link = await CreateWithPassphraseAsync(7);
        var (selector, verifier) = Split(link);
        Assert.DoesNotContain(verifier, link.ToString(), StringComparison.Ordinal);
        await AssertNoCanaryAsync(Content, Passphrase, verifier);

        Assert.Equal(Content, (await Redemption.RedeemAsync(selector, verifier, Passphrase, "203.0.113.7")).Content);

        await AssertNoCanaryAsync(Content, Passphrase, verifier);
    }

    [Fact]
    public async Task AnAgent_RevokesAnUnviewedMessage_AndTheLinkStopsWorking()
    {
        var link = await Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content, ExpiryDays = 7 });
        var (selector, verifier) = Split(link);
        Assert.Equal(SecureMessageStatus.Active, Assert.Single(await Messages.ListForTicketAsync(Ticket)).Status);

        await Messages.RevokeAsync(link.Id);

        Assert.Equal(SecureMessageStatus.Revoked, Assert.Single(await Messages.ListForTicketAsync(Ticket)).Status);
        Assert.Null((await StoredAsync(link.Id)).Ciphertext);
        Assert.Equal(RedeemOutcome.Unavailable, (await Redemption.RedeemAsync(selector, verifier, null, null)).Outcome);
        await Assert.ThrowsAsync<ValidationFailedException>(() => Messages.RevokeAsync(link.Id));
    }

    [Fact]
    public async Task OnlyAgentsCreate_OnlyWhenTheSettingIsOn_AndContentIsChecked()
    {
        var tooLong = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Messages.CreateAsync(Ticket, new SecureMessageInput { Content = new string('x', 10_001), ExpiryDays = 2 })
        );
        Assert.Equal(["Content", "ExpiryDays"], tooLong.Errors.Keys.Order());
        await Host.AsSystemAsync(async () =>
        {
            var tickets = await Host.Get<SettingsService>().GetAsync<TicketSettings>();
            tickets.SecureMessagesEnabled = false;
            await Host.Get<SettingsService>().SaveAsync(tickets);
            return true;
        });
        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content })
        );

        var customer = await Host.CreateCustomerAsync("Globex");
        await Host.ActAsAsync(await Host.CreatePortalUserAsync(customer, "x@globex.example"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Messages.CreateAsync(Ticket, new SecureMessageInput { Content = Content }));
    }

    private async Task AssertNoCanaryAsync(params string[] canaries)
    {
        var files = await Host.Database.ReadFilesAsync(Host.Paths.DataDirectory);
        foreach (var canary in canaries)
        {
            Assert.DoesNotContain(
                files,
                bytes =>
                    bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(canary)) >= 0
                    || bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(canary)) >= 0
            );
            Assert.DoesNotContain(canary, Host.Logs.All, StringComparison.Ordinal);
        }
    }

    public sealed class OnSqlite() : SecureMessageServiceTests(SqliteDatabases.Instance);

    public sealed class OnPostgreSql(PostgresServer postgres) : SecureMessageServiceTests(postgres);
}
