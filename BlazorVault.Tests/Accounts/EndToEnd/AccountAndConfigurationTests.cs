using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Accounts.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class AccountAndConfigurationTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string NewPassword = "a much longer passphrase for ada";
    private readonly AppFactory _app = new();
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
    }

    [Fact]
    public async Task Admin_AddsAnAgent_WhoSignsInWithoutConfiguration_AndChangesTheirPassword()
    {
        await using (var admin = await BrowserSession.OpenAsync(browser, _address))
        {
            var page = admin.Page;
            await admin.SignInAsync("ada@example.com");
            await page.GetByRole(AriaRole.Link, new() { Name = "Configuration" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Manage agents")).ToBeVisibleAsync();
            await admin.ScreenshotAsync("30-configuration");

            await page.Locator("#config-agents").ClickAsync();
            await page.Locator("#add-agent").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await dialog.GetByLabel("Name").First.FillAsync("Alex Agent");
            await dialog.GetByLabel("Email (sign-in name)").FillAsync("alex@example.com");
            await dialog.GetByLabel("Initial password").FillAsync(TestPasswords.Default);
            await dialog.Locator("#save-agent").ClickAsync();
            await Assertions.Expect(page.Locator("#agent-table")).ToContainTextAsync("alex@example.com");
            await Assertions.Expect(page.Locator("#agent-table")).ToContainTextAsync("Ada Admin (you)");
            await admin.ScreenshotAsync("31-agents");

            // Dark mode is remembered across pages, including the statically rendered account pages.
            await page.Locator("#theme-toggle").ClickAsync();
            for (var i = 0; i < 50 && !(await page.Context.CookiesAsync()).Any(c => c is { Name: "bv-theme", Value: "dark" }); i++)
            {
                // The toggle writes the cookie through JS interop: wait for it before leaving the page.
                await page.WaitForTimeoutAsync(100);
            }

            await admin.GotoAsync("/customers");
            await admin.ScreenshotAsync("32-customers-dark");
            await page.GotoAsync("/Account/Manage");
            await admin.ScreenshotAsync("33-my-account-dark");
            var cookies = await page.Context.CookiesAsync();
            Assert.Contains(cookies, c => c is { Name: "bv-theme", Value: "dark" });
        }

        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var agentPage = agent.Page;
        await agent.SignInAsync("alex@example.com");
        await Assertions.Expect(agentPage.GetByText("Welcome, Alex Agent")).ToBeVisibleAsync();
        await Assertions.Expect(agentPage.GetByRole(AriaRole.Link, new() { Name = "Configuration" })).ToHaveCountAsync(0);

        await agentPage.GotoAsync("/Account/Manage/ChangePassword");
        await agentPage.GetByLabel("Current password").FillAsync(TestPasswords.Default);
        await agentPage.GetByLabel("New password", new() { Exact = true }).FillAsync("too short");
        await agentPage.GetByLabel("Confirm new password").FillAsync("too short");
        await agentPage.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
        await Assertions.Expect(agentPage.Locator("#new-password-error")).ToContainTextAsync("at least 12 characters");
        await agent.ScreenshotAsync("34-change-password-error");

        await agentPage.GetByLabel("Current password").FillAsync(TestPasswords.Default);
        await agentPage.GetByLabel("New password", new() { Exact = true }).FillAsync(NewPassword);
        await agentPage.GetByLabel("Confirm new password").FillAsync(NewPassword);
        await agentPage.GetByRole(AriaRole.Button, new() { Name = "Update password" }).ClickAsync();
        await Assertions.Expect(agentPage.Locator(".bv-alert-success")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("35-change-password-done");

        await using var fresh = await BrowserSession.OpenAsync(browser, _address);
        await fresh.SignInAsync("alex@example.com", NewPassword);
        await Assertions.Expect(fresh.Page.GetByText("Welcome, Alex Agent")).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
