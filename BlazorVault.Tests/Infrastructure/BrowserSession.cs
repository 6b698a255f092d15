using BlazorVault.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BlazorVault.Tests.Infrastructure;

/// <summary>A fresh browser context (its own cookies) on the app under test, with screenshot and sign-in helpers.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page, string baseAddress) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public string BaseAddress { get; } = baseAddress;

    /// <param name="ignoreHttpsErrors">For nginx's self-signed certificate in the two-node tests.</param>
    public static async Task<BrowserSession> OpenAsync(BrowserFixture browser, string baseAddress, bool ignoreHttpsErrors = false)
    {
        var context = await browser.Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = baseAddress,
                ViewportSize = new ViewportSize { Width = 1366, Height = 860 },
                IgnoreHTTPSErrors = ignoreHttpsErrors,
            }
        );
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, baseAddress);
    }

    /// <summary>Light or dark mode for every page of this session, as the app bar's switch sets it.</summary>
    public Task UseThemeAsync(string theme) =>
        context.AddCookiesAsync([
            new Cookie
            {
                Name = "bv-theme",
                Value = theme,
                Url = BaseAddress,
            },
        ]);

    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    /// <summary>On agent pages, waits until the circuit is live; static pages need no wait.</summary>
    public async Task WaitForInteractiveAsync()
    {
        if (
            await Page.Locator(".mud-main-content").CountAsync() > 0
            && await Page.Locator("#sign-in, #portal-welcome, #setup-heading").CountAsync() == 0
            && !Page.Url.Contains("/portal", StringComparison.Ordinal)
            && !Page.Url.Contains("/Account/", StringComparison.Ordinal)
        )
        {
            await Page.Locator("[data-interactive]").WaitForAsync();
        }
    }

    public async Task ScreenshotAsync(string name)
    {
        // Let MudBlazor's popover and dialog transitions finish, so the picture shows what a person sees.
        await Page.WaitForTimeoutAsync(350);
        await Page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{name}.png"), FullPage = true }
        );
    }

    public async Task SignInAsync(string email, string password = TestPasswords.Default)
    {
        await Page.GotoAsync("/Account/Login");
        await Page.GetByLabel("Email").FillAsync(email);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.Locator("#sign-in").ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
        await WaitForInteractiveAsync();
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
