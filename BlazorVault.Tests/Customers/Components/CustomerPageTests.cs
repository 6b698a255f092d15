using BlazorVault.Components.Customers;
using BlazorVault.Core.Customers;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Entities;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorVault.Tests.Customers.Components;

/// <summary>An open customer page against the real Core services on a SQLite file, while an administrator changes custom objects.</summary>
public sealed class CustomerPageTests : MudBunitContext, IAsyncLifetime
{
    private CoreTestHost _host = default!;
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        _acme = await _host.CreateCustomerAsync("Acme");
        await _host.ActAsAsync(await _host.CreateAgentAsync("ada@example.com", isAdmin: true));
        Services.AddSingleton(_host.Get<CustomerService>());
        Services.AddSingleton(_host.Get<CustomerVaultService>());
        Services.AddSingleton(_host.Get<CustomerFieldService>());
        Services.AddSingleton(_host.Get<PortalUserService>());
        Services.AddSingleton(_host.Get<ISettingsChangeNotifier>());
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task ACustomerTabOrFieldAddedOrRemovedByAnAdministrator_ShowsOnTheOpenPageAtOnce()
    {
        var page = Render<CustomerPage>(parameters => parameters.Add(p => p.Id, _acme));
        page.WaitForElement("#customer-heading");
        Assert.DoesNotContain("Licences", page.Markup, StringComparison.Ordinal);

        var table = await _host.Get<CustomTableService>().CreateTableAsync(new CustomTableInput { Name = "Licences" });
        var tab = await _host
            .Get<CustomerFieldService>()
            .AddAsync(new CustomerFieldInput { Label = "Licences", LinkedTableId = table }, Xunit.TestContext.Current.CancellationToken);
        await _host
            .Get<CustomerFieldService>()
            .AddAsync(
                new CustomerFieldInput { Label = "Contract level", Type = CustomFieldType.Text },
                Xunit.TestContext.Current.CancellationToken
            );

        page.WaitForAssertion(() => Assert.Contains("Licences", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(2));
        page.WaitForAssertion(() => Assert.NotNull(page.Find("#customer-custom-fields")), TimeSpan.FromSeconds(2));
        Assert.Contains("Contract level", page.Find("#customer-custom-fields").TextContent, StringComparison.Ordinal);

        await _host.Get<CustomerFieldService>().DeleteAsync(tab, Xunit.TestContext.Current.CancellationToken);
        page.WaitForAssertion(() => Assert.DoesNotContain("Licences", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(2));
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
