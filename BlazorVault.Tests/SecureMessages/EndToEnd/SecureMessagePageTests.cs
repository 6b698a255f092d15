using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.SecureMessages.EndToEnd;

/// <summary>The recipient's side of a one-time link in a fresh Chromium context: wrong passphrase, right one, then blocked.</summary>
[Collection(EndToEndTests.Name)]
public sealed class SecureMessagePageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Content = "Wi-Fi: Acme-Guest / secure-link-canary-77a1";
    private const string Passphrase = "blue-harbour-42";

    private readonly AppFactory _app = new();
    private string _address = "";
    private string _path = "";
    private int _ticket;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        var acme = await _app.CreateCustomerAsync("Acme");
        var wile = await _app.CreatePortalUserAsync(acme, "Wile Coyote", "wile@acme.example");
        var ticket = _ticket = await _app.CreateTicketAsync(acme, wile, "Guest Wi-Fi");
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new TicketSettings { SecureMessagesEnabled = true, PassphraseAttemptLimit = 2 });
            return true;
        });
        _path = (
            await _app.AsSystemAsync<SecureMessageService, CreatedSecureMessage>(s =>
                s.CreateAsync(
                    ticket,
                    new SecureMessageInput
                    {
                        Content = Content,
                        Passphrase = Passphrase,
                        ExpiryDays = 1,
                    }
                )
            )
        ).Path;
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
        await page.WaitForURLAsync(url => !url.Contains('#', StringComparison.Ordinal));
        await recipient.ScreenshotAsync("92-secure-link-content");

        await page.ReloadAsync();
        await Assertions
            .Expect(page.Locator("#secure-unavailable"))
            .ToHaveTextAsync("This message has already been viewed or has expired.");
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
    public async Task AnAgent_CreatesALinkFromTheTicket_SeesItOnce_AndTheTimelineFollowsItsLife()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("ada@example.com");
        await agent.GotoAsync($"/tickets/{_ticket}");
        await page.Locator("#ticket-actions button").First.ClickAsync();
        await page.Locator("#action-secure-message").ClickAsync();
        await page.Locator("#secure-content-input").FillAsync("Router admin: secure-dialog-canary-3c");
        await page.Locator(".mud-dialog .mud-switch input").CheckAsync();
        await page.Locator("#secure-passphrase").FillAsync("harbour-7");
        await agent.ScreenshotAsync("94-secure-message-dialog");
        await page.Locator("#create-secure-link").ClickAsync();
        await Assertions.Expect(page.Locator("#link-shown-once")).ToContainTextAsync("cannot be shown again");
        var link = await page.Locator("#secure-link").InputValueAsync();
        Assert.StartsWith($"{_address}/portal/secure/", link, StringComparison.Ordinal);
        await agent.ScreenshotAsync("95-secure-message-link-once");
        await page.Locator("#close-secure-link").ClickAsync();
        await Assertions
            .Expect(page.Locator("#ticket-timeline"))
            .ToContainTextAsync("Created a one-time secure message link with a passphrase");

        await using (var recipient = await BrowserSession.OpenAsync(browser, _address))
        {
            await recipient.Page.GotoAsync(link);
            await recipient.Page.Locator("#Input\\.Passphrase").FillAsync("wrong");
            await recipient.Page.Locator("#view-message").ClickAsync();
            await Assertions.Expect(recipient.Page.Locator("#secure-error")).ToHaveTextAsync("Incorrect passphrase. 1 attempt remaining.");
            await recipient.Page.Locator("#Input\\.Passphrase").FillAsync("harbour-7");
            await recipient.Page.Locator("#view-message").ClickAsync();
            await Assertions.Expect(recipient.Page.Locator("#secure-content")).ToHaveValueAsync("Router admin: secure-dialog-canary-3c");
        }

        await page.ReloadAsync();
        await agent.WaitForInteractiveAsync();
        var timeline = page.Locator("#ticket-timeline");
        await Assertions.Expect(timeline).ToContainTextAsync("Wrong passphrase for the secure message (1 of 2)");
        await Assertions.Expect(timeline).ToContainTextAsync("The secure message was viewed from 127.0.0.1");
        Assert.DoesNotContain("secure-dialog-canary-3c", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#secure-messages [data-secure-message='Viewed']")).ToHaveCountAsync(1);

        // The message created when the test began is still unviewed: revoke it.
        await page.Locator("#secure-messages [data-action=revoke]").ClickAsync();
        await page.Locator(".mud-dialog .mud-button-root", new() { HasText = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.Locator("#secure-messages [data-secure-message='Revoked']")).ToHaveCountAsync(1);
        await Assertions.Expect(timeline).ToContainTextAsync("Revoked the secure message before it was viewed");
        await agent.ScreenshotAsync("96-ticket-timeline-secure-message");
    }

    [Fact]
    public async Task WhenSignInIsRequired_TheRequesterSignsIn_AndComesBackToTheMessage()
    {
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            var tickets = await s.GetAsync<TicketSettings>();
            tickets.RequirePortalSignIn = true;
            await s.SaveAsync(tickets);
            return true;
        });
        var path = (
            await _app.AsSystemAsync<SecureMessageService, CreatedSecureMessage>(s =>
                s.CreateAsync(_ticket, new SecureMessageInput { Content = "signed-in-canary-61", ExpiryDays = 1 })
            )
        ).Path;
        await using var recipient = await BrowserSession.OpenAsync(browser, _address);
        var page = recipient.Page;

        await page.GotoAsync(path);
        await Assertions.Expect(page.Locator("#secure-sign-in-required")).ToBeVisibleAsync();
        await recipient.ScreenshotAsync("97-secure-link-sign-in-required");
        await page.Locator("#secure-sign-in").ClickAsync();
        await page.GetByLabel("Email").FillAsync("wile@acme.example");
        await page.GetByLabel("Password").FillAsync(TestPasswords.Default);
        await page.Locator("#sign-in").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/portal/secure/", StringComparison.Ordinal));
        await page.Locator("#view-message").ClickAsync();

        await Assertions.Expect(page.Locator("#secure-content")).ToHaveValueAsync("signed-in-canary-61");
    }

    [Fact]
    public async Task TurningTheFeatureOff_RemovesTheTicketActionFromAnOpenPage()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("ada@example.com");
        await agent.GotoAsync($"/tickets/{_ticket}");
        await page.Locator("#ticket-actions button").First.ClickAsync();
        await Assertions.Expect(page.Locator("#action-secure-message")).ToBeVisibleAsync();

        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            var tickets = await s.GetAsync<TicketSettings>();
            tickets.SecureMessagesEnabled = false;
            await s.SaveAsync(tickets);
            return true;
        });

        await Assertions.Expect(page.Locator("#action-edit")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#action-secure-message")).ToHaveCountAsync(0, new() { Timeout = 2_000 });
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
