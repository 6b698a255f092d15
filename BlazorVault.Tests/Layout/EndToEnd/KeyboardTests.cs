using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;
using static BlazorVault.Tests.CustomObjects.Core.SeededPasswordsTable;

namespace BlazorVault.Tests.Layout.EndToEnd;

/// <summary>
/// The keyboard alone, as someone who cannot use a mouse works: sign in, reveal and copy a stored password, send a
/// secure message from a ticket, and change a setting, with Tab, Enter, the arrow keys and typing. Every element Tab
/// stops at on the way must show that it has the focus: the test compares it focused and unfocused, pixel for pixel.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class KeyboardTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "Keyboard canary 3f9a-Acme!";
    private const int MaxTabStops = 80;

    private readonly AppFactory _app = new();
    private readonly List<string> _invisibleFocus = [];
    private string _address = "";
    private int _acme;
    private int _ticket;
    private int _stops;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        var wile = await _app.CreatePortalUserAsync(_acme, "Wile Coyote", "wile@acme.example");
        _ticket = await _app.CreateTicketAsync(_acme, wile, "Guest Wi-Fi");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(
                _acme,
                PasswordsTable,
                new VaultRowInput(new Dictionary<int, string?> { [UsernameField] = "svc-backup", [PasswordField] = Password })
            )
        );
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new TicketSettings { SecureMessagesEnabled = true });
            return true;
        });
    }

    [Fact]
    public async Task RevealCopySecureMessageAndSettings_WorkByKeyboardAlone_WithVisibleFocusAtEveryStop()
    {
        await using var session = await BrowserSession.OpenAsync(browser, _address);
        var page = session.Page;
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = _address });

        // Sign in.
        await page.GotoAsync("/Account/Login");
        await TabToAsync(page, "#Input\\.Email");
        await page.Keyboard.TypeAsync("ada@example.com");
        await TabToAsync(page, "#Input\\.Password");
        await page.Keyboard.TypeAsync(TestPasswords.Default);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await session.WaitForInteractiveAsync();

        // Reveal and copy a customer's password.
        await session.GotoAsync($"/customers/{_acme}");
        await TabToAsync(page, "[role=tab]");
        await ArrowToAsync(page, "ArrowRight", "[role=tab]", "Passwords");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, "[data-action=reveal]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-secret-value=shown]")).ToHaveTextAsync(Password);
        await session.ScreenshotAsync("keyboard-1-revealed");
        await TabToAsync(page, "[data-action=copy]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Password copied to the clipboard.");
        Assert.Equal(Password, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // A one-time secure message from the ticket's actions menu.
        await session.GotoAsync($"/tickets/{_ticket}");
        await TabToAsync(page, "#ticket-actions button");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#action-secure-message")).ToBeVisibleAsync();
        await ArrowToAsync(page, "ArrowDown", "#action-secure-message");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-dialog :focus")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#action-secure-message")).ToBeHiddenAsync();
        await TabToAsync(page, "#secure-content-input");
        await page.Keyboard.TypeAsync("Guest Wi-Fi: Acme-Guest / keyboard-77");
        await session.ScreenshotAsync("keyboard-2-secure-message-dialog");
        await TabToAsync(page, "#create-secure-link");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#secure-link")).ToBeVisibleAsync();
        await TabToAsync(page, "#close-secure-link");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#secure-messages")).ToContainTextAsync("Active");

        // A settings form: the seconds a revealed password stays on screen.
        await session.GotoAsync("/config/vault");
        await TabToAsync(page, "[data-setting=RevealSeconds] input");
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("45");
        await TabToAsync(page, "#save-settings");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Settings saved.");
        await session.ScreenshotAsync("keyboard-3-settings-saved");
        var saved = await _app.AsSystemAsync<SettingsService, VaultSettings>(s => s.GetAsync<VaultSettings>());
        Assert.Equal(45, saved.RevealSeconds);

        Assert.True(_stops > 20, $"Only {_stops} Tab stops were checked.");
        Assert.True(_invisibleFocus.Count == 0, $"Focus was not visible on:\n{string.Join("\n", _invisibleFocus)}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Presses Tab until the focus is on the element, checking at every stop that the focus can be seen.</summary>
    private async Task TabToAsync(IPage page, string selector, string? text = null)
    {
        var visited = new List<string>();
        for (var press = 0; press < MaxTabStops; press++)
        {
            await page.Keyboard.PressAsync("Tab");
            visited.Add(await CheckFocusIsVisibleAsync(page));
            if (await FocusedMatchesAsync(page, selector, text))
            {
                return;
            }
        }

        throw new InvalidOperationException(
            $"{MaxTabStops} presses of Tab never reached {selector} on {page.Url}. Stops:\n{string.Join("\n", visited.Distinct())}"
        );
    }

    /// <summary>Moves through an open menu or a tab list with an arrow key until the item has the focus.</summary>
    private static async Task ArrowToAsync(IPage page, string key, string selector, string? text = null)
    {
        for (var press = 0; press < 10; press++)
        {
            // At a person's pace: the menu moves the focus from the server, over the circuit, a moment after the key.
            await page.Keyboard.PressAsync(key);
            await page.WaitForTimeoutAsync(300);
            if (await FocusedMatchesAsync(page, selector, text))
            {
                return;
            }
        }

        throw new InvalidOperationException($"{key} never reached {selector} {text}.");
    }

    private static Task<bool> FocusedMatchesAsync(IPage page, string selector, string? text) =>
        page.EvaluateAsync<bool>(
            "([s, t]) => { const e = document.activeElement; return !!e && e.matches(s) && (!t || e.textContent.includes(t)); }",
            new[] { selector, text }
        );

    /// <summary>
    /// The focused element's area, a few pixels around it, looks different focused and with the focus taken away (it is
    /// then given back, so the walk goes on where it was).
    /// </summary>
    /// <returns>The focused element, described for a failure message.</returns>
    private async Task<string> CheckFocusIsVisibleAsync(IPage page)
    {
        var focused = await page.EvaluateAsync<FocusedElement?>(
            """
            () => {
              const e = document.activeElement;
              if (!e || e === document.body) return null;
              const r = e.getBoundingClientRect();
              return { description: e.outerHTML.slice(0, 160), x: r.x, y: r.y, width: r.width, height: r.height };
            }
            """
        );
        if (focused is null || focused.Width < 1 || focused.Height < 1)
        {
            return focused?.Description ?? "(nothing)";
        }

        _stops++;
        var clip = new Clip
        {
            X = Math.Max(0, focused.X - 4),
            Y = Math.Max(0, focused.Y - 4),
            Width = focused.Width + 8,
            Height = focused.Height + 8,
        };
        await page.WaitForTimeoutAsync(250);
        var withFocus = await page.ScreenshotAsync(new() { Clip = clip });
        await page.EvaluateAsync("() => { window.bvFocused = document.activeElement; window.bvFocused.blur(); }");
        await page.WaitForTimeoutAsync(250);
        var withoutFocus = await page.ScreenshotAsync(new() { Clip = clip });
        await page.EvaluateAsync("() => window.bvFocused.focus({ focusVisible: true })");
        if (withFocus.AsSpan().SequenceEqual(withoutFocus))
        {
            _invisibleFocus.Add($"{page.Url}: {focused.Description}");
        }

        return focused.Description;
    }

    private sealed class FocusedElement
    {
        public string Description { get; set; } = "";

        public float X { get; set; }

        public float Y { get; set; }

        public float Width { get; set; }

        public float Height { get; set; }
    }
}
