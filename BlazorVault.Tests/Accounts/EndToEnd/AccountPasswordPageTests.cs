using System.Text.RegularExpressions;
using BlazorVault.Core.Accounts;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Accounts.Core;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace BlazorVault.Tests.Accounts.EndToEnd;

/// <summary>
/// Passwords by email in Chromium, with the app delivering to a real SMTP server on 127.0.0.1: "Forgotten
/// Password?" from the login page to a new password through the emailed link, and an agent's reset email.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed partial class AccountPasswordPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";

    private readonly AppFactory _app = new();
    private readonly HashSet<string> _seen = [];
    private SmtpTestServer _smtp = default!;
    private string _address = "";
    private int _acme;
    private string _wileId = "";

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(
                new EmailSettings
                {
                    SmtpHost = SmtpTestServer.Host,
                    SmtpPort = _smtp.Port,
                    TlsMode = SmtpTlsMode.None,
                    FromAddress = "helpdesk@example.com",
                }
            );
            return true;
        });
        _acme = await _app.CreateCustomerAsync("Acme");
        _wileId = await _app.CreatePortalUserAsync(_acme, "Wile Coyote", Wile);
        await EmailToAsync(Wile, "Your BlazorVault account");
    }

    [Fact]
    public async Task ForgottenPassword_FromTheLoginPage_ToANewPassword_ByTheEmailedLink()
    {
        const string newPassword = "plateau-juniper-41-mesa";
        await using var visitor = await BrowserSession.OpenAsync(browser, _address);
        var page = visitor.Page;

        await page.GotoAsync("/Account/Login");
        await page.Locator("#forgot-password").ClickAsync();
        await Assertions.Expect(page.Locator("#forgot-heading")).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(Wile);
        await visitor.ScreenshotAsync("100-forgotten-password");
        await page.Locator("#send-reset-link").ClickAsync();
        await Assertions.Expect(page.Locator("#reset-requested")).ToContainTextAsync("If an account uses that address");
        await visitor.ScreenshotAsync("101-forgotten-password-sent");

        var link = LinkIn(await EmailToAsync(Wile, "Reset your BlazorVault password"));
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("#set-password-heading")).ToHaveTextAsync("Choose a new password");
        await page.Locator("#Input\\.NewPassword").FillAsync("short");
        await Assertions.Expect(page.Locator("[data-rule=min]")).ToHaveClassAsync(new Regex("bv-rule-bad"));
        await page.Locator("#Input\\.NewPassword").FillAsync(newPassword);
        await page.Locator("#Input\\.ConfirmPassword").FillAsync(newPassword);
        await Assertions.Expect(page.Locator("[data-rule=min]")).ToHaveClassAsync(new Regex("bv-rule-ok"));
        await Assertions.Expect(page.Locator("[data-rule=confirm]")).ToHaveClassAsync(new Regex("bv-rule-ok"));
        await visitor.ScreenshotAsync("102-set-password-from-link");
        await page.Locator("#save-password").ClickAsync();
        await Assertions.Expect(page.Locator("#password-set")).ToContainTextAsync(Wile);
        await page.WaitForFunctionAsync("() => window.location.hash === ''");
        await visitor.ScreenshotAsync("103-password-set");

        await visitor.SignInAsync(Wile, newPassword);
        Assert.Contains("/portal", page.Url, StringComparison.Ordinal);

        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("#link-unusable")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AfterAResetByLink_ThePageListsTheRemainingSecondFactorsAndPasskeys_AndOneClickRemovesThem()
    {
        const string newPassword = "lagoon-quartz-27-meadow";
        var scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
        await scopes.GiveEverySignInFactorAsync(_wileId);
        await _app.AsSystemAsync<PasswordResetService, bool>(async s =>
        {
            await s.RequestResetAsync(Wile);
            return true;
        });
        await using var visitor = await BrowserSession.OpenAsync(browser, _address);
        var page = visitor.Page;

        await page.GotoAsync(LinkIn(await EmailToAsync(Wile, "Reset your BlazorVault password")));
        await page.Locator("#Input\\.NewPassword").FillAsync(newPassword);
        await page.Locator("#Input\\.ConfirmPassword").FillAsync(newPassword);
        await page.Locator("#save-password").ClickAsync();
        var remaining = page.Locator("#remaining-factors");
        await Assertions.Expect(remaining).ToContainTextAsync("An authenticator app (two-factor sign-in is on)");
        await Assertions.Expect(remaining).ToContainTextAsync("10 unused recovery codes");
        await Assertions.Expect(remaining).ToContainTextAsync($"The passkey \u201c{SignInFactorTestExtensions.OfficeKey}\u201d");
        await Assertions.Expect(remaining).ToContainTextAsync($"The passkey \u201c{SignInFactorTestExtensions.Phone}\u201d");
        await Assertions.Expect(remaining).ToContainTextAsync("Sign-in with Contoso");
        await page.WaitForFunctionAsync("() => window.location.hash === ''");
        await visitor.ScreenshotAsync("111-password-set-second-factors-remain");

        await page.Locator("#remove-factors").ClickAsync();
        await Assertions.Expect(page.Locator("#factors-removed")).ToContainTextAsync("10 unused recovery codes");
        await Assertions.Expect(page.Locator("#factors-removed")).ToContainTextAsync(SignInFactorTestExtensions.OfficeKey);
        await visitor.ScreenshotAsync("112-second-factors-removed");
        Assert.Equal((false, false, 0, 0, 0, false), await scopes.SignInFactorsOfAsync(_wileId));

        // The password alone signs in now: no authenticator code is asked for.
        await visitor.SignInAsync(Wile, newPassword);
        Assert.Contains("/portal", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentResetsAPortalUsersSignIn_FromTheUsersTab_AndAdminsFindItOnTheAgentsPage()
    {
        var scopes = _app.Services.GetRequiredService<IServiceScopeFactory>();
        await scopes.GiveEverySignInFactorAsync(_wileId);
        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("ada@example.com");

        await agent.GotoAsync($"/customers/{_acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Users" }).ClickAsync();
        await page.Locator($"#reset-sign-in-{_wileId}").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToContainTextAsync("This removes Wile Coyote's authenticator app");
        await agent.ScreenshotAsync("113-reset-sign-in-confirm");
        await page.Locator(".mud-message-box__yes-button").ClickAsync();
        await Assertions
            .Expect(page.Locator(".mud-snackbar"))
            .ToContainTextAsync("Removed from Wile Coyote: an authenticator app (two-factor sign-in is on), 10 unused recovery codes");
        await agent.ScreenshotAsync("114-reset-sign-in-done");
        Assert.Equal((false, false, 0, 0, 0, false), await scopes.SignInFactorsOfAsync(_wileId));

        await agent.GotoAsync("/config/agents");
        await page.GetByLabel("Actions for Ada Admin").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToContainTextAsync("Reset sign-in (2FA and passkeys)");
        await agent.ScreenshotAsync("115-agents-reset-sign-in-menu");
    }

    [Fact]
    public async Task AnAgentSendsAResetEmail_AndThePortalUserChoosesAGeneratedPassword_AndSignsIn()
    {
        await using (var agent = await BrowserSession.OpenAsync(browser, _address))
        {
            var page = agent.Page;
            await agent.SignInAsync("ada@example.com");
            await agent.GotoAsync($"/customers/{_acme}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Users" }).ClickAsync();
            await page.Locator($"#send-reset-{_wileId}").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"A password reset email is on its way to {Wile}");
            await agent.ScreenshotAsync("104-agent-sends-reset-email");
        }

        var link = LinkIn(await EmailToAsync(Wile, "Reset your BlazorVault password"));
        await using var portal = await BrowserSession.OpenAsync(browser, _address);
        var portalPage = portal.Page;
        await portalPage.GotoAsync(link);
        await portalPage.Locator("#generate-password").ClickAsync();
        var generated = await portalPage.Locator("#Input\\.NewPassword").InputValueAsync();
        Assert.Equal(16, generated.Length);
        Assert.Equal(generated, await portalPage.Locator("#Input\\.ConfirmPassword").InputValueAsync());
        await portal.ScreenshotAsync("105-set-password-generated");
        await portalPage.Locator("#save-password").ClickAsync();
        await Assertions.Expect(portalPage.Locator("#password-set")).ToBeVisibleAsync();

        await portal.SignInAsync(Wile, generated);
        Assert.Contains("/portal", portalPage.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEmailPage_SendsATestEmail_PreviewsATemplate_AndTheOutboxListsWhatWasSent()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        var page = admin.Page;
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/config/email");

        await page.Locator("#test-email-to").FillAsync("ops@example.com");
        await page.Locator("#send-test-email").ClickAsync();
        await Assertions
            .Expect(page.Locator("#test-email-result"))
            .ToContainTextAsync($"Sent to ops@example.com through {SmtpTestServer.Host}:{_smtp.Port}");
        Assert.Equal("BlazorVault test email", (await EmailToAsync("ops@example.com", "BlazorVault test email")).Subject);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Password reset" }).ClickAsync();
        await page.Locator("#template-ResetSubject").FillAsync("Reset for {name}");
        await Assertions.Expect(page.Locator("#template-preview-PasswordReset")).ToContainTextAsync("Reset for Wile Coyote");
        await admin.ScreenshotAsync("106-email-settings-test-and-templates");

        await admin.GotoAsync("/config/email/outbox");
        await Assertions.Expect(page.Locator("#outbox-table")).ToContainTextAsync("Your BlazorVault account");
        await Assertions.Expect(page.Locator("#outbox-table [data-status=Sent]").First).ToBeVisibleAsync();
        await admin.ScreenshotAsync("107-outbox");
    }

    [Fact]
    public async Task AnExpiredPassword_IsRefusedAtSignIn_AndTheEmailedLinkRestoresIt()
    {
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(
                new UserSettings
                {
                    PasswordExpiryEnabled = true,
                    PasswordExpiryDays = 90,
                    ReminderDays = 7,
                }
            );
            return true;
        });
        await _app.AsSystemAsync<IDbContextFactory<BlazorVaultDbContext>, int>(async contexts =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var longAgo = DateTime.UtcNow.AddDays(-91);
            return await db.Users.Where(u => u.Id == _wileId).ExecuteUpdateAsync(u => u.SetProperty(x => x.PasswordChangedAt, longAgo));
        });
        await using var portal = await BrowserSession.OpenAsync(browser, _address);
        var page = portal.Page;

        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(Wile);
        await page.GetByLabel("Password").FillAsync(TestPasswords.Default);
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("Your password has expired");
        Assert.Contains("/Account/Login", page.Url, StringComparison.Ordinal);
        await portal.ScreenshotAsync("108-sign-in-password-expired");

        await page.GotoAsync(LinkIn(await EmailToAsync(Wile, "Reset your BlazorVault password")));
        await page.Locator("#Input\\.NewPassword").FillAsync("canyon-lantern-73-ridge");
        await page.Locator("#Input\\.ConfirmPassword").FillAsync("canyon-lantern-73-ridge");
        await page.Locator("#save-password").ClickAsync();
        await Assertions.Expect(page.Locator("#password-set")).ToBeVisibleAsync();
        await portal.SignInAsync(Wile, "canyon-lantern-73-ridge");
        Assert.Contains("/portal", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangePassword_InMyAccount_RefusesTheCurrentOne_ThenTakesANewOne()
    {
        await using var portal = await BrowserSession.OpenAsync(browser, _address);
        var page = portal.Page;
        await portal.SignInAsync(Wile);
        await page.GotoAsync("/Account/Manage/ChangePassword");

        await page.Locator("#Input\\.CurrentPassword").FillAsync(TestPasswords.Default);
        await page.Locator("#Input\\.NewPassword").FillAsync(TestPasswords.Default);
        await page.Locator("#Input\\.ConfirmPassword").FillAsync(TestPasswords.Default);
        await page.Locator("#update-password").ClickAsync();
        await Assertions.Expect(page.Locator("#new-password-error")).ToContainTextAsync("used recently");
        await portal.ScreenshotAsync("109-change-password-history-refused");

        await page.Locator("#Input\\.CurrentPassword").FillAsync(TestPasswords.Default);
        await page.Locator("#Input\\.NewPassword").FillAsync("orchard-basalt-58-tide");
        await page.Locator("#Input\\.ConfirmPassword").FillAsync("orchard-basalt-58-tide");
        await page.Locator("#update-password").ClickAsync();
        await Assertions.Expect(page.Locator("[role=alert]")).ToContainTextAsync("Your password has been changed");
        await portal.ScreenshotAsync("110-change-password-done");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    private static string LinkIn(MimeMessage message) =>
        LinkPattern().Match(message.TextBody ?? "").Value is { Length: > 0 } link
            ? link
            : throw new InvalidOperationException("The email holds no set-password link.");

    /// <summary>The newest email to this address with this subject, once it has arrived.</summary>
    private async Task<MimeMessage> EmailToAsync(string to, string subject)
    {
        for (var waited = 0; waited < 150; waited++)
        {
            var match = _smtp.ReadMessages().LastOrDefault(m => m.Subject == subject && m.To.Mailboxes.Any(a => a.Address == to));
            if (match is not null && _seen.Add(match.MessageId ?? ""))
            {
                return match;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No new email \"{subject}\" to {to} arrived within 15 s.");
    }

    [GeneratedRegex(@"https?://[^\s]+/account/password/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+")]
    private static partial Regex LinkPattern();
}
