using System.Text.RegularExpressions;
using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.SecureMessages;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Layout.EndToEnd;

/// <summary>
/// WCAG 2.1 AA, checked by axe-core in Chromium on every screen of the app, as each kind of user meets it (anonymous,
/// portal user, agent, administrator), in light and dark mode, with the dialogs and menus open. Any serious or critical
/// violation fails the test with the screen, the rule and the elements.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed partial class AccessibilityTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Wile = "wile@acme.example";
    private const string Sam = "sam@example.com";
    private const string Ada = "ada@example.com";
    private const string Lee = "lee@example.com";

    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    private readonly AppFactory _app = new();
    private readonly List<string> _findings = [];
    private readonly List<string> _screens = [];
    private SmtpTestServer _smtp = default!;
    private string _address = "";
    private string _theme = "";
    private string _samId = "";

    public async ValueTask InitializeAsync()
    {
        _smtp = await SmtpTestServer.StartAsync();
        _address = _app.StartAndGetAddress();
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryScreen_ForEveryKindOfUser_HasNoSeriousOrCriticalViolation(string theme)
    {
        _theme = theme;
        await using (var firstRun = await OpenAsync())
        {
            await firstRun.Page.GotoAsync("/setup");
            await Assertions.Expect(firstRun.Page.Locator("#setup-heading")).ToBeVisibleAsync();
            await ScanAsync(firstRun, "setup");
        }

        var (acme, ticket, secureLink) = await ArrangeAsync();
        await ScanAnonymousScreensAsync(secureLink);
        await ScanPortalScreensAsync(ticket, secureLink);
        await ScanAgentScreensAsync(acme, ticket);
        await ScanAccessRequestScreensAsync(acme);
        await ScanAdminScreensAsync(acme);
        await ScanBreakGlassScreensAsync(acme);
        await ScanSecondFactorScreensAsync();

        Assert.True(_screens.Count >= 45, $"Only {_screens.Count} screens were scanned: {string.Join(", ", _screens)}");
        Assert.True(
            _findings.Count == 0,
            $"{_findings.Count} serious or critical WCAG 2.1 AA violations ({theme} mode):\n{string.Join("\n", _findings)}"
        );
    }

    private async Task<(int Acme, int Ticket, string SecureLink)> ArrangeAsync()
    {
        await _app.CreateAdminAsync(Ada);
        _samId = await _app.CreateAgentAsync("Sam Support", Sam);
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new TicketSettings { SecureMessagesEnabled = true, PassphraseAttemptLimit = 3 });
            var email = await s.GetAsync<EmailSettings>();
            email.SmtpHost = SmtpTestServer.Host;
            email.SmtpPort = _smtp.Port;
            email.TlsMode = SmtpTlsMode.None;
            email.FromAddress = "helpdesk@example.com";
            await s.SaveAsync(email);
            return true;
        });
        var acme = await _app.CreateCustomerAsync("Acme");
        var wile = await _app.CreatePortalUserAsync(acme, "Wile Coyote", Wile);
        var ticket = await _app.CreateTicketAsync(acme, wile, "Rocket skates keep exploding");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "svc-backup", [PasswordField] = "Axe canary 91-Acme!" })
            )
        );
        var secureLink = (
            await _app.AsSystemAsync<SecureMessageService, CreatedSecureMessage>(s =>
                s.CreateAsync(
                    ticket,
                    new SecureMessageInput
                    {
                        Content = "Guest Wi-Fi: Acme-Guest",
                        Passphrase = "blue-harbour-42",
                        ExpiryDays = 1,
                    }
                )
            )
        ).Path;
        return (acme, ticket, secureLink);
    }

    private async Task ScanAnonymousScreensAsync(string secureLink)
    {
        await using var visitor = await OpenAsync();
        var page = visitor.Page;
        await page.GotoAsync("/Account/Login");
        await ScanAsync(visitor, "sign-in");
        await page.GetByLabel("Email").FillAsync(Ada);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.Locator("#sign-in").ClickAsync();
        await Assertions.Expect(page.Locator(".validation-message, [role=alert]").First).ToBeVisibleAsync();
        await ScanAsync(visitor, "sign-in-error");
        await page.Locator("#forgot-password").ClickAsync();
        await Assertions.Expect(page.Locator("#forgot-heading")).ToBeVisibleAsync();
        await ScanAsync(visitor, "forgot-password");
        await page.GetByLabel("Email").FillAsync(Wile);
        await page.Locator("#send-reset-link").ClickAsync();
        await Assertions.Expect(page.Locator("#reset-requested")).ToBeVisibleAsync();
        await ScanAsync(visitor, "forgot-password-sent");

        await page.GotoAsync(await ResetLinkAsync());
        await Assertions.Expect(page.Locator("#set-password-heading")).ToBeVisibleAsync();
        await page.Locator("#Input\\.NewPassword").FillAsync("short");
        await ScanAsync(visitor, "set-password-link");
        await page.GotoAsync("/account/password/not-a-link#nothing");
        await Assertions.Expect(page.Locator("#link-unusable")).ToBeVisibleAsync();
        await ScanAsync(visitor, "set-password-link-unusable");

        foreach (var path in new[] { "/Account/Lockout", "/Account/InvalidUser", "/not-found" })
        {
            await page.GotoAsync(path);
            await ScanAsync(visitor, path.TrimStart('/'));
        }

        await page.GotoAsync(secureLink);
        await Assertions.Expect(page.Locator("#secure-heading")).ToBeVisibleAsync();
        await ScanAsync(visitor, "secure-message-anonymous");
    }

    private async Task ScanPortalScreensAsync(int ticket, string secureLink)
    {
        await using var portal = await OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync(Wile);
        await ScanAsync(portal, "portal-home");
        await page.GotoAsync("/portal/tickets");
        await ScanAsync(portal, "portal-tickets");
        await page.GotoAsync($"/portal/tickets/{ticket}");
        await Assertions.Expect(page.Locator("#ticket-heading")).ToBeVisibleAsync();
        await ScanAsync(portal, "portal-ticket");
        await page.GotoAsync("/portal/account");
        await ScanAsync(portal, "portal-account");
        await page.GotoAsync("/customers");
        await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        await ScanAsync(portal, "portal-access-denied");

        await page.GotoAsync(secureLink);
        await page.Locator("#Input\\.Passphrase").FillAsync("wrong-guess");
        await page.Locator("#view-message").ClickAsync();
        await Assertions.Expect(page.Locator("#secure-error")).ToBeVisibleAsync();
        await ScanAsync(portal, "secure-message-wrong-passphrase");
        await page.Locator("#Input\\.Passphrase").FillAsync("blue-harbour-42");
        await page.Locator("#view-message").ClickAsync();
        await Assertions.Expect(page.Locator("#secure-content")).ToBeVisibleAsync();
        await ScanAsync(portal, "secure-message-content");
        await page.ReloadAsync();
        await ScanAsync(portal, "secure-message-used");
    }

    private async Task ScanAgentScreensAsync(int acme, int ticket)
    {
        await using var agent = await OpenAsync();
        var page = agent.Page;
        await agent.SignInAsync(Sam);
        await ScanAsync(agent, "home");
        await agent.GotoAsync("/customers");
        await Assertions.Expect(page.Locator("#customer-table")).ToContainTextAsync("Acme");
        await ScanAsync(agent, "customers");
        await page.Locator("#new-customer").ClickAsync();
        await page.Locator(".mud-dialog #save-customer").ClickAsync();
        await ScanAsync(agent, "new-customer-dialog-errors");
        await page.Keyboard.PressAsync("Escape");

        await agent.GotoAsync($"/customers/{acme}");
        await Assertions.Expect(page.Locator("#customer-heading")).ToBeVisibleAsync();
        await ScanAsync(agent, "customer-details");
        foreach (var tab in new[] { "Users", "Tickets", "Passwords" })
        {
            await page.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await ScanAsync(agent, $"customer-{tab.ToLowerInvariant()}-tab");
        }

        // Icon buttons say what they do, and to which row.
        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal password for svc-backup", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-secret-value=shown]")).ToBeVisibleAsync();
        await ScanAsync(agent, "customer-password-revealed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for svc-backup", Exact = true }).ClickAsync();
        await ScanAsync(agent, "customer-password-row-menu");
        await page.Locator("[data-action=edit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        // The menu closes before its dialog opens, instead of staying open above it.
        await Assertions.Expect(page.Locator("[data-action=edit]")).ToBeHiddenAsync();
        await ScanAsync(agent, "customer-password-edit-dialog");
        await page.Keyboard.PressAsync("Escape");

        await agent.GotoAsync("/tickets");
        await Assertions.Expect(page.Locator("#ticket-table")).ToContainTextAsync("Rocket skates");
        await ScanAsync(agent, "tickets");
        await agent.GotoAsync("/tickets/new");
        await ScanAsync(agent, "new-ticket");
        await agent.GotoAsync($"/tickets/{ticket}");
        await Assertions.Expect(page.Locator("#ticket-heading")).ToBeVisibleAsync();
        await ScanAsync(agent, "ticket");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ticket actions", Exact = true }).ClickAsync();
        await ScanAsync(agent, "ticket-actions-menu");
        await page.Locator("#action-secure-message").ClickAsync();
        await Assertions.Expect(page.Locator("#secure-content-input")).ToBeVisibleAsync();
        await ScanAsync(agent, "secure-message-dialog");
        await page.Locator("#secure-content-input").FillAsync("Door code 4411");
        await page.Locator("#create-secure-link").ClickAsync();
        await Assertions.Expect(page.Locator("#secure-link")).ToBeVisibleAsync();
        await ScanAsync(agent, "secure-message-dialog-link");
        await page.Locator("#close-secure-link").ClickAsync();
        await page.Locator("#ticket-actions button").First.ClickAsync();
        await page.Locator("#action-edit").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await ScanAsync(agent, "ticket-edit-dialog");
        await page.Keyboard.PressAsync("Escape");

        foreach (var path in ManagePages)
        {
            await page.GotoAsync(path);
            await ScanAsync(agent, path.TrimStart('/'));
        }

        await page.GotoAsync("/Account/Manage/ChangePassword");
        await page.Locator("#update-password").ClickAsync();
        await ScanAsync(agent, "change-password-errors");
        await page.GotoAsync("/config");
        await Assertions.Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        await ScanAsync(agent, "agent-access-denied");
    }

    private async Task ScanAdminScreensAsync(int acme)
    {
        await using var admin = await OpenAsync();
        var page = admin.Page;
        await admin.SignInAsync(Ada);
        await admin.GotoAsync("/config");
        await ScanAsync(admin, "configuration");
        var pages = await page.Locator(".mud-main-content a[href^='/config/']")
            .EvaluateAllAsync<string[]>("links => links.map(a => a.pathname)");
        Assert.NotEmpty(pages);
        foreach (var path in pages.Append("/config/email/outbox").Distinct())
        {
            await admin.GotoAsync(path);
            await ScanAsync(admin, path.TrimStart('/'));
        }

        await admin.GotoAsync("/config/agents");
        await page.Locator("#add-agent").ClickAsync();
        await page.Locator("#save-agent").ClickAsync();
        await ScanAsync(admin, "agent-dialog-errors");
        await page.Keyboard.PressAsync("Escape");
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions for Sam Support", Exact = true }).ClickAsync();
        await ScanAsync(admin, "agents-row-menu");
        await page.Keyboard.PressAsync("Escape");

        // Sam revealed svc-backup on the agent screens: the at-risk report lists it, and marking it shows it everywhere.
        await admin.GotoAsync($"/config/at-risk?agent={Uri.EscapeDataString(_samId)}");
        await Assertions.Expect(page.Locator("#at-risk-table")).ToContainTextAsync("svc-backup");
        await ScanAsync(admin, "at-risk-report");
        await page.Locator("#at-risk-table tbody input[type=checkbox]").First.CheckAsync();
        await page.Locator("#mark-selected").ClickAsync();
        await page.Locator("#rotation-reason").FillAsync("Sam moved to another team");
        await ScanAsync(admin, "at-risk-mark-dialog");
        await page.Locator("#confirm-rotation").ClickAsync();
        await Assertions.Expect(page.Locator("#at-risk-table [data-needs-rotation]")).ToBeVisibleAsync();
        // The snackbar is closed first: scanned while it fades in, its colours are not yet the theme's.
        await page.Locator(".mud-snackbar button").First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0);
        await ScanAsync(admin, "at-risk-report-marked");
        await admin.GotoAsync($"/customers/{acme}?table={PasswordsTable}");
        await Assertions.Expect(page.Locator("[data-vault-table] [data-needs-rotation]")).ToBeVisibleAsync();
        await ScanAsync(admin, "customer-passwords-needs-rotation");
        await admin.GotoAsync("/");
        await Assertions.Expect(page.Locator("#to-rotate")).ToContainTextAsync("svc-backup");
        await ScanAsync(admin, "home-passwords-to-rotate");

        await admin.GotoAsync("/config/agent-groups");
        await page.Locator("#new-group").ClickAsync();
        await page.Locator(".mud-dialog label").Filter(new() { HasText = "Chosen customers" }).ClickAsync();
        await page.Locator("#save-group").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog .mud-input-error").First).ToBeVisibleAsync();
        await ScanAsync(admin, "agent-group-dialog-errors");
        await page.Keyboard.PressAsync("Escape");

        await admin.GotoAsync("/config/audit");
        await page.Locator("#verify-chain").ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result")).ToBeVisibleAsync();
        await ScanAsync(admin, "audit-log-verified");

        await admin.GotoAsync("/config/custom-objects");
        await page.Locator("[data-custom-table='Passwords'] [data-action=add-field]").ClickAsync();
        await Assertions.Expect(page.Locator("#field-label")).ToBeVisibleAsync();
        await ScanAsync(admin, "custom-objects-field-dialog");
        await page.Keyboard.PressAsync("Escape");

        await admin.GotoAsync("/config/encryption");
        await page.Locator("#generate-key").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog")).ToBeVisibleAsync();
        await ScanAsync(admin, "encryption-generate-key-dialog");
        await page.Keyboard.PressAsync("Escape");

        await admin.GotoAsync("/config/email");
        await page.Locator("#send-test-email").ClickAsync();
        await ScanAsync(admin, "email-test-sent");

        await admin.GotoAsync($"/customers/{acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Access log" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await ScanAsync(admin, "customer-access-log");
    }

    /// <summary>
    /// Break-glass: the agent's dialog (and its error) once their groups give only List on passwords, then the
    /// administrator's banner and the app bar's notifications menu.
    /// </summary>
    private async Task ScanBreakGlassScreensAsync(int acme)
    {
        await _app.AsSystemAsync<AgentGroupService, bool>(async s =>
        {
            var builtIn = await s.GetAsync(AgentGroup.BuiltInId);
            await s.UpdateAsync(
                AgentGroup.BuiltInId,
                new AgentGroupInput
                {
                    Name = builtIn.Name,
                    OtherTables = AccessLevel.List,
                    MemberIds = [.. builtIn.Members.Select(m => m.UserId)],
                }
            );
            return true;
        });
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            var vault = await s.GetAsync<VaultSettings>();
            vault.AllowBreakGlass = true;
            await s.SaveAsync(vault);
            return true;
        });

        await using var agent = await OpenAsync();
        var page = agent.Page;
        await agent.SignInAsync(Sam);
        await agent.GotoAsync($"/customers/{acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Emergency reveal of password for svc-backup", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#break-glass-reason")).ToBeVisibleAsync();
        await ScanAsync(agent, "break-glass-dialog");
        await page.Locator("#break-glass-reason").FillAsync("Backups down");
        await page.Locator("#break-glass-password").FillAsync("not the password");
        await page.Locator("#confirm-break-glass").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-dialog .mud-input-error").First).ToBeVisibleAsync();
        await ScanAsync(agent, "break-glass-dialog-errors");
        await page.Locator("#break-glass-password").FillAsync(TestPasswords.Default);
        await page.Locator("#confirm-break-glass").ClickAsync();
        await Assertions.Expect(page.Locator("[data-secret-value=shown]")).ToBeVisibleAsync();
        await ScanAsync(agent, "customer-password-break-glass-revealed");

        await using var admin = await OpenAsync();
        await admin.SignInAsync(Ada);
        await Assertions.Expect(admin.Page.Locator("[data-break-glass-notice]")).ToBeVisibleAsync();
        await ScanAsync(admin, "break-glass-banner");
        // Unread: the break-glass and the access request scanned before it.
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 2 unread", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Page.Locator("[data-notice]").First).ToBeVisibleAsync();
        await ScanAsync(admin, "notifications-menu");
    }

    /// <summary>Sign-in with a second factor: the code page, the recovery-code page, and the signed-in 2FA management pages.</summary>
    private async Task ScanSecondFactorScreensAsync()
    {
        using var client = _app.CreateRealClient();
        (await HttpForms.SignInAsync(client, Sam)).Dispose();
        var (key, _) = await TwoFactorForms.EnableAuthenticatorAsync(client);

        await using var agent = await OpenAsync();
        var page = agent.Page;
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(Sam);
        await page.GetByLabel("Password").FillAsync(TestPasswords.Default);
        await page.Locator("#sign-in").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("LoginWith2fa", StringComparison.Ordinal));
        await ScanAsync(agent, "sign-in-authenticator-code");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = RecoveryCodeLink() }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("LoginWithRecoveryCode", StringComparison.Ordinal));
        await ScanAsync(agent, "sign-in-recovery-code");
        await page.GoBackAsync();
        await page.Locator("input[name='Input.TwoFactorCode']").FillAsync(TwoFactorForms.Code(key));
        await page.Locator("button[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        foreach (
            var path in new[]
            {
                "/Account/Manage/TwoFactorAuthentication",
                "/Account/Manage/Disable2fa",
                "/Account/Manage/GenerateRecoveryCodes",
            }
        )
        {
            await page.GotoAsync(path);
            await ScanAsync(agent, path.TrimStart('/') + "-enabled");
        }
    }

    private static readonly string[] ManagePages =
    [
        "/Account/Manage",
        "/Account/Manage/ChangePassword",
        "/Account/Manage/TwoFactorAuthentication",
        "/Account/Manage/EnableAuthenticator",
        "/Account/Manage/ResetAuthenticator",
        "/Account/Manage/Passkeys",
    ];

    /// <summary>
    /// Least privilege as an agent with List meets it, by keyboard: the masked tab with Request access, Who can see this,
    /// the request dialog, their requests; then the administrator's requests to decide.
    /// </summary>
    private async Task ScanAccessRequestScreensAsync(int acme)
    {
        var lee = await _app.CreateAgentAsync("Lee List", Lee);
        await _app.AsSystemAsync<AgentGroupService, int>(s =>
            s.CreateAsync(
                new AgentGroupInput
                {
                    Name = $"List only {_theme}",
                    CustomerIds = [acme],
                    MemberIds = [lee],
                    OtherTables = AccessLevel.None,
                    TableLevels = new() { [PasswordsTable] = AccessLevel.List },
                }
            )
        );
        await _app.AsSystemAsync<AgentGroupService, bool>(async s =>
        {
            var builtIn = await s.GetAsync(AgentGroup.BuiltInId);
            await s.UpdateAsync(
                AgentGroup.BuiltInId,
                new AgentGroupInput
                {
                    Name = builtIn.Name,
                    AllCustomers = true,
                    OtherTables = builtIn.OtherTables,
                    MemberIds = [.. builtIn.Members.Select(m => m.UserId).Where(id => id != lee)],
                }
            );
            return true;
        });

        await using (var agent = await OpenAsync())
        {
            var page = agent.Page;
            await agent.SignInAsync(Lee);
            await agent.GotoAsync($"/customers/{acme}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
            var request = page.GetByRole(AriaRole.Button, new() { Name = "Request access to password for svc-backup", Exact = true });
            await Assertions.Expect(request).ToBeVisibleAsync();
            await ScanAsync(agent, "customer-passwords-list-level");
            await page.GetByRole(AriaRole.Button, new() { Name = "Actions for svc-backup", Exact = true }).ClickAsync();
            await page.Locator("[data-action=row-access]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-row-access=groups]")).ToBeVisibleAsync();
            await ScanAsync(agent, "who-can-see-this-dialog");
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);

            // The keyboard path: focus the button, open the dialog (the focus goes into it), Tab to the reason, choose 1 day, send.
            await request.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator(".mud-dialog .mud-focus-trap :focus")).ToHaveCountAsync(1);
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(page.Locator("#access-reason")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("Ticket #12: backup job failing");
            await ScanAsync(agent, "request-access-dialog");
            await page.GetByRole(AriaRole.Radio, new() { Name = "1 day" }).FocusAsync();
            await page.Keyboard.PressAsync("Space");
            await page.Locator("#send-access-request").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.Locator("[data-access=pending]")).ToBeVisibleAsync();
            await agent.GotoAsync("/access-requests");
            await Assertions.Expect(page.Locator("#my-requests")).ToContainTextAsync("Waiting for approval");
            await Assertions.Expect(page.Locator("#my-requests")).ToContainTextAsync("1 day");
            await ScanAsync(agent, "access-requests-mine");
        }

        await using var admin = await OpenAsync();
        await admin.SignInAsync(Ada);
        await admin.GotoAsync("/access-requests");
        await Assertions.Expect(admin.Page.Locator("#to-decide")).ToContainTextAsync("Lee List");
        await ScanAsync(admin, "access-requests-to-decide");
        await admin.Page.Locator("[data-action=grant-minutes]").First.ClickAsync();
        await ScanAsync(admin, "access-requests-grant-menu");
        await admin.Page.Keyboard.PressAsync("Escape");
    }

    private async Task<BrowserSession> OpenAsync()
    {
        var session = await BrowserSession.OpenAsync(browser, _address);
        await session.UseThemeAsync(_theme);
        return session;
    }

    private async Task ScanAsync(BrowserSession session, string screen)
    {
        await session.ScreenshotAsync($"axe-{_theme}-{screen.Replace('/', '-')}");
        var result = await session.Page.RunAxe(Wcag21AA);
        _screens.Add(screen);
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            var nodes = violation.Nodes.Take(4).Select(n => $"{string.Join(" ", n.Target)}: {Message(n)}");
            _findings.Add($"[{screen}] {violation.Id} ({violation.Impact}), {violation.Help}\n    {string.Join("\n    ", nodes)}");
        }
    }

    private static string? Message(AxeResultNode node) =>
        node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message).FirstOrDefault();

    private async Task<string> ResetLinkAsync()
    {
        var message = await _smtp.WaitForMessageAsync(m => m.Subject == "Reset your BlazorVault password", TimeSpan.FromSeconds(15));
        return ResetLink().Match(message.TextBody ?? "").Value;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [GeneratedRegex(@"https?://[^\s]+/account/password/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+")]
    private static partial Regex ResetLink();

    [GeneratedRegex("recovery code", RegexOptions.IgnoreCase)]
    private static partial Regex RecoveryCodeLink();
}
