using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Settings.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class EmailSettingsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreateAgentAsync("Bob Admin", "bob@example.com", isAdmin: true);
    }

    [Fact]
    public async Task TwoAdminsOnTheSamePage_TheFirstSeesTheOthersSave_AndHerStaleSaveIsRefused_UntilSheReloads()
    {
        await using var ada = await BrowserSession.OpenAsync(browser, _address);
        await ada.SignInAsync("ada@example.com");
        await ada.GotoAsync("/config/email");
        await using var bob = await BrowserSession.OpenAsync(browser, _address);
        await bob.SignInAsync("bob@example.com");
        await bob.GotoAsync("/config/email");
        var notice = ada.Page.Locator("#settings-changed-email");
        await Assertions.Expect(notice).ToHaveCountAsync(0);

        await bob.Page.GetByLabel("From address").FillAsync("helpdesk@example.com");
        await bob.Page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(bob.Page.GetByText("Settings saved.")).ToBeVisibleAsync();

        await Assertions
            .Expect(notice)
            .ToContainTextAsync("Someone else saved these settings while you had them open. Reload to see their changes.");
        await Assertions.Expect(bob.Page.Locator("#settings-changed-email")).ToHaveCountAsync(0);
        await ada.Page.EvaluateAsync("window.scrollTo(0, 0)");
        await ada.ScreenshotAsync("55-email-settings-changed-by-someone-else");
        await ada.Page.GetByLabel("Admin notification address").FillAsync("security@example.com");
        await ada.Page.Locator("#save-settings").ClickAsync();
        await Assertions
            .Expect(ada.Page.Locator("#settings-error"))
            .ToHaveTextAsync("Someone else changed these settings; reload to see their changes");
        await ada.Page.EvaluateAsync("window.scrollTo(0, 0)");
        await ada.ScreenshotAsync("56-email-settings-stale-save-refused");
        var stored = await _app.AsSystemAsync<SettingsService, EmailSettings>(s => s.GetAsync<EmailSettings>());
        Assert.Equal(("helpdesk@example.com", (string?)null), (stored.FromAddress, stored.AdminNotificationAddress));

        await notice.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
        await Assertions.Expect(ada.Page.GetByLabel("From address")).ToHaveValueAsync("helpdesk@example.com");
        await Assertions.Expect(notice).ToHaveCountAsync(0);
        await ada.Page.GetByLabel("Admin notification address").FillAsync("security@example.com");
        await ada.Page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(ada.Page.GetByText("Settings saved.")).ToBeVisibleAsync();
        stored = await _app.AsSystemAsync<SettingsService, EmailSettings>(s => s.GetAsync<EmailSettings>());
        Assert.Equal(("helpdesk@example.com", "security@example.com"), (stored.FromAddress, stored.AdminNotificationAddress));
    }

    [Fact]
    public async Task BesideTheSmtpPassword_ThePageSaysAServerChangeRemovesIt_AndWarnsOnceTheServerIsEdited()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/email");
        await page.GetByLabel("SMTP host").FillAsync("smtp.example.com");
        await page.GetByLabel("SMTP user name").FillAsync("helpdesk");
        var password = page.Locator("[data-secret-setting=SmtpPassword]");
        await password.GetByLabel("Set SMTP password").FillAsync("smtp-page-canary-0b7d");
        await page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(password.Locator("[data-secret-state]")).ToHaveTextAsync("Set");
        var notice = password.Locator("[data-secret-notice]");
        await Assertions
            .Expect(notice)
            .ToHaveTextAsync("Changing the SMTP host, SMTP port or TLS mode removes the stored SMTP password; type it again to keep it.");

        await page.GetByLabel("SMTP host").FillAsync("mail.elsewhere.example");
        await page.GetByLabel("SMTP host").PressAsync("Tab");

        await Assertions
            .Expect(notice)
            .ToHaveTextAsync("The SMTP host changed: saving removes the stored SMTP password. Type it again to keep it.");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await admin.ScreenshotAsync("54-email-settings-smtp-password-notice");
        await page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(password.Locator("[data-secret-state]")).ToHaveTextAsync("Not set");
        Assert.False(
            await _app.AsSystemAsync<SettingsService, bool>(s => s.IsSecretSetAsync<EmailSettings>(EmailSettings.SmtpPasswordName))
        );
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
