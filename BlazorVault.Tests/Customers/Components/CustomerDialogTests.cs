using BlazorVault.Components.Customers;
using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Tests.Infrastructure;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace BlazorVault.Tests.Customers.Components;

/// <summary>The dialog against the real CustomerService on a SQLite file: Core's rules, shown beside the fields.</summary>
public sealed class CustomerDialogTests : MudBunitContext, IAsyncLifetime
{
    private CoreTestHost _host = default!;

    public async ValueTask InitializeAsync()
    {
        _host = await CoreTestHost.StartAsync();
        await _host.ActAsAsync(await _host.CreateAgentAsync("agent@example.com"));
        Services.AddSingleton(_host.Get<CustomerService>());
    }

    [Fact]
    public async Task Save_ShowsEachCoreErrorBesideItsField_AndKeepsTheDialogOpen()
    {
        await _host.Get<CustomerService>().CreateAsync(new CustomerInput { Name = "Acme" });
        var (provider, dialog) = await OpenAsync();

        provider.Find("#customer-name").Change("acme");
        provider.Find("#customer-email").Change("not-an-email");
        provider.Find("#save-customer").Click();
        Assert.Equal(["Enter a valid email address."], FieldErrors(provider));

        provider.Find("#customer-email").Change("it@acme.example");
        provider.Find("#save-customer").Click();
        Assert.Equal([CustomerService.DuplicateName], FieldErrors(provider));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal(1, (await _host.Get<CustomerService>().ListAsync(new CustomerQuery())).TotalCount);
    }

    [Fact]
    public async Task Save_WithValidFields_CreatesTheCustomerAndReturnsItsId()
    {
        var (provider, dialog) = await OpenAsync();

        provider.Find("#customer-name").Change("Globex");
        provider.Find("#save-customer").Click();

        var result = await dialog.Result;
        var id = Assert.IsType<int>(result!.Data);
        Assert.Equal("Globex", (await _host.Get<CustomerService>().GetAsync(id)).Name);
    }

    private static string[] FieldErrors(IRenderedComponent<MudDialogProvider> provider) =>
        [.. provider.FindAll(".mud-input-helper-text.mud-input-error").Select(e => e.TextContent.Trim())];

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenAsync()
    {
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        var dialog = await provider.InvokeAsync(() => dialogs.ShowAsync<CustomerDialog>("New customer"));
        return (provider, dialog);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
    }
}
