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
