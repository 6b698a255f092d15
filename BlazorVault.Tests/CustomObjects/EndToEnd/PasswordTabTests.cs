using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.CustomObjects.EndToEnd;

/// <summary>
/// An agent stores a customer's password, sees it masked, reveals it, watches it hide, and finds the reveal in the Access log.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class PasswordTabTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "Wi-Fi canary 7c1e-Acme!";

    private readonly AppFactory _app = new();
    private string _address = "";
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreateAgentAsync("Alex Agent", "alex@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        await _app.CreatePortalUserAsync(_acme, "Wile Coyote", "wile@acme.example");
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new VaultSettings { RevealSeconds = 5 });
            return true;
        });
    }

    [Fact]
    public async Task AnAdminAddsAField_ThenAnAgentStoresAPassword_SeesItMasked_RevealsIt_WatchesItHide_AndFindsTheRevealInTheAccessLog()
    {
        await using (var admin = await BrowserSession.OpenAsync(browser, _address))
        {
            var adminPage = admin.Page;
            await admin.SignInAsync("ada@example.com");
            await admin.GotoAsync("/config/custom-objects");
            var passwords = adminPage.Locator("[data-custom-table='Passwords']");
            await Assertions.Expect(passwords.Locator("[data-field-row]")).ToHaveCountAsync(6);
            await Assertions.Expect(adminPage.Locator("[data-customer-field='Passwords']")).ToContainTextAsync("Passwords");
            await passwords.Locator("[data-action=add-field]").ClickAsync();
            await adminPage.Locator("#field-label").FillAsync("Alarm PIN");
            await adminPage.Locator(".mud-dialog div.mud-select").Filter(new() { HasText = "Input type" }).Last.ClickAsync();
            await adminPage.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Password" }).First.ClickAsync();
            await Assertions.Expect(adminPage.Locator(".mud-dialog")).ToContainTextAsync("every reveal is audited");
            await admin.ScreenshotAsync("79-custom-objects-add-field");
            await adminPage.Locator("#save-field").ClickAsync();
            await Assertions.Expect(passwords.Locator("[data-field-row='Alarm PIN']")).ToContainTextAsync("Password (encrypted)");

            // A Customer field with a value per customer, beside the Passwords tab.
            var customerFields = adminPage.Locator("#customer-fields").Locator("xpath=..");
            await customerFields.GetByLabel("Label").FillAsync("Contract level");
            await customerFields.Locator("div.mud-select").Filter(new() { HasText = "Type of field" }).Last.ClickAsync();
            await adminPage.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Single-select" }).ClickAsync();
            await customerFields.GetByLabel("Options, one per line").FillAsync("Bronze\nSilver\nGold");
            await adminPage.Locator("#add-customer-field").ClickAsync();
            await Assertions.Expect(adminPage.Locator("[data-customer-field='Contract level']")).ToContainTextAsync("Bronze, Silver, Gold");
            await admin.ScreenshotAsync("79b-custom-objects-passwords-table");
        }

        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("alex@example.com");
        await agent.GotoAsync($"/customers/{_acme}");
        await Assertions.Expect(page.Locator("#customer-custom-fields")).ToContainTextAsync("Contract level");
        await page.Locator("#edit-custom-fields").ClickAsync();
        await page.Locator(".mud-dialog [data-field='Contract level'] div.mud-select").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Gold" }).ClickAsync();
        await page.Locator("#save-vault-row").ClickAsync();
        await Assertions.Expect(page.Locator("#customer-custom-fields")).ToContainTextAsync("Gold");
        await agent.ScreenshotAsync("79c-customer-custom-fields");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        await Assertions
            .Expect(page.Locator("[data-vault-table]"))
            .ToContainTextAsync("Nothing stored in Passwords for this customer yet.");
        await Assertions.Expect(page.Locator("[data-vault-table] thead")).ToContainTextAsync("Alarm PIN");
        await agent.ScreenshotAsync("80-passwords-tab-empty");

        await page.Locator("[data-vault-add]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.Locator("[data-field='Type of password'] div.mud-select").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Wi-Fi" }).ClickAsync();
        await dialog.Locator("[data-field='User'] div.mud-select").Last.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Wile Coyote" }).ClickAsync();
        await dialog.Locator("[data-field='Username'] input").FillAsync("acme-guest");
        await dialog.Locator("[data-field='Password'] input").FillAsync(Password);
        await dialog.Locator("[data-field='URL'] input").FillAsync("https://wifi.acme.example");
        await agent.ScreenshotAsync("81-add-password-dialog");
        await page.Locator("#save-vault-row").ClickAsync();

        var row = page.Locator("[data-vault-table] tbody tr.mud-table-row").First;
        var cell = row.Locator("[data-secret-cell]");
        await Assertions.Expect(row).ToContainTextAsync("acme-guest");
        await Assertions.Expect(row).ToContainTextAsync("Wile Coyote");
        await Assertions.Expect(cell.Locator(".bv-secret")).ToHaveTextAsync("••••••••");
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        await agent.ScreenshotAsync("82-password-masked");

        await cell.Locator("[data-action=reveal]").ClickAsync();
        await Assertions.Expect(cell.Locator(".bv-secret")).ToHaveTextAsync(Password);
        await Assertions.Expect(row.Locator("[data-last-revealed]")).ToContainTextAsync("Last revealed by Alex Agent, just now");
        await agent.ScreenshotAsync("83-password-revealed");

        // The Vault setting says 5 seconds: the value goes away by itself.
        await Assertions.Expect(cell.Locator(".bv-secret")).ToHaveTextAsync("••••••••", new() { Timeout = 10_000 });
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        await agent.ScreenshotAsync("84-password-hidden-again");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Access log" }).ClickAsync();
        var log = page.Locator("[data-access-log]");
        await Assertions.Expect(log.Locator("[data-access-event='vault.revealed']")).ToContainTextAsync("Alex Agent");
        await Assertions.Expect(log.Locator("[data-access-event='vault.revealed']")).ToContainTextAsync("Passwords · Password");
        await Assertions.Expect(log.Locator("[data-access-event='vault.row-created']")).ToHaveCountAsync(1);
        await agent.ScreenshotAsync("85-access-log");

        // The prerendered page a browser first receives never carries the value either.
        using var client = _app.CreateRealClient();
        await HttpForms.SignInAsync(client, "alex@example.com");
        Assert.DoesNotContain(Password, await client.GetStringAsync($"/customers/{_acme}"), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
