using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Audit.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class AuditLogPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        var acme = await _app.CreateCustomerAsync("Acme");
        await _app.CreatePortalUserAsync(acme, "Wile E. Coyote", "wile@acme.example");
        var globex = await _app.CreateCustomerAsync("Globex");
        await _app.CreatePortalUserAsync(globex, "Hank Scorpio", "hank@globex.example");
    }

    [Fact]
    public async Task Admin_FiltersByActionAndCustomer_VerifiesTheChain_AndExportsCsv()
    {
        await using var session = await BrowserSession.OpenAsync(browser, _address);
        var page = session.Page;
        using (var stranger = _app.CreateRealClient())
        {
            await HttpForms.SignInAsync(stranger, "ada@example.com", "not the password");
        }

        await session.SignInAsync("ada@example.com");
        await session.GotoAsync("/config/audit");
        var rows = page.Locator("#audit-table tbody tr");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("sign-in.succeeded");
        await session.ScreenshotAsync("40-audit-log");

        await page.Locator("div.mud-select").Filter(new() { HasText = "Action" }).Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "sign-in.failed" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Ada Admin");
        await Assertions.Expect(rows.First).ToContainTextAsync("127.0.0.1");
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("div.mud-select")
            .Filter(new() { HasText = "Action" })
            .Last.Locator("button[aria-label*='Clear'], .mud-input-clear-button")
            .First.ClickAsync();
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("user.created");

        await page.GetByLabel("Customer", new() { Exact = true }).FillAsync("Glob");
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Globex" }).ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("user.created");
        await Assertions.Expect(rows.First).ToContainTextAsync("hank@globex.example");
        await session.ScreenshotAsync("41-audit-log-filtered");

        await page.Locator("#verify-chain").ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result")).ToContainTextAsync("Chain intact (");

        var href = await page.Locator("#export-csv").GetAttributeAsync("href");
        Assert.Contains("customer=", href, StringComparison.Ordinal);
        var csv = await page.APIRequest.GetAsync(href!);
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,occurred_at_utc,actor_id,actor,action", lines[0], StringComparison.Ordinal);
        Assert.Single(lines[1..]);
        Assert.Contains("user.created", lines[1], StringComparison.Ordinal);
        Assert.Contains("Globex", lines[1], StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
