using System.Diagnostics;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Accounts.Models;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Settings.EndToEnd;

[Collection(EndToEndTests.Name)]
public sealed class LiveSettingsTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly AppFactory _app = new();
    private string _address = "";

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.CreateAgentAsync("Alex Agent", "alex@example.com");
    }

    [Fact]
    public async Task AnAdminsSavedChange_ReachesAnAgentsOpenPageWithinTwoSeconds_AndABadValueChangesNothing()
    {
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        await agent.SignInAsync("alex@example.com");
        var policy = agent.Page.Locator("#policy-secure-messages");
        await Assertions.Expect(policy).ToHaveTextAsync("Off");

        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/tickets");
        await Assertions.Expect(page.Locator("[data-setting=PassphraseAttemptLimit]")).ToHaveCountAsync(0);
        await page.GetByText("Enable secure message links").ClickAsync();
        var limit = page.GetByLabel("Passphrase attempt limit");
        await limit.FillAsync("-1");
        await page.Locator("#save-settings").ClickAsync();
        await Assertions
            .Expect(page.Locator("[data-setting=PassphraseAttemptLimit]"))
            .ToContainTextAsync("Enter 0 (no limit) or a number from 1 to 100.");
        await admin.ScreenshotAsync("50-settings-tickets-invalid");
        await Assertions.Expect(policy).ToHaveTextAsync("Off");

        await limit.FillAsync("2");
        await limit.PressAsync("Tab");
        var clock = Stopwatch.StartNew();
        await page.Locator("#save-settings").ClickAsync();
        await Assertions.Expect(policy).ToContainTextAsync("On · 2 passphrase attempts", new() { Timeout = 2_000 });
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.ElapsedMilliseconds} ms");
        await admin.ScreenshotAsync("51-settings-tickets-saved");
        await agent.ScreenshotAsync("52-agent-home-live-policy");

        // The change is in the audit log with its old and new values.
        await admin.GotoAsync("/config/audit");
        await Assertions.Expect(page.Locator("#audit-table tbody tr").First).ToContainTextAsync("settings.changed");
        await Assertions.Expect(page.Locator("#audit-table tbody tr").First).ToContainTextAsync("\"SecureMessagesEnabled\":[false,true]");
    }

    [Fact]
    public async Task EverySettingsPage_Renders_WithHelpBesideEachOption()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        await admin.SignInAsync("ada@example.com");
        foreach (
            var (key, mustSay) in new[]
            {
                ("email", "Days until welcome and password emails expire"),
                ("users", "NIST SP 800-63B advises against periodic expiry"),
                ("password-policy", "NIST SP 800-63B advises against restricting characters"),
                ("vault", "Seconds until a revealed value hides again"),
            }
        )
        {
            await admin.GotoAsync($"/config/{key}");
            await Assertions.Expect(admin.Page.Locator(".mud-main-content")).ToContainTextAsync(mustSay);
            await admin.ScreenshotAsync($"53-settings-{key}");
        }

        await admin.GotoAsync("/config/password-policy");
        await Assertions
            .Expect(admin.Page.GetByLabel("Generator alphabet"))
            .ToHaveValueAsync("234567892345678923456789abcdefghijkmnopqrstuvwxyz");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
