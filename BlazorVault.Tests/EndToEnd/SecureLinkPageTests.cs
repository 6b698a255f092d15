using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.EndToEnd;

/// <summary>The recipient's side of a one-time link in a fresh Chromium context: wrong passphrase, right one, then blocked.</summary>
[Collection(EndToEndTests.Name)]
public sealed class SecureLinkPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Content = "Wi-Fi: Acme-Guest / secure-link-canary-77a1";
    private const string Passphrase = "blue-harbour-42";

    private readonly AppFactory _app = new();
    private string _address = "";
    private string _path = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        var acme = await _app.CreateCustomerAsync("Acme");
        var wile = await _app.CreatePortalUserAsync(acme, "Wile Coyote", "wile@acme.example");
        var ticket = await _app.CreateTicketAsync(acme, wile, "Guest Wi-Fi");
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new TicketSettings { SecureMessagesEnabled = true, PassphraseAttemptLimit = 2 });
            return true;
        });
        _path = (await _app.AsSystemAsync<SecureMessageService, CreatedSecureMessage>(s =>
            s.CreateAsync(ticket, new SecureMessageInput { Content = Content, Passphrase = Passphrase, ExpiryDays = 1 }))).Path;
    }

    [Fact]
    public async Task TheRecipient_GetsOneWrongPassphraseWarning_ThenTheContentOnce_AndAReloadIsBlocked()
    {
        // A mail scanner fetching the page (without the fragment, as servers see it) consumes nothing.
        using (var scanner = _app.CreateRealClient())
        {
            for (var i = 0; i < 3; i++)
            {
                var html = await scanner.GetStringAsync(_path.Split('#')[0]);
                Assert.Contains("View message", html, StringComparison.Ordinal);
                Assert.DoesNotContain(Content, html, StringComparison.Ordinal);
            }
        }

        await using var recipient = await BrowserSession.OpenAsync(browser, _address);
        var page = recipient.Page;
        await page.GotoAsync(_path);
        await Assertions.Expect(page.Locator("#view-message")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#attempts-remaining")).ToHaveTextAsync("2 attempts remaining");
        await recipient.ScreenshotAsync("90-secure-link-page");

        await page.Locator("#Input\\.Passphrase").FillAsync("wrong-guess");
        await page.Locator("#view-message").ClickAsync();
        await Assertions.Expect(page.Locator("#secure-error")).ToHaveTextAsync("Incorrect passphrase. 1 attempt remaining.");
        await recipient.ScreenshotAsync("91-secure-link-wrong-passphrase");

        await Assertions.Expect(page.Locator("#attempts-remaining")).ToHaveTextAsync("1 attempt remaining");
        await page.Locator("#Input\\.Passphrase").FillAsync(Passphrase);
        await page.Locator("#view-message").ClickAsync();
        await Assertions.Expect(page.Locator("#secure-content")).ToHaveValueAsync(Content);
        await Assertions.Expect(page.Locator("#viewed-once")).ToContainTextAsync("can only be viewed once");
        Assert.DoesNotContain('#', page.Url);
        await recipient.ScreenshotAsync("92-secure-link-content");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#secure-unavailable")).ToHaveTextAsync("This message has already been viewed or has expired.");
        await page.GotoAsync(_path);
        await Assertions.Expect(page.Locator("#secure-unavailable")).ToBeVisibleAsync();
        Assert.DoesNotContain(Content, await page.ContentAsync(), StringComparison.Ordinal);
        await recipient.ScreenshotAsync("93-secure-link-already-viewed");

        var verifier = _path.Split('#')[1];
        Assert.DoesNotContain(verifier, _app.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, _app.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(Content, _app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIncompleteOrUnknownLink_GetsTheNeutralPage()
    {
        await using var visitor = await BrowserSession.OpenAsync(browser, _address);
        var page = visitor.Page;

        await page.GotoAsync(_path.Split('#')[0]);
        await Assertions.Expect(page.Locator("#secure-link-incomplete")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#view-message")).ToBeDisabledAsync();

        await page.GotoAsync("/portal/secure/not-a-selector#whatever");
        await Assertions.Expect(page.Locator("#secure-unavailable")).ToBeVisibleAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
