using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Tickets.EndToEnd;

/// <summary>
/// A ticket row opens the ticket like a link, on the Tickets page and on the customer's Tickets tab: from the first moment
/// it is on screen, once, and in a new tab on a middle click.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class TicketRowsTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Subject = "Printer on floor 3 jams";

    private readonly AppFactory _app = new();
    private string _address = "";
    private int _acme;
    private int _ticket;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        var wile = await _app.CreatePortalUserAsync(_acme, "Wile Coyote", "wile@acme.example");
        _ticket = await _app.CreateTicketAsync(_acme, wile, Subject);
    }

    [Fact]
    public async Task AClickOnATicketRow_TheMomentItAppears_OpensTheTicketOnce_AndAMiddleClickOpensItInANewTab()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("ada@example.com");

        await RowClicks.OpenAndClickTheMomentItAppearsAsync(page, "/tickets", "#ticket-table tbody tr td[data-label='Subject']");
        await Assertions.Expect(page.Locator("#ticket-heading")).ToContainTextAsync(Subject);
        Assert.EndsWith($"/tickets/{_ticket}", page.Url, StringComparison.Ordinal);
        await RowClicks.AssertOneNavigationAsync(page);
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{_address}/tickets");

        await agent.GotoAsync($"/customers/{_acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Tickets" }).ClickAsync();
        var row = page.Locator("#ticket-table tbody tr", new() { HasText = Subject });
        await agent.ScreenshotAsync("19-customer-tickets-tab-row-links");
        var tab = await page.Context.RunAndWaitForPageAsync(() =>
            row.Locator("td[data-label='Requester']").ClickAsync(new() { Button = MouseButton.Middle })
        );
        await Assertions.Expect(tab.Locator("#ticket-heading")).ToContainTextAsync(Subject);
        Assert.EndsWith($"/tickets/{_ticket}", tab.Url, StringComparison.Ordinal);
        await Assertions.Expect(page).ToHaveURLAsync($"{_address}/customers/{_acme}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
