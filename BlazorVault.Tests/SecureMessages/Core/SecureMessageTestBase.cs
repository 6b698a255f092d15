using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.SecureMessages.Entities;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace BlazorVault.Tests.SecureMessages.Core;

/// <summary>
/// What every secure-message test starts from, on SQLite and on PostgreSQL: secure messages on with a passphrase limit of 3, a
/// ticket raised by a portal user, an agent signed in, and a clock the test moves.
/// </summary>
public abstract class SecureMessageTestBase(ITestDatabaseSource databases) : IAsyncLifetime
{
    protected const string Content = "secure-canary-content-41d2";
    protected const string Passphrase = "secure-canary-passphrase-9e";

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    protected CoreTestHost Host { get; private set; } = default!;

    protected int Ticket { get; private set; }

    protected string Requester { get; private set; } = "";

    protected SecureMessageService Messages => Host.Get<SecureMessageService>();

    protected RedeemSecureMessageCommand Redemption => Host.Get<RedeemSecureMessageCommand>();

    public async ValueTask InitializeAsync()
    {
        Host = await CoreTestHost.StartAsync(time: Clock, databases: databases);
        var customer = await Host.CreateCustomerAsync("Acme");
        var requester = Requester = await Host.CreatePortalUserAsync(customer, "wile@acme.example");
        await Host.AsSystemAsync(async () =>
        {
            await Host.Get<SettingsService>().SaveAsync(new TicketSettings { SecureMessagesEnabled = true, PassphraseAttemptLimit = 3 });
            return true;
        });
        Ticket = await Host.AsSystemAsync(() =>
            Host.Get<TicketService>()
                .CreateAsync(
                    new NewTicketInput
                    {
                        CustomerId = customer,
                        RequesterId = requester,
                        Subject = "Wi-Fi",
                        Description = "New password please",
                    }
                )
        );
        await Host.ActAsAsync(await Host.CreateAgentAsync("alex@example.com"));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A message with <see cref="Content"/> behind <see cref="Passphrase"/> on the test ticket.</summary>
    protected Task<CreatedSecureMessage> CreateWithPassphraseAsync(int expiryDays) =>
        Messages.CreateAsync(
            Ticket,
            new SecureMessageInput
            {
                Content = Content,
                Passphrase = Passphrase,
                ExpiryDays = expiryDays,
            }
        );

    protected static (string Selector, string Verifier) Split(CreatedSecureMessage link)
    {
        var path = link.Path["/portal/secure/".Length..];
        var parts = path.Split('#');
        return (parts[0], parts[1]);
    }

    protected async Task<SecureMessage> StoredAsync(Guid id)
    {
        await using var db = await Host.OpenDbAsync();
        return await db.SecureMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
