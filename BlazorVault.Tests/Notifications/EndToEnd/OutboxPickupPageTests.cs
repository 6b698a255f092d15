using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Notifications.EndToEnd;

/// <summary>
/// A new installation without an SMTP server: the welcome email lands in the pickup folder and an administrator opens it from the Outbox.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class OutboxPickupPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreatePortalUserAsync(await _app.CreateCustomerAsync("Acme"), "Wile Coyote", "wile@acme.example");
    }

    [Fact]
    public async Task TheWelcomeEmail_IsInThePickupFolder_AndAnAdminOpensItsLinkFromTheOutbox()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/email/outbox");

        var sent = page.Locator("#outbox-table tr").Filter(new() { HasText = "wile@acme.example" }).Locator("[data-status=Sent]");
        for (var tries = 0; tries < 20 && await sent.CountAsync() == 0; tries++)
        {
            await page.Locator("#outbox-refresh").ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }

        await Assertions.Expect(sent).ToBeVisibleAsync();
        Assert.Single(Directory.GetFiles(Path.Combine(_app.DataDirectory, "mail"), "*.eml"));
        await page.Locator("[id^=open-email-]").First.ClickAsync();
        await Assertions.Expect(page.Locator("#opened-email-body")).ToContainTextAsync($"{_address.TrimEnd('/')}/account/password/");
        await admin.ScreenshotAsync("111-outbox-open-pickup-email");

        var link = (await page.Locator("#opened-email-body").InnerTextAsync())
            .Split('\n')
            .Single(l => l.Contains("/account/password/", StringComparison.Ordinal))
            .Trim();
        await using var wile = await BrowserSession.OpenAsync(browser, _address);
        await wile.Page.GotoAsync(link);
        await Assertions.Expect(wile.Page.Locator("#set-password-heading")).ToHaveTextAsync("Welcome: choose your password");
        await wile.ScreenshotAsync("112-welcome-set-password");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
