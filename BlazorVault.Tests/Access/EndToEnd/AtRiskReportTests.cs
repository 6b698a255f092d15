using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.EndToEnd;

/// <summary>
/// Offboarding: an agent reveals a customer's password, an administrator disables the agent, Configuration &gt; Agents says
/// "1 password at risk", the report lists it, Mark for rotation shows "Needs rotation" on the customer's tab (live, on a
/// page already open) and on the Home page, and the tab's filter finds it.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class AtRiskReportTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "At-risk canary 7c1d-Acme!";
    private const string Reason = "Sam left the company";

    private readonly AppFactory _app = new();
    private string _address = "";
    private int _acme;
    private int _row;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreateAgentAsync("Sam Support", "sam@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "backup@acme", [PasswordField] = "Other-Value-1!" })
            )
        );
        _row = await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "admin@acme", [PasswordField] = Password })
            )
        );
    }

    [Fact]
    public async Task AnAgentRevealsAPassword_IsDisabled_AndTheAdministratorMarksItForRotationFromTheReport()
    {
        await using (var agent = await BrowserSession.OpenAsync(browser, _address))
        {
            await agent.SignInAsync("sam@example.com");
            await agent.GotoAsync($"/customers/{_acme}");
            await agent.Page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
            var cell = agent.Page.Locator("tr", new() { HasText = "admin@acme" }).Locator("[data-secret-cell]");
            await cell.Locator("[data-action=reveal]").ClickAsync();
            await Assertions.Expect(cell).ToContainTextAsync(Password);
        }

        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await using var watcher = await BrowserSession.OpenAsync(browser, _address);
        await watcher.SignInAsync("ada@example.com");
        await watcher.GotoAsync($"/customers/{_acme}?table={PasswordsTable}");
        await Assertions.Expect(watcher.Page.Locator("[data-vault-table]")).ToContainTextAsync("admin@acme");
        await Assertions.Expect(watcher.Page.Locator("[data-needs-rotation]")).ToHaveCountAsync(0);

        await admin.GotoAsync("/config/agents");
        var sam = page.Locator("#agent-table tbody tr", new() { HasText = "Sam Support" });
        await Assertions.Expect(sam.Locator("[data-at-risk]")).ToHaveCountAsync(0);
        await sam.Locator("[data-action=row-menu]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = "Disable sign-in" }).ClickAsync();
        await Assertions.Expect(sam.Locator("[data-at-risk]")).ToHaveTextAsync("1 password at risk");
        await admin.ScreenshotAsync("160-agents-password-at-risk");

        await sam.Locator("[data-at-risk]").ClickAsync();
        await admin.WaitForInteractiveAsync();
        var report = page.Locator("#at-risk-table");
        await Assertions.Expect(page.Locator("#at-risk-count")).ToHaveTextAsync("1 password at risk");
        var reported = report.Locator("tbody tr", new() { HasText = "admin@acme" });
        await Assertions.Expect(reported).ToContainTextAsync("Acme");
        await Assertions.Expect(reported).ToContainTextAsync("Passwords");
        await Assertions.Expect(reported).ToContainTextAsync("revealed");
        await Assertions.Expect(report.Locator("tbody tr", new() { HasText = "backup@acme" })).ToHaveCountAsync(0);
        await admin.ScreenshotAsync("161-passwords-at-risk");
        var prerendered = await page.APIRequest.GetAsync(page.Url);
        Assert.Contains("admin@acme", await prerendered.TextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await prerendered.TextAsync(), StringComparison.Ordinal);

        var csv = await page.APIRequest.GetAsync((await page.Locator("#at-risk-csv").GetAttributeAsync("href"))!);
        Assert.Equal(200, csv.Status);
        Assert.StartsWith("text/csv", csv.Headers["content-type"], StringComparison.Ordinal);
        var text = await csv.TextAsync();
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("customer_id,customer,table,row_id,row,field,last_revealed_at_utc", lines[0], StringComparison.Ordinal);
        Assert.Contains($",Acme,Passwords,{_row},admin@acme,Password,", Assert.Single(lines[1..]), StringComparison.Ordinal);

        await reported.Locator($"input[data-select-row='{_row}']").CheckAsync();
        await page.Locator("#mark-selected").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("#rotation-reason").FillAsync(Reason);
        await admin.ScreenshotAsync("162-mark-for-rotation");
        await dialog.Locator("#confirm-rotation").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(reported.Locator("[data-needs-rotation]")).ToBeVisibleAsync();
        await Assertions.Expect(reported).ToContainTextAsync(Reason);
        await admin.ScreenshotAsync("163-passwords-at-risk-marked");

        // The administrator's other page, open on the tab all along, shows the chip without a reload.
        var marked = watcher.Page.Locator("tr", new() { HasText = "admin@acme" }).Locator("[data-needs-rotation]");
        await Assertions.Expect(marked).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Assertions.Expect(marked).ToContainTextAsync("Needs rotation");
        await Assertions.Expect(watcher.Page.Locator("[data-needs-rotation]")).ToHaveCountAsync(1);
        await watcher.ScreenshotAsync("164-passwords-tab-needs-rotation");
        await watcher.Page.GetByLabel("Needs rotation", new() { Exact = true }).CheckAsync();
        await Assertions.Expect(watcher.Page.Locator("[data-vault-table] tbody tr", new() { HasText = "backup@acme" })).ToHaveCountAsync(0);
        await Assertions.Expect(watcher.Page.Locator("[data-vault-table]")).ToContainTextAsync("admin@acme");
        await watcher.ScreenshotAsync("165-passwords-tab-needs-rotation-filter");

        await admin.GotoAsync("/");
        var due = page.Locator($"#to-rotate [data-to-rotate='{_row}']");
        await Assertions.Expect(due).ToContainTextAsync("admin@acme");
        await Assertions.Expect(due).ToContainTextAsync(Reason);
        await admin.ScreenshotAsync("166-home-passwords-to-rotate");
        await due.GetByRole(AriaRole.Link, new() { Name = "admin@acme" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Passwords", Selected = true })).ToBeVisibleAsync();
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
