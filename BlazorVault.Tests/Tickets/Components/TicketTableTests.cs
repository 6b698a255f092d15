using BlazorVault.Components.Tickets;
using BlazorVault.Core.Tickets;
using BlazorVault.Core.Tickets.Models;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorVault.Tests.Tickets.Components;

/// <summary>The ticket table against the real TicketService on a SQLite file.</summary>
public sealed class TicketTableTests : MudBunitContext, IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _ticket;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        var acme = await _host.CreateCustomerAsync("Acme");
        var wile = await _host.CreatePortalUserAsync(acme, "wile@acme.example");
        _ticket = await _host.AsSystemAsync(() =>
            _host
                .Get<TicketService>()
                .CreateAsync(
                    new NewTicketInput
                    {
                        CustomerId = acme,
                        RequesterId = wile,
                        Subject = "Printer jams",
                        Description = "Floor 3.",
                    }
                )
        );
        await _host.ActAsAsync(await _host.CreateAgentAsync("agent@example.com"));
        Services.AddSingleton(_host.Get<TicketService>());
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void EachRow_CarriesTheLinkToItsTicket_AndAClickOnTheRowLeavesTheNavigationToTheBrowser()
    {
        var table = Render<TicketTable>();
        var row = table.WaitForElement("#ticket-table tbody tr");

        Assert.Equal($"/tickets/{_ticket}", row.QuerySelector("a[data-row-link]")?.GetAttribute("href"));
        row.QuerySelector("td[data-label='Subject']")!.Click();

        // blazorvault.js follows the row's link in the browser; the circuit navigating too would open the ticket twice.
        Assert.Empty(Services.GetRequiredService<BunitNavigationManager>().History);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
