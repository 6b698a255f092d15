using BlazorVault.Core.Access;
using BlazorVault.Core.Access.Entities;
using BlazorVault.Core.Access.Models;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Notifications.Entities;
using BlazorVault.Core.Persistence;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Access.EndToEnd;

/// <summary>
/// An administrator has a page open when an agent who may only list a password breaks glass: the agent sees the value, and
/// the administrator's open page shows the bell's count and the banner within two seconds; an email is queued to them.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class BreakGlassPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "Break-glass canary 8d2b-Acme!";
    private const string Reason = "Ticket 4711: backups down at night";
    private static readonly TimeSpan WithinTwoSeconds = TimeSpan.FromSeconds(2);

    private readonly AppFactory _app = new();
    private string _address = "";
    private string _sam = "";
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _sam = await _app.CreateAgentAsync("Sam Support", "sam@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "svc-backup", [PasswordField] = Password })
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
                    OtherTables = builtIn.OtherTables,
                    MemberIds = [],
                }
            );
            await s.CreateAsync(
                new AgentGroupInput
                {
                    Name = "Tier 1",
                    AllCustomers = false,
                    CustomerIds = [_acme],
                    MemberIds = [_sam],
                    OtherTables = AccessLevel.None,
                    TableLevels = new() { [PasswordsTable] = AccessLevel.List },
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
    }

    [Fact]
    public async Task AListAgentBreaksGlass_AndTheAdministratorsOpenPageShowsTheBellAndTheBanner_WithinTwoSeconds()
    {
        await using var admin = await BrowserSession.OpenAsync(browser, _address);
        await admin.SignInAsync("ada@example.com");
        await admin.GotoAsync("/customers");
        var bell = admin.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 0 unread", Exact = true });
        await Assertions.Expect(bell).ToBeVisibleAsync();

        await using var agent = await BrowserSession.OpenAsync(browser, _address);
        var page = agent.Page;
        await agent.SignInAsync("sam@example.com");
        await agent.GotoAsync($"/customers/{_acme}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        var cell = page.Locator("[data-secret-cell]").First;
        await Assertions.Expect(cell.Locator("[data-action=reveal]")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Emergency reveal of password for svc-backup", Exact = true }).ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog.Locator("#break-glass-warning")).ToContainTextAsync("every administrator is notified");
        await dialog.Locator("#break-glass-reason").FillAsync(Reason);
        await dialog.Locator("#break-glass-password").FillAsync("not my password");
        await dialog.Locator("#confirm-break-glass").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("The password is incorrect.");
        await agent.ScreenshotAsync("145-break-glass-dialog-wrong-password");
        await Assertions.Expect(bell).ToBeVisibleAsync();

        await dialog.Locator("#break-glass-password").FillAsync(TestPasswords.Default);
        await dialog.Locator("#confirm-break-glass").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        await Assertions.Expect(cell).ToContainTextAsync(Password);
        await Assertions.Expect(page.Locator("[data-needs-rotation]")).ToBeVisibleAsync();
        await agent.ScreenshotAsync("146-break-glass-revealed");

        await Assertions
            .Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 1 unread", Exact = true }))
            .ToBeVisibleAsync(new() { Timeout = Ms(WithinTwoSeconds) });
        var banner = admin.Page.Locator("[data-break-glass-notice]");
        await Assertions.Expect(banner).ToContainTextAsync("Sam Support", new() { Timeout = Ms(WithinTwoSeconds) });
        await Assertions.Expect(banner).ToContainTextAsync(Reason);
        await admin.ScreenshotAsync("147-break-glass-banner");
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 1 unread", Exact = true }).ClickAsync();
        await Assertions.Expect(admin.Page.Locator("[data-notice]")).ToContainTextAsync("Break-glass: Sam Support");
        await admin.ScreenshotAsync("148-notice-bell-menu");
        await admin.Page.Keyboard.PressAsync("Escape");
        await banner.Locator("[data-action=dismiss-break-glass]").ClickAsync();
        await Assertions.Expect(banner).ToHaveCountAsync(0);
        await Assertions
            .Expect(admin.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 0 unread", Exact = true }))
            .ToBeVisibleAsync();

        // By keyboard: Enter opens the bell with the focus on the (now read) notice, and Enter follows its link.
        await admin.Page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 0 unread", Exact = true }).FocusAsync();
        await admin.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(admin.Page.Locator("[data-notice]")).ToBeFocusedAsync();
        await admin.ScreenshotAsync("156-notice-focused-by-keyboard");
        await admin.Page.Keyboard.PressAsync("Enter");
        await admin.Page.WaitForURLAsync(url => url.EndsWith($"/customers/{_acme}", StringComparison.Ordinal));
        await admin.Page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        await Assertions.Expect(admin.Page.Locator("[data-needs-rotation]")).ToBeVisibleAsync();
        await admin.ScreenshotAsync("149-needs-rotation");

        await using var scope = _app.Services.CreateAsyncScope();
        await using var db = await scope
            .ServiceProvider.GetRequiredService<IDbContextFactory<BlazorVaultDbContext>>()
            .CreateDbContextAsync();
        var email = await db.OutboxEmails.AsNoTracking().SingleAsync(e => e.Kind == OutboxEmailKind.BreakGlass);
        Assert.Equal(("ada@example.com", _sam), (email.ToAddress, email.UserId));
        Assert.DoesNotContain(Password, await admin.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _app.Logs.All, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
