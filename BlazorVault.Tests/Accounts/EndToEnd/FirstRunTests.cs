using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Accounts.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class FirstRunTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private BrowserSession _session = default!;

    public async ValueTask InitializeAsync() => _session = await BrowserSession.OpenAsync(browser, _app.StartAndGetAddress());

    [Fact]
    public async Task FirstVisit_LeadsToSetup_WhichCreatesTheAdministratorOnce()
    {
        var page = _session.Page;

        await page.GotoAsync("/customers");
        Assert.EndsWith("/setup", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#setup-heading")).ToHaveTextAsync("Create the first administrator");
        await _session.ScreenshotAsync("01-first-run-setup");

        await page.GetByLabel("Your name").FillAsync("Ada Admin");
        await page.GetByLabel("Email (your sign-in name)").FillAsync("ada@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("short");
        await page.GetByLabel("Confirm password").FillAsync("short");
        await page.Locator("#create-admin").ClickAsync();
        await Assertions
            .Expect(page.Locator(".validation-message").Filter(new() { HasText = "at least 12 characters" }))
            .ToBeVisibleAsync();
        await _session.ScreenshotAsync("02-first-run-setup-too-short");

        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestPasswords.Default);
        await page.GetByLabel("Confirm password").FillAsync(TestPasswords.Default);
        await page.Locator("#create-admin").ClickAsync();

        // Commit, not load: the assertions below wait for what the person sees; a busy machine may be slow to fire load.
        await page.WaitForURLAsync(url => url.EndsWith('/'), new() { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
        await _session.WaitForInteractiveAsync();
        await Assertions.Expect(page.GetByText("Welcome, Ada Admin")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Configuration" })).ToBeVisibleAsync();
        await _session.ScreenshotAsync("03-admin-home");

        // Gone for good: the setup page now answers 404 and no longer creates anyone.
        var response = await page.GotoAsync("/setup");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.Locator("#not-found")).ToBeVisibleAsync();

        // Sign out from the user menu, then sign back in.
        await _session.GotoAsync("/");
        await page.Locator(".mud-appbar").GetByText("Ada Admin").ClickAsync();
        await Assertions.Expect(page.GetByText("My Account")).ToBeVisibleAsync();
        await _session.ScreenshotAsync("05-user-menu");
        await page.GetByText("Sign out").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.Ordinal));
        await _session.ScreenshotAsync("06-sign-in");
        await _session.SignInAsync("ada@example.com");
        await Assertions.Expect(page.GetByText("Welcome, Ada Admin")).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        await _app.DisposeAsync();
    }
}
