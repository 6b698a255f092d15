using BlazorVault.Core.Jobs;
using BlazorVault.Core.Notifications;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Notifications.EndToEnd;

/// <summary>
/// A new installation without an SMTP server: the welcome email lands in the pickup folder and an administrator opens it
/// from the Outbox; once its link is used, the outbox job takes the link out of the file and the Outbox says so.
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
        await using var admin = await OpenOutboxAsync();

        var link = await OpenWelcomeEmailAsync(admin.Page);

        await admin.ScreenshotAsync("111-outbox-open-pickup-email");
        await using var wile = await BrowserSession.OpenAsync(browser, _address);
        await wile.Page.GotoAsync(link);
        await Assertions.Expect(wile.Page.Locator("#set-password-heading")).ToHaveTextAsync("Welcome: choose your password");
        await wile.ScreenshotAsync("112-welcome-set-password");
    }

    [Fact]
    public async Task OnceTheWelcomeLinkIsUsed_TheOutboxJobRemovesItFromThePickupFile_AndTheOutboxSaysSo()
    {
        await using var admin = await OpenOutboxAsync();
        var page = admin.Page;
        var link = await OpenWelcomeEmailAsync(page);
        await using (var wile = await BrowserSession.OpenAsync(browser, _address))
        {
            await wile.Page.GotoAsync(link);
            await wile.Page.Locator("#Input\\.NewPassword").FillAsync("purple tractor on a quiet hill");
            await wile.Page.Locator("#Input\\.ConfirmPassword").FillAsync("purple tractor on a quiet hill");
            await wile.Page.Locator("#save-password").ClickAsync();
            await Assertions.Expect(wile.Page.Locator("#password-set")).ToContainTextAsync("wile@acme.example");
        }

        // What an administrator's "Run now" does; the job's schedule would get there within 30 seconds.
        await _app.AsSystemAsync<IJobScheduler, bool>(async scheduler =>
        {
            await scheduler.TriggerAsync(EmailDelivery.JobKey);
            return true;
        });
        var removed = page.Locator("#outbox-table tr").Filter(new() { HasText = "wile@acme.example" }).Locator("[data-link-removed]");
        for (var tries = 0; tries < 20 && await removed.CountAsync() == 0; tries++)
        {
            await page.Locator("#outbox-refresh").ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }

        await Assertions.Expect(removed).ToContainTextAsync("Link used or expired: removed from the file");
        await page.Locator("[id^=open-email-]").First.ClickAsync();
        await Assertions.Expect(page.Locator("#opened-email-link-removed")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#opened-email-body")).ToContainTextAsync(PickupLinkSweep.RemovedText);
        await Assertions.Expect(page.Locator("#opened-email-body")).Not.ToContainTextAsync("/account/password/");
        var verifier = link[(link.IndexOf('#', StringComparison.Ordinal) + 1)..];
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_app.DataDirectory, "mail"), "*.eml"));
        Assert.DoesNotContain(verifier, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        await admin.ScreenshotAsync("113-outbox-pickup-link-removed");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<BrowserSession> OpenOutboxAsync()
    {
        var admin = await BrowserSession.OpenAsync(browser, _address);
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/email/outbox");
        return admin;
    }

    /// <summary>Waits for the welcome email to be delivered to the pickup folder, opens it, and reads its link.</summary>
    private async Task<string> OpenWelcomeEmailAsync(IPage page)
    {
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
        return (await page.Locator("#opened-email-body").InnerTextAsync())
            .Split('\n')
            .Single(l => l.Contains("/account/password/", StringComparison.Ordinal))
            .Trim();
    }
}
