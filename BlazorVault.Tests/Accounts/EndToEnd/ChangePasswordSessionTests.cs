using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Accounts.EndToEnd;

/// <summary>
/// My Account &gt; Change password in Chromium, with the same person signed in in a second browser context: the
/// session that changed the password stays signed in on every page, also once the cookie's security stamp is
/// checked again, and the other session ends. Rather than waiting for the stamp validation interval, the test moves
/// the validator's own clock past it.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class ChangePasswordSessionTests : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string Alex = "alex@example.com";
    private const string NewPassword = "harbour-lantern-62-quartz";
    private const string IdentityCookie = ".AspNetCore.Identity.Application";

    private readonly BrowserFixture _browser;
    private readonly FakeTimeProvider _stampClock = new(DateTimeOffset.UtcNow);
    private readonly AppFactory _app;
    private string _address = "";

    public ChangePasswordSessionTests(BrowserFixture browser)
    {
        _browser = browser;
        _app = new AppFactory(services: s => s.Configure<SecurityStampValidatorOptions>(o => o.TimeProvider = _stampClock));
    }

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreateAgentAsync("Alex Agent", Alex);
        var acme = await _app.CreateCustomerAsync("Acme");
        var wile = await _app.CreatePortalUserAsync(acme, "Wile Coyote", Wile);
        await _app.CreateTicketAsync(acme, wile, "Printer on fire");
    }

    [Fact]
    public async Task APortalUser_ChangingThePassword_StaysSignedInOnEveryPage_AndTheOtherSessionEnds() =>
        await ChangePasswordInOneOfTwoSessionsAsync(
            Wile,
            "120-portal",
            [("/portal", "Welcome, Wile Coyote"), ("/portal/tickets", "Printer on fire"), ("/portal/account", Wile)]
        );

    [Fact]
    public async Task AnAgent_ChangingThePassword_StaysSignedInOnEveryPage_AndTheOtherSessionEnds() =>
        await ChangePasswordInOneOfTwoSessionsAsync(
            Alex,
            "121-agent",
            [("/", "Welcome, Alex Agent"), ("/customers", "Acme"), ("/tickets", "Printer on fire")]
        );

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ChangePasswordInOneOfTwoSessionsAsync(string email, string screenshots, (string Path, string Shows)[] pages)
    {
        await using var changer = await BrowserSession.OpenAsync(_browser, _address);
        await using var other = await BrowserSession.OpenAsync(_browser, _address);
        await changer.SignInAsync(email);
        await other.SignInAsync(email);

        var page = changer.Page;
        await page.GotoAsync("/Account/Manage/ChangePassword");
        await page.Locator("#Input\\.CurrentPassword").FillAsync(TestPasswords.Default);
        await page.Locator("#Input\\.NewPassword").FillAsync(NewPassword);
        await page.Locator("#Input\\.ConfirmPassword").FillAsync(NewPassword);
        await page.Locator("#update-password").ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("Your password has been changed");
        await changer.ScreenshotAsync($"{screenshots}-password-changed");

        foreach (var (path, shows) in pages)
        {
            await OpenSignedInAsync(changer, path, shows);
        }

        await changer.ScreenshotAsync($"{screenshots}-still-signed-in");

        // From here on the cookie handler checks every cookie's security stamp against the database on each request.
        var interval = _app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value.ValidationInterval;
        _stampClock.SetUtcNow(DateTimeOffset.UtcNow + interval + TimeSpan.FromMinutes(1));
        foreach (var (path, shows) in pages)
        {
            await OpenSignedInAsync(changer, path, shows);
        }

        await changer.ScreenshotAsync($"{screenshots}-signed-in-after-stamp-check");
        Assert.Contains(await page.Context.CookiesAsync(), c => c.Name == IdentityCookie);

        await other.Page.GotoAsync(pages[0].Path);
        Assert.StartsWith("/Account/Login", new Uri(other.Page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(other.Page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.DoesNotContain(await other.Page.Context.CookiesAsync(), c => c.Name == IdentityCookie);
        await other.ScreenshotAsync($"{screenshots}-other-session-signed-out");
    }

    private static async Task OpenSignedInAsync(BrowserSession session, string path, string shows)
    {
        var response = await session.Page.GotoAsync(path);
        Assert.Equal((path, 200), (new Uri(session.Page.Url).AbsolutePath, response?.Status));
        await session.WaitForInteractiveAsync();
        await Assertions.Expect(session.Page.Locator(".mud-main-content")).ToContainTextAsync(shows);
        await Assertions.Expect(session.Page.Locator("#user-menu, #portal-sign-out")).ToBeVisibleAsync();
    }
}
