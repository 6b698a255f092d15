using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Tickets.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class HelpdeskJourneyTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string OtherTicket = "Globex payroll export";

    /// <summary>Typed by the agent into the live dialog: travels over the circuit, must never be logged.</summary>
    private readonly string _wilePassword = $"wile-canary-{Guid.NewGuid():N}";
    private readonly AppFactory _app = new();
    private string _address = "";
    private int _otherTicketId;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");

        // Another customer's ticket, which the new portal user must never see.
        var globex = await _app.CreateCustomerAsync("Globex");
        var hank = await _app.CreatePortalUserAsync(globex, "Hank Scorpio", "hank@globex.example");
        _otherTicketId = await _app.CreateTicketAsync(globex, hank, OtherTicket);
    }

    [Fact]
    public async Task Agent_CreatesCustomerUserAndTicket_AndThePortalUserSeesOnlyThatTicket()
    {
        await using (var agent = await BrowserSession.OpenAsync(browser, _address))
        {
            var page = agent.Page;
            await agent.SignInAsync("ada@example.com");

            await agent.GotoAsync("/customers");
            await Assertions.Expect(page.Locator("#customer-table")).ToContainTextAsync("Globex");
            await page.Locator("#new-customer").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await dialog.GetByLabel("Name").First.FillAsync("Acme Corporation");
            await dialog.GetByLabel("Main email").FillAsync("not-an-email");
            await dialog.Locator("#save-customer").ClickAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("Enter a valid email address.");
            await agent.ScreenshotAsync("10-new-customer-dialog-error");
            await dialog.GetByLabel("Main email").FillAsync("it@acme.example");
            await dialog.Locator("#save-customer").ClickAsync();
            await Assertions.Expect(page.Locator("#customer-heading")).ToHaveTextAsync("Acme Corporation");
            await agent.ScreenshotAsync("11-customer-details");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Users" }).ClickAsync();
            await page.Locator("#add-portal-user").ClickAsync();
            dialog = page.Locator(".mud-dialog");
            await dialog.GetByLabel("Name").First.FillAsync("Wile E. Coyote");
            await dialog.GetByLabel("Email (sign-in name)").FillAsync("wile@acme.example");
            await dialog.GetByLabel("Initial password").FillAsync(_wilePassword);
            await agent.ScreenshotAsync("12-add-portal-user-dialog");
            await dialog.Locator("#save-portal-user").ClickAsync();
            await Assertions.Expect(page.Locator("#portal-users")).ToContainTextAsync("wile@acme.example");
            await agent.ScreenshotAsync("13-customer-users-tab");

            await page.GetByRole(AriaRole.Tab, new() { Name = "Tickets" }).ClickAsync();
            await page.Locator("#customer-new-ticket").ClickAsync();
            await agent.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByLabel("Customer", new() { Exact = true })).ToHaveValueAsync("Acme Corporation");
            await page.GetByLabel("Subject").FillAsync("Rocket skates keep exploding");
            await page.GetByLabel("Description").FillAsync("Third pair this week. Please advise.");
            await agent.ScreenshotAsync("14-new-ticket");
            await page.Locator("#create-ticket").ClickAsync();
            await Assertions.Expect(page.Locator("#ticket-heading")).ToContainTextAsync("Rocket skates keep exploding");
            await Assertions.Expect(page.Locator("#ticket-timeline")).ToContainTextAsync("created the ticket");

            await page.Locator("#comment-body").FillAsync("Checking with the manufacturer.");
            await page.Locator("#comment-internal").ClickAsync();
            await page.Locator("#add-comment").ClickAsync();
            await Assertions.Expect(page.Locator("#ticket-timeline")).ToContainTextAsync("Checking with the manufacturer.");
            await page.Locator("#ticket-actions button").First.ClickAsync();
            await Assertions.Expect(page.GetByText("Mark as resolved")).ToBeVisibleAsync();
            await agent.ScreenshotAsync("15-ticket-with-actions-menu");

            await agent.GotoAsync("/tickets");
            await Assertions.Expect(page.Locator("#ticket-table")).ToContainTextAsync("Rocket skates keep exploding");
            await Assertions.Expect(page.Locator("#ticket-table")).ToContainTextAsync(OtherTicket);
            await agent.ScreenshotAsync("16-ticket-list");

            // Filters: search text, status, customer.
            var rows = page.Locator("#ticket-table tbody tr.mud-table-row");
            await page.GetByLabel("Search").FillAsync("rocket");
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#ticket-table")).Not.ToContainTextAsync(OtherTicket);
            await page.GetByLabel("Search").FillAsync("");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            await ChooseAsync(page, "Status", "Closed");
            await Assertions.Expect(page.GetByText("No tickets match these filters.")).ToBeVisibleAsync();
            await ChooseAsync(page, "Status", "All statuses");
            await page.GetByLabel("Customer", new() { Exact = true }).FillAsync("Glob");
            await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Globex" }).ClickAsync();
            await Assertions.Expect(rows).ToHaveCountAsync(1);
            await Assertions.Expect(rows.First).ToContainTextAsync(OtherTicket);
            await agent.ScreenshotAsync("17-ticket-list-filtered");
        }

        await using var portal = await BrowserSession.OpenAsync(browser, _address);
        var portalPage = portal.Page;
        await portal.SignInAsync("wile@acme.example", _wilePassword);
        Assert.EndsWith("/portal", portalPage.Url, StringComparison.Ordinal);
        await Assertions.Expect(portalPage.Locator("#portal-welcome")).ToHaveTextAsync("Welcome, Wile E. Coyote");
        await Assertions.Expect(portalPage.Locator("#portal-ticket-list")).ToContainTextAsync("Rocket skates keep exploding");
        await Assertions.Expect(portalPage.Locator("#portal-ticket-list")).Not.ToContainTextAsync(OtherTicket);
        await portal.ScreenshotAsync("20-portal-home");

        await portalPage.GotoAsync("/portal/tickets");
        await Assertions.Expect(portalPage.Locator("#portal-ticket-list tbody tr")).ToHaveCountAsync(1);
        await portalPage.GetByRole(AriaRole.Link, new() { Name = "Rocket skates keep exploding" }).ClickAsync();
        await Assertions.Expect(portalPage.Locator("#ticket-heading")).ToContainTextAsync("Rocket skates keep exploding");
        await Assertions.Expect(portalPage.Locator("#ticket-timeline")).Not.ToContainTextAsync("Checking with the manufacturer.");
        await portalPage.GetByLabel("Reply to the helpdesk").FillAsync("They exploded again this morning.");
        await portalPage.Locator("#send-reply").ClickAsync();
        await Assertions.Expect(portalPage.Locator("#ticket-timeline")).ToContainTextAsync("They exploded again this morning.");
        await portal.ScreenshotAsync("21-portal-ticket");

        var response = await portalPage.GotoAsync($"/portal/tickets/{_otherTicketId}");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(portalPage.Locator("#not-found")).ToBeVisibleAsync();

        await portalPage.GotoAsync("/customers");
        await Assertions.Expect(portalPage.Locator("#access-denied")).ToHaveTextAsync("Access denied");
        await portal.ScreenshotAsync("22-portal-user-access-denied");

        await portalPage.GotoAsync("/portal/account");
        await Assertions.Expect(portalPage.Locator(".mud-main-content")).ToContainTextAsync("Acme Corporation");
        await portal.ScreenshotAsync("23-portal-account");
        await portalPage.Locator("#portal-sign-out").ClickAsync();
        await portalPage.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal));
        await portalPage.GotoAsync("/portal");
        Assert.Contains("/Account/Login", portalPage.Url, StringComparison.Ordinal);

        // Everything logged down to Trace, including the circuit's own traffic, is free of the typed password.
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(_wilePassword, _app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousVisitor_GetsTheSignInPage()
    {
        await using var anonymous = await BrowserSession.OpenAsync(browser, _address);
        await anonymous.Page.GotoAsync("/tickets");
        Assert.Contains("/Account/Login?ReturnUrl=%2Ftickets", anonymous.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(anonymous.Page.Locator("#sign-in-heading")).ToHaveTextAsync("Sign in");
    }

    private static async Task ChooseAsync(IPage page, string select, string option)
    {
        await page.Locator("div.mud-select").Filter(new() { HasText = select }).Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = option }).First.ClickAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
