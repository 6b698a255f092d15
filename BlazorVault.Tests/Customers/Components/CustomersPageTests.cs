using BlazorVault.Components.Customers;
using BlazorVault.Core.Customers;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorVault.Tests.Customers.Components;

/// <summary>The customer list against the real CustomerService on a SQLite file.</summary>
public sealed class CustomersPageTests : MudBunitContext, IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("agent@example.com"));
        Services.AddSingleton(_host.Get<CustomerService>());
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void EachRow_CarriesTheLinkToItsCustomer_AndAClickOnTheRowLeavesTheNavigationToTheBrowser()
    {
        var page = Render<CustomersPage>();
        var row = page.WaitForElement("#customer-table tbody tr");

        Assert.Equal($"/customers/{_acme}", row.QuerySelector("a[data-row-link]")?.GetAttribute("href"));
        row.QuerySelector("td[data-label='Reference']")!.Click();

        // blazorvault.js follows the row's link in the browser; the circuit navigating too would open the customer twice.
        Assert.Empty(Services.GetRequiredService<BunitNavigationManager>().History);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
