using BlazorVault.Core.Customers;
using BlazorVault.Core.Customers.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Customers.EndToEnd;

/// <summary>
/// A customer row opens the customer like a link: from the first moment it is on screen, once, and in a new tab on request.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class CustomerRowsTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _acme = await _app.AsSystemAsync<CustomerService, int>(s =>
            s.CreateAsync(new CustomerInput { Name = "Acme", Reference = "ACME-01" })
        );
    }

    [Fact]
    public async Task AClickOnACustomerRow_TheMomentItAppears_OpensTheCustomerOnce_AndACtrlClickOpensItInANewTab()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("ada@example.com");

        await RowClicks.OpenAndClickTheMomentItAppearsAsync(page, "/customers", "#customer-table tbody tr td[data-label='Reference']");
        await Assertions.Expect(page.Locator("#customer-heading")).ToHaveTextAsync("Acme");
        Assert.EndsWith($"/customers/{_acme}", page.Url, StringComparison.Ordinal);
        await RowClicks.AssertOneNavigationAsync(page);
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{_address}/customers");

        await agent.GotoAsync("/customers");
        var row = page.Locator("#customer-table tbody tr", new() { HasText = "Acme" });
        await agent.ScreenshotAsync("18-customers-list-row-links");
        var tab = await page.Context.RunAndWaitForPageAsync(() =>
            row.Locator("td[data-label='Reference']").ClickAsync(new() { Modifiers = [KeyboardModifier.ControlOrMeta] })
        );
        await Assertions.Expect(tab.Locator("#customer-heading")).ToHaveTextAsync("Acme");
        Assert.EndsWith($"/customers/{_acme}", tab.Url, StringComparison.Ordinal);
        await Assertions.Expect(page).ToHaveURLAsync($"{_address}/customers");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
