using System.Diagnostics;
using BlazorVault.Core.CustomObjects;
using BlazorVault.Core.CustomObjects.Models;
using BlazorVault.Core.Settings;
using BlazorVault.Core.Settings.Sections;
using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.CustomObjects.EndToEnd;

/// <summary>
/// Copy puts a stored password on the clipboard without showing it, and takes it off again after the Vault setting's
/// seconds, unless the clipboard holds something else by then.
/// </summary>
[Collection(EndToEndTests.Name)]
public sealed class CopyPasswordTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Password = "Copy canary 5d2b-Acme!";
    private const int PasswordsTable = 1;
    private const int PasswordField = 4;
    private const int RevealSeconds = 5;

    private readonly AppFactory _app = new();
    private string _address = "";
    private int _acme;

    public async ValueTask InitializeAsync()
    {
        _address = _app.StartAndGetAddress();
        await _app.CreateAdminAsync("ada@example.com");
        _acme = await _app.CreateCustomerAsync("Acme");
        await _app.AsSystemAsync<CustomerVaultService, int>(s =>
            s.CreateRowAsync(_acme, PasswordsTable, new VaultRowInput(new Dictionary<int, string?> { [PasswordField] = Password }))
        );
        await _app.AsSystemAsync<SettingsService, bool>(async s =>
        {
            await s.SaveAsync(new VaultSettings { RevealSeconds = RevealSeconds });
            return true;
        });
    }

    [Fact]
    public async Task Copy_PutsThePasswordOnTheClipboard_AndClearsItAfterTheVaultSeconds()
    {
        await using var agent = await OpenPasswordsTabAsync();
        var page = agent.Page;

        await CopyAsync(page);
        Assert.Equal(Password, await ReadClipboardAsync(page));
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
        await agent.ScreenshotAsync("86-password-copied");

        // The browser clears it by itself: wait for the empty clipboard, well past the Vault seconds at most.
        Assert.Equal("", await WaitForClipboardAsync(page, "", TimeSpan.FromSeconds(RevealSeconds + 15)));
    }

    [Fact]
    public async Task Copy_LeavesTheClipboardAlone_WhenSomethingElseWasCopiedBeforeTheSeconds()
    {
        await using var agent = await OpenPasswordsTabAsync();
        var page = agent.Page;

        await CopyAsync(page);
        var copiedAt = DateTimeOffset.UtcNow;
        Assert.Equal(Password, await ReadClipboardAsync(page));
        await page.EvaluateAsync("() => navigator.clipboard.writeText('Notes for the on-call engineer')");

        // Nothing must happen, so there is no event to wait for: let the Vault seconds pass, with room for a slow machine.
        var deadline = copiedAt.AddSeconds(RevealSeconds + 5) - DateTimeOffset.UtcNow;
        await page.WaitForTimeoutAsync((float)Math.Max(0, deadline.TotalMilliseconds));
        Assert.Equal("Notes for the on-call engineer", await ReadClipboardAsync(page));
    }

    private async Task<BrowserSession> OpenPasswordsTabAsync()
    {
        var agent = await BrowserSession.OpenAsync(browser, _address);
        await agent.Page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = _address });
        await agent.SignInAsync("ada@example.com");
        await agent.GotoAsync($"/customers/{_acme}");
        await agent.Page.GetByRole(AriaRole.Tab, new() { Name = "Passwords" }).ClickAsync();
        return agent;
    }

    private static async Task CopyAsync(IPage page)
    {
        await page.Locator("[data-vault-table] [data-secret-cell] [data-action=copy]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Password copied to the clipboard.");
    }

    private static async Task<string> WaitForClipboardAsync(IPage page, string expected, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        string text;
        while ((text = await ReadClipboardAsync(page)) != expected && waited.Elapsed < timeout)
        {
            await page.WaitForTimeoutAsync(250);
        }

        return text;
    }

    private static Task<string> ReadClipboardAsync(IPage page) => page.EvaluateAsync<string>("() => navigator.clipboard.readText()");

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
